"""REST API for rubric versions under /api/v1/hiring/.

Every queryset goes through `visible_to(user)`, so another object's id is a 404; scorecards and scores
follow the blind rule exactly as the pages do.
"""

from __future__ import annotations

from rest_framework import serializers, viewsets

from core.api import ScopedViewSetMixin
from hiring.models import Competency, RubricVersion

from .services import COMPETENCY_FIELDS


class CompetencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Competency
        fields = ["id", *COMPETENCY_FIELDS]


class RubricVersionSerializer(serializers.ModelSerializer):
    rubric = serializers.CharField(source="rubric.name")
    competencies = CompetencySerializer(many=True)

    class Meta:
        model = RubricVersion
        fields = ["id", "rubric", "number", "status", "published_at", "competencies"]


class RubricVersionViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = RubricVersionSerializer
    queryset = RubricVersion.objects.all()

    def refine_queryset(self, queryset):
        return queryset.select_related("rubric").prefetch_related("competencies").order_by("pk")
