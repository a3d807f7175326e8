"""REST API: team scorecards by period (read-only, scoped to the teams the user may see)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from core.api import ScopedViewSetMixin

from ..models import Team
from .building import build_scorecard_series, default_period_code
from .calculations import Scorecard
from .periods import parse_period
from .scopes import TEAM
from .stock import card_bridge, value_per_customer


def Number(**kwargs) -> serializers.DecimalField:
    """A decimal as a string exactly as computed (already rounded to the KPI's decimals)."""
    return serializers.DecimalField(max_digits=None, decimal_places=None, **kwargs)


class KpiLineSerializer(serializers.Serializer):
    kpi_code = serializers.CharField()
    kpi_name = serializers.CharField()
    unit = serializers.CharField()
    decimals = serializers.IntegerField()
    direction = serializers.ChoiceField(choices=["higher", "lower"])
    aggregation = serializers.ChoiceField(choices=["sum", "mean", "last", "ratio"])
    actual = Number(allow_null=True)
    sample_size = serializers.IntegerField(allow_null=True)
    ci_low = Number(allow_null=True)
    ci_high = Number(allow_null=True)
    target = Number(allow_null=True)
    ci_method = serializers.CharField(help_text="wilson, nps-margin, t, or empty for counted KPIs")
    on_track_from = Number(allow_null=True, help_text="this value and better are on track")
    off_track_from = Number(allow_null=True, help_text="this value and worse are off track")
    weight = Number()
    min_sample = serializers.IntegerField()
    target_scope = serializers.CharField(help_text="team, department, company, or empty without a target")
    target_derived = serializers.BooleanField(
        help_text="true when a quarter's or year's target is derived from its months' targets, not set for it"
    )
    status = serializers.ChoiceField(choices=["green", "amber", "red", "neutral", "noise"])
    score = Number(allow_null=True, help_text="0-100")
    attainment = Number(allow_null=True, help_text="percent")
    previous = Number(allow_null=True)
    trend = Number(allow_null=True)


class TeamScorecardSerializer(serializers.Serializer):
    team = serializers.SlugField(help_text="team slug")
    team_name = serializers.CharField()
    period = serializers.CharField()
    is_snapshot = serializers.BooleanField(help_text="true for a closed period's frozen scorecard")
    composite = Number(allow_null=True, help_text="0-100")
    definition = serializers.CharField(help_text="KPI definitions the figures follow: v2-stock, or v1-pooled (old)")
    lines = KpiLineSerializer(many=True)
    bridge = serializers.JSONField(
        allow_null=True,
        help_text="customer bridge: opening, gained, lost, closing, expected_closing, difference, balances, "
        "opening_gaps, closing_gaps, value_per_customer (exact decimals as strings)",
    )


def _payload(team: Team, card: Scorecard) -> dict:
    return {
        "team": team.slug,
        "team_name": team.name,
        "period": card.period_code,
        "is_snapshot": card.is_snapshot,
        "composite": card.composite,
        "definition": card.definition,
        "lines": list(card.lines.values()),
        "bridge": bridge.to_json() if (bridge := card_bridge(card, value_per_customer(card.period_code))) else None,
    }


class CanViewScorecards(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.has_perm("culture.view_scorecard"))


PERIOD = OpenApiParameter(
    "period", OpenApiTypes.STR, description="2026-09, 2026-Q3 or 2026; default: the last complete month"
)


@extend_schema_view(
    list=extend_schema(summary="Scorecards of the teams you may see, for one period", parameters=[PERIOD]),
    retrieve=extend_schema(summary="One team's scorecard for one period", parameters=[PERIOD]),
)
class TeamScorecardViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Team scorecards computed from the raw sums (or the frozen snapshot of a closed period)."""

    serializer_class = TeamScorecardSerializer
    permission_classes = [permissions.IsAuthenticated, CanViewScorecards]
    lookup_field = "slug"
    queryset = Team.objects.all()

    def refine_queryset(self, queryset):
        # The permission class has required the scorecard permission, so these are `scorecard_teams(user)`.
        return queryset.filter(is_active=True).order_by("name")

    def _period(self) -> str:
        raw = self.request.query_params.get("period", "")
        try:
            return parse_period(raw).code if raw else default_period_code()
        except ValueError as error:
            raise ValidationError({"period": str(error)}) from error

    def _cards(self, teams: list[Team]) -> list[dict]:
        code = self._period()
        cards = build_scorecard_series(period_codes=[code], level=TEAM, ids=[t.pk for t in teams])[code]
        return [_payload(team, cards[team.pk]) for team in teams]

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        assert page is not None  # the API always pages (DEFAULT_PAGINATION_CLASS)
        data = self.get_serializer(self._cards(list(page)), many=True).data
        return self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        team = self.get_object()
        return Response(self.get_serializer(self._cards([team])[0]).data)
