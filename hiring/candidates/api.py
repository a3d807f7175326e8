"""REST API for applications with their panel scores under /api/v1/hiring/.

Every queryset goes through `visible_to(user)`, so another object's id is a 404; scorecards and scores
follow the blind rule exactly as the pages do.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from core.api import ScopedViewSetMixin
from hiring.interviews.scores import application_aggregates
from hiring.models import Application


class CompetencySummarySerializer(serializers.Serializer):
    key = serializers.CharField()
    count = serializers.IntegerField()
    mean = serializers.DecimalField(max_digits=4, decimal_places=2, allow_null=True)
    spread = serializers.IntegerField(allow_null=True)
    has_disagreement = serializers.BooleanField()


class AggregateSerializer(serializers.Serializer):
    score = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)
    meets_bar = serializers.BooleanField(allow_null=True)
    has_disagreement = serializers.BooleanField()
    scorecard_count = serializers.IntegerField()
    competencies = CompetencySummarySerializer(many=True)


class ApplicationSerializer(serializers.ModelSerializer):
    candidate_name = serializers.CharField(source="candidate.name")
    aggregate = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = ["id", "candidate", "candidate_name", "position", "stage", "applied_on", "hired_on", "aggregate"]

    @extend_schema_field(AggregateSerializer)
    def get_aggregate(self, obj) -> dict:
        aggregate = self.context["aggregates"][obj.pk]
        return AggregateSerializer(aggregate).data


class ApplicationViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Applications with their aggregate, computed from the scorecards the caller may see."""

    serializer_class = ApplicationSerializer
    queryset = Application.objects.all()

    def refine_queryset(self, queryset):
        return queryset.select_related("candidate", "position").order_by("pk")

    def _respond(self, rows, many):
        aggregates = application_aggregates(self.request.user, rows)
        return self.get_serializer(
            rows if many else rows[0], many=many, context={**self.get_serializer_context(), "aggregates": aggregates}
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        rows = list(page) if page is not None else list(self.get_queryset())
        serializer = self._respond(rows, many=True)
        return self.get_paginated_response(serializer.data) if page is not None else Response(serializer.data)

    def retrieve(self, request, *args, **kwargs):
        return Response(self._respond([self.get_object()], many=False).data)
