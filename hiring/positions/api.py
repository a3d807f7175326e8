"""REST API for positions under /api/v1/hiring/.

Every queryset goes through `visible_to(user)`, so another object's id is a 404; scorecards and scores
follow the blind rule exactly as the pages do.
"""

from __future__ import annotations

from rest_framework import serializers, viewsets

from core.api import ScopedViewSetMixin
from culture.models import Team
from hiring.models import Position


class PositionSerializer(serializers.ModelSerializer):
    team: serializers.SlugRelatedField[Team] = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Position
        fields = ["id", "title", "team", "rubric_version", "bar_score", "hiring_manager", "status", "opened_on"]


class PositionViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PositionSerializer
    queryset = Position.objects.all()

    def refine_queryset(self, queryset):
        return queryset.select_related("team").order_by("pk")
