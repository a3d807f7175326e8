"""REST API for pulses: the pulses the caller may see, with participation counts, and their results
(aggregated rows from culture.pulse.results only: shown groups, never an answer)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP

from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api import ScopedViewSetMixin

from ..models import Pulse, Team
from .results import participation_counts, pulse_results


class CanViewPulses(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        needed = "culture.view_pulseresults" if getattr(view, "action", None) == "results" else "culture.view_pulse"
        return bool(request.user and request.user.has_perm(needed))


class PulseSerializer(serializers.ModelSerializer):
    teams: serializers.SlugRelatedField[Team] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    library_version = serializers.IntegerField(source="library_version.number", read_only=True)
    invited = serializers.IntegerField(read_only=True)
    answered = serializers.IntegerField(read_only=True)

    class Meta:
        model = Pulse
        fields = ["id", "title", "library_version", "teams", "opens_on", "closes_on", "invited", "answered"]


class PulseResultSerializer(serializers.Serializer):
    """One shown group (and question): figures rounded once, half-up, to one decimal, as strings."""

    scope = serializers.CharField()
    group = serializers.CharField(source="group_name")
    question = serializers.CharField(source="question_key")
    respondents = serializers.IntegerField()
    invited = serializers.IntegerField()
    response_rate = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True, rounding=ROUND_HALF_UP)
    enps = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True, rounding=ROUND_HALF_UP)
    culture_index = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True, rounding=ROUND_HALF_UP)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


class PulseViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Pulses (executives: all; a lead: those sent to a team they lead). `results/` lists the closed pulse's
    shown groups; `?team=<id>`, `?department=<id>`, `?scope=`, `?question=<key>` pick among them."""

    serializer_class = PulseSerializer
    permission_classes = [permissions.IsAuthenticated, CanViewPulses]
    queryset = Pulse.objects.all()

    def refine_queryset(self, queryset):
        return (
            queryset.select_related("library_version")
            .prefetch_related("teams")
            .annotate(**participation_counts(self.request.user))
            .order_by("-opens_on", "-pk")
        )

    @action(detail=True, methods=["get"], serializer_class=PulseResultSerializer, pagination_class=None)
    def results(self, request: Request, pk: str | None = None) -> Response:
        pulse = self.get_object()
        params = request.query_params
        rows = pulse_results(
            request.user,
            pulse_id=pulse.pk,
            team_id=_int(params.get("team")),
            department_id=_int(params.get("department")),
            scope=params.get("scope") or None,
            question_key=params.get("question"),
        )
        return Response(PulseResultSerializer(rows, many=True).data)
