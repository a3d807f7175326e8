"""REST API for the org: read-only teams, scoped to the caller."""

from __future__ import annotations

from rest_framework import serializers, viewsets

from core.api import ScopedViewSetMixin

from ..models import Department, Team


class TeamSerializer(serializers.ModelSerializer):
    department: serializers.SlugRelatedField[Department] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Team
        fields = ["slug", "name", "department", "is_active"]


class TeamViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Teams the caller may see (executives: all; others: the teams they belong to or lead)."""

    serializer_class = TeamSerializer
    lookup_field = "slug"
    queryset = Team.objects.all()

    def refine_queryset(self, queryset):
        return queryset.select_related("department").order_by("name")
