"""Read-only API: plans and payout runs with their lines. Nothing here writes."""

from __future__ import annotations

from rest_framework import serializers, viewsets
from rest_framework.permissions import DjangoModelPermissions, IsAuthenticated

from core.api import ScopedViewSetMixin
from core.numbers import fixed
from culture.models import Period

from .models import PayoutLine, PayoutRun, Plan


class ReadPermissions(DjangoModelPermissions):
    """GET needs the model's view permission (DRF's default leaves reads open)."""

    perms_map = {**DjangoModelPermissions.perms_map, "GET": ["%(app_label)s.view_%(model_name)s"]}


class PlanSerializer(serializers.ModelSerializer):
    period: serializers.SlugRelatedField[Period] = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Plan
        fields = ["id", "name", "period", "reward_type", "currency", "target_amount", "status"]


class PayoutLineSerializer(serializers.ModelSerializer):
    employee_number = serializers.CharField(source="person.employee_number", read_only=True)
    proration_pct = serializers.SerializerMethodField(
        help_text="The time share as the statement shows it (% to 1 place)."
    )
    adjustments = serializers.DecimalField(source="adjusted", max_digits=16, decimal_places=3, read_only=True)
    total = serializers.DecimalField(source="final_amount", max_digits=16, decimal_places=3, read_only=True)

    class Meta:
        model = PayoutLine
        fields = [
            "id",
            "person",
            "employee_number",
            "team",
            "proration",
            "proration_pct",
            "target_amount",
            "amount",
            "adjustments",
            "total",
        ]

    def get_proration_pct(self, line: PayoutLine) -> str:
        return fixed(line.proration * 100, 1)


class PayoutRunSerializer(serializers.ModelSerializer):
    """`total` is the lines-only figure (as stored); `total_with_adjustments` adds the approved adjustments."""

    adjustments_total = serializers.DecimalField(
        source="approved_adjustments", max_digits=16, decimal_places=3, read_only=True
    )
    total_with_adjustments = serializers.DecimalField(
        source="total_incl_adjustments", max_digits=16, decimal_places=3, read_only=True
    )

    class Meta:
        model = PayoutRun
        fields = [
            "id",
            "plan",
            "status",
            "currency",
            "total",
            "adjustments_total",
            "total_with_adjustments",
            "line_count",
            "computed_at",
            "approved_at",
            "paid_at",
        ]


class PlanViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PlanSerializer
    permission_classes = [IsAuthenticated, ReadPermissions]
    queryset = Plan.objects.all()

    def refine_queryset(self, queryset):
        return queryset.select_related("period").order_by("pk")


class PayoutRunViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PayoutRunSerializer
    permission_classes = [IsAuthenticated, ReadPermissions]
    queryset = PayoutRun.objects.all()

    def refine_queryset(self, queryset):
        return queryset.with_adjustments().order_by("pk")


class PayoutLineViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PayoutLineSerializer
    permission_classes = [IsAuthenticated, ReadPermissions]
    queryset = PayoutLine.objects.all()

    def refine_queryset(self, queryset):
        return queryset.with_adjustments().select_related("person").order_by("pk")
