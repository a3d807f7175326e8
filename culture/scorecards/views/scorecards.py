"""Scorecard pages: the CCO's company dashboard, department and team scorecards, the scorecard table.

Every page computes its scorecards with `build_scorecard_series` (a fixed number of queries whatever
the number of teams) and draws its charts on the server with `core.charts`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.db.models import QuerySet
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from core.charts import bar_chart, trend_chart
from core.palette import STATUS_COLOURS
from core.views import BreadcrumbMixin, FilteredTableView, ScopedObjectMixin, ScopedQuerysetMixin

from ...models import Department, Period, Review, Team, scorecard_teams
from ..actions import carried_kpi_codes
from ..building import build_scorecard_series, default_period_code, series_codes
from ..calculations import Scorecard
from ..charts import kpi_sparkline, kpi_trend_chart
from ..closing import current_closing
from ..dashboard import TREND_PERIODS, dashboard_levels, off_track_lines, worst_team_cards
from ..filtersets import ScorecardFilterSet
from ..periods import parse_period, shift_period
from ..scopes import COMPANY, DEPARTMENT, TEAM, OrgTree, load_org
from ..status import composite_status
from ..stock import card_bridge, value_per_customer
from ..tables import ScorecardTable, kpi_columns
from ..year_index import describe_year_index, year_index
from .chain import chain_context


class PeriodMixin:
    """Reads `?period=` (month, quarter or year code); a malformed code falls back to the default with a note."""

    request: Any

    def get_period_code(self) -> str:
        if not hasattr(self, "_period_code"):
            raw = self.request.GET.get("period", "").strip()
            self.period_error = ""
            try:
                self._period_code = parse_period(raw).code if raw else default_period_code()
            except ValueError as error:
                self.period_error = str(error)
                self._period_code = default_period_code()
        return self._period_code

    def period_context(self) -> dict[str, Any]:
        code = self.get_period_code()
        span = parse_period(code)
        period = Period.objects.filter(code=code).select_related("closed_by").first()
        return {
            "period_code": code,
            "period_span": span,
            "period": period,
            "period_is_closed": bool(period and period.is_closed),
            "previous_code": shift_period(span, -1).code,
            "next_code": shift_period(span, 1).code,
            "period_error": self.period_error,
        }


class ScorecardTeamsMixin(ScopedQuerysetMixin):
    """Teams whose scorecards the user may see: the visible teams, none without the scorecard permission
    (HR sees team names only); the same rows as `scorecard_teams(user)`."""

    # Typed as SingleObjectMixin's, which the detail views mix in beside this.
    queryset: QuerySet[Any] | None = Team.objects.all()

    def refine_queryset(self, queryset):
        if not self.request.user.has_perm("culture.view_scorecard"):
            return queryset.none()
        return queryset


def _kpi_charts(series: dict[str, dict[int | None, Scorecard]], object_id: int | None, codes: list[str]) -> list:
    """Per KPI: the latest line, a 12-period trend chart with its target line, and a sparkline."""
    latest = series[codes[-1]][object_id]
    charts = []
    for kpi_code, line in latest.lines.items():
        points = [(code, series[code][object_id].actual(kpi_code)) for code in codes]
        charts.append({"line": line, "chart": kpi_trend_chart(line, points), "spark": kpi_sparkline(line, points)})
    return charts


def _composite_chart(series: dict[str, dict[int | None, Scorecard]], object_id: int | None, codes: list[str], title):
    points = [(code, series[code][object_id].composite) for code in codes]
    return trend_chart(points, title=title, decimals=1, width=900, height=180)


class ScorecardHomeView(LoginRequiredMixin, PermissionRequiredMixin, PeriodMixin, BreadcrumbMixin, TemplateView):
    """The CCO's company dashboard; leads and employees are sent to their team's scorecard."""

    permission_required = "culture.view_scorecard"
    template_name = "culture/scorecard_dashboard.html"
    title = _("Customer scorecards")
    scoping = "none: the company dashboard is the executives' (every team); others go to their own scorecards"

    def get(self, request, *args, **kwargs):
        if not request.user.is_executive:
            teams = list(scorecard_teams(request.user).order_by("name")[:2])
            query = f"?period={self.get_period_code()}" if request.GET.get("period") else ""
            if len(teams) == 1:
                return HttpResponseRedirect(reverse("culture:team_scorecard", args=[teams[0].slug]) + query)
            return HttpResponseRedirect(reverse("culture:scorecard_list") + query)
        return super().get(request, *args, **kwargs)

    def get_breadcrumbs(self):
        return [(str(self.title), None)]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.period_context())
        code = context["period_code"]
        codes = series_codes(code, TREND_PERIODS)
        org = load_org()
        levels = dashboard_levels(code, codes, org)
        company_series = levels[COMPANY]
        company = company_series[code][None]
        departments = levels[DEPARTMENT][code]
        team_count, red_count, worst = off_track_lines(code, org)
        # Scorecards are keyed by object id, None being the company's.
        named: dict[int | None, tuple[str, str]] = {
            pk: (name, slug) for pk, name, slug in Department.objects.values_list("pk", "name", "slug")
        }
        names = {pk: name for pk, (name, _slug) in named.items()}

        league: list[dict[str, Any]] = sorted(
            (
                {
                    "department": names.get(i, "?"),
                    "id": i,
                    "card": card,
                    "slug": named[i][1] if i in named else None,
                    "parent": names.get(org.department_parent.get(i or 0) or 0, ""),
                }
                for i, card in departments.items()
            ),
            key=lambda row: (row["card"].composite is None, -(row["card"].composite or 0), row["department"]),
        )
        red_rows = _whole_lines(worst, code, org)
        previous = company_series[codes[-2]][None] if len(codes) > 1 else None
        # A year without a composite of its own shows the index over its months with targets (not compared).
        cx_index, cx_note = company.composite, ""
        if context["period_span"].kind == "year":
            closing = current_closing(code) if context["period_is_closed"] else None
            index = year_index(code, org=org, year_card=company, closing=closing)
            if not index.whole_year:
                cx_index, cx_note, previous = index.composite, describe_year_index(index), None
        context.update(
            {
                "company": company,
                "cx_index": cx_index,
                "cx_note": cx_note,
                "composite_trend": (
                    cx_index - previous.composite
                    if previous is not None and cx_index is not None and previous.composite is not None
                    else None
                ),
                "composite_chart": _composite_chart(company_series, None, codes, _("CX index, last 12 periods")),
                "league": league,
                "league_chart": bar_chart(
                    [(row["department"], row["card"].composite, _colour(row["card"].composite)) for row in league],
                    title=str(_("Department CX index")),
                ),
                "red_rows": red_rows,
                "red_count": red_count,
                "team_count": team_count,
                "kpi_charts": _kpi_charts(company_series, None, codes),
                **chain_context(self.request),
            }
        )
        return context


def _whole_lines(worst: list[tuple[int, str]], code: str, org: OrgTree) -> list[dict[str, Any]]:
    """The listed lines whole, with their trend: their teams' cards built again (a few queries)."""
    cards = worst_team_cards(worst, code, org)
    teams = Team.objects.select_related("department").in_bulk(list(cards))
    return [{"team": teams[team_id], "line": cards[team_id].lines[kpi_code]} for team_id, kpi_code in worst]


def _colour(composite) -> str:
    return STATUS_COLOURS[composite_status(composite)]


class DepartmentScorecardView(
    LoginRequiredMixin, PermissionRequiredMixin, PeriodMixin, BreadcrumbMixin, ScopedObjectMixin, TemplateView
):
    """A department's scorecard rolled up from its teams' raw sums, with its teams and sub-departments."""

    permission_required = ("culture.view_scorecard", "culture.view_department")
    template_name = "culture/department_scorecard.html"
    queryset = Department.objects.select_related("parent")

    def get_breadcrumbs(self):
        return [
            (str(_("Scorecards")), reverse("culture:scorecard_home")),
            (self.department.name, None),
        ]

    def get(self, request, *args, **kwargs):
        if not request.user.is_executive:
            raise Http404
        self.object = self.department = self.get_object()
        self.title = self.department.name
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.period_context())
        code = context["period_code"]
        codes = series_codes(code, TREND_PERIODS)
        org = load_org()
        department = self.department
        series = build_scorecard_series(period_codes=codes, level=DEPARTMENT, ids=[department.pk], org=org)
        card = series[code][department.pk]
        team_ids = sorted(t for t, d in org.team_department.items() if d == department.pk and t in org.active_teams)
        children = sorted(d for d, parent in org.department_parent.items() if parent == department.pk)
        team_cards = build_scorecard_series(period_codes=[code], level=TEAM, ids=team_ids, org=org)[code]
        child_cards = (
            build_scorecard_series(period_codes=[code], level=DEPARTMENT, ids=children, org=org)[code]
            if children
            else {}
        )
        teams: dict[int | None, Team] = {t.pk: t for t in Team.objects.filter(pk__in=team_ids)}
        child_rows: dict[int | None, Department] = {d.pk: d for d in Department.objects.filter(pk__in=children)}
        context.update(
            {
                "department": department,
                "card": card,
                "bridge": card_bridge(card, value_per_customer(code)),
                "lines": _kpi_charts(series, department.pk, codes),
                "composite_chart": _composite_chart(
                    series, department.pk, codes, _("%(department)s CX index") % {"department": department.name}
                ),
                "team_rows": _sorted_rows([(teams[i], c) for i, c in team_cards.items()]),
                "child_rows": _sorted_rows([(child_rows[i], c) for i, c in child_cards.items()]),
                "kpi_codes": list(card.lines),
            }
        )
        return context


# Columns of the scorecard table whose order needs no scorecard.
NAMED_COLUMNS = frozenset({"team", "department"})


def _fill_row(row: dict[str, Any], card: Scorecard) -> None:
    """A scorecard table row's scorecard cells: composite, status counts and one line per KPI."""
    row.update(
        composite=card.composite,
        red=card.count("red"),
        amber=card.count("amber"),
        green=card.count("green"),
        **{f"kpi_{code}": line for code, line in card.lines.items()},
    )


def _sorted_rows(pairs: list[tuple[Any, Scorecard]]) -> list[dict[str, Any]]:
    rows = [{"object": obj, "card": card} for obj, card in pairs]
    return sorted(rows, key=lambda r: (r["card"].composite is None, -(r["card"].composite or 0), r["object"].name))


class TeamScorecardView(
    LoginRequiredMixin,
    PermissionRequiredMixin,
    PeriodMixin,
    BreadcrumbMixin,
    ScorecardTeamsMixin,
    ScopedObjectMixin,
    TemplateView,
):
    """One team's scorecard: per KPI actual, target, attainment, status, CI and sample, trend and a 12-period chart."""

    permission_required = "culture.view_scorecard"
    template_name = "culture/team_scorecard.html"

    def refine_queryset(self, queryset):
        return super().refine_queryset(queryset).select_related("department")

    def get(self, request, *args, **kwargs):
        self.object = self.team = self.get_object()
        self.title = self.team.name
        return super().get(request, *args, **kwargs)

    def get_breadcrumbs(self):
        crumbs: list[tuple[str, str | None]] = [(str(_("Scorecards")), reverse("culture:scorecard_home"))]
        if self.request.user.is_executive:
            department = self.team.department
            crumbs.append((department.name, reverse("culture:department_scorecard", args=[department.slug])))
        crumbs.append((self.team.name, None))
        return crumbs

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.period_context())
        code = context["period_code"]
        codes = series_codes(code, TREND_PERIODS)
        org: OrgTree = load_org()
        series = build_scorecard_series(period_codes=codes, level=TEAM, ids=[self.team.pk], org=org)
        card = series[code][self.team.pk]
        review = (
            Review.objects.filter(team=self.team, period__code=code)
            .select_related("submitted_by")
            .prefetch_related("actions__kpi", "actions__owner")
            .first()
        )
        leads = Team.objects.led_by(self.request.user).filter(pk=self.team.pk).exists()
        covered = {action.kpi.code for action in review.actions.all()} if review else set()
        covered |= carried_kpi_codes(team=self.team, start=parse_period(code).start)  # open from earlier reviews
        context.update(
            {
                "team": self.team,
                "card": card,
                "bridge": card_bridge(card, value_per_customer(code)),
                "lines": _kpi_charts(series, self.team.pk, codes),
                "composite_chart": _composite_chart(
                    series, self.team.pk, codes, _("%(team)s composite score") % {"team": self.team.name}
                ),
                "review": review,
                "can_review": leads and not context["period_is_closed"],
                "red_without_action": [
                    line for line in card.lines.values() if line.status == "red" and line.kpi_code not in covered
                ],
            }
        )
        return context


class ScorecardListView(PeriodMixin, ScorecardTeamsMixin, FilteredTableView):
    """Team scorecards side by side for a period: filter, sort by any KPI, export to CSV or XLSX."""

    permission_required = "culture.view_scorecard"
    table_class = ScorecardTable
    filterset_class = ScorecardFilterSet
    template_name = "culture/scorecard_list.html"
    title = _("Team scorecards")

    @property
    def export_name(self) -> str:  # type: ignore[override]  # the base's plain attribute, computed here
        return f"scorecards-{self.get_period_code()}"

    def refine_queryset(self, queryset):
        return super().refine_queryset(queryset).filter(is_active=True).select_related("department")

    def get_breadcrumbs(self):
        return [(str(_("Scorecards")), reverse("culture:scorecard_home")), (str(self.title), None)]

    def _needs_every_card(self, table) -> bool:
        """Whether rows off the page need their scorecards: a status filter, an export, or an order by a
        scorecard column (composite, counts, a KPI). Ordered by team or department (the default), only the
        page's teams are scored: the order and the count need no scorecard."""
        if self.get_export_format() or (self.filterset.is_bound and self.filterset.form.cleaned_data.get("status")):
            return True
        order = self.request.GET.get(table.prefixed_order_by_field, "")
        return any(name.strip().lstrip("-") not in NAMED_COLUMNS for name in order.split(",") if name.strip())

    def _build_rows(self, teams: list[Team], scored: set[int] | None) -> list[dict[str, Any]]:
        """One row per team; the scorecard's cells only for teams in `scored` (None: every team), the first
        team by id always (its lines name the KPI columns, as they did when every card was built)."""
        code = self.get_period_code()
        wanted_ids = [t.pk for t in teams] if scored is None else sorted(scored | {min(t.pk for t in teams)})
        cards = build_scorecard_series(period_codes=[code], level=TEAM, ids=wanted_ids)[code] if teams else {}
        self._kpis = next(iter(cards.values())).lines.values() if cards else []
        return self._rows_from(teams, cards)

    def get_table(self, **kwargs):
        if not hasattr(self, "_table"):
            self._table = self._configured_table()
        return self._table

    def _configured_table(self):
        teams = list(self.object_list)
        named = [{"team": t, "department": t.department.name} for t in teams]
        probe = self.get_table_class()(data=named)
        if not teams or self.get_export_format():
            rows = self._build_rows(teams, None)
        elif self._needs_every_card(probe):
            return self._ordered_by_figures(teams)
        else:
            # Order and page the rows by name first (the same sort and paging as the table below), then score
            # the page's teams only.
            RequestConfig(self.request, paginate=self.get_table_pagination(probe)).configure(probe)
            paged = getattr(probe, "page", None)
            page = [row.record for row in paged.object_list] if paged is not None else named
            rows = self._build_rows(teams, {row["team"].pk for row in page})
        table = self.get_table_class()(data=rows, extra_columns=kpi_columns(self._kpis))
        return RequestConfig(self.request, paginate=self.get_table_pagination(table)).configure(table)

    def _ordered_by_figures(self, teams: list[Team]):
        """Ordered by a scorecard column or filtered by status: every team's figures (status, rounded actual,
        unit, score and weight of each line, the composite: `figures.LineFigures`), ordered, filtered, paged
        and shown like whole cards (the same values; the table shows no trend)."""
        code = self.get_period_code()
        figures = build_scorecard_series(
            period_codes=[code], level=TEAM, ids=[t.pk for t in teams], with_trend=False, figures_only=True
        )[code]
        rows = self._rows_from(teams, figures)
        first = figures.get(min(t.pk for t in teams))  # its lines name the KPI columns, as with whole cards
        self._kpis = first.lines.values() if first is not None else []
        table = self.get_table_class()(data=rows, extra_columns=kpi_columns(self._kpis))
        return RequestConfig(self.request, paginate=self.get_table_pagination(table)).configure(table)

    def _rows_from(self, teams: list[Team], cards: dict[int | None, Scorecard]) -> list[dict[str, Any]]:
        """One row per team with its card's cells, keeping only teams with a line in the filtered status."""
        code = self.get_period_code()
        status = self.filterset.form.cleaned_data.get("status") if self.filterset.is_bound else ""
        rows = []
        for team in teams:
            card = cards.get(team.pk)
            if status and (card is None or not card.count(status)):
                continue
            row: dict[str, Any] = {"team": team, "department": team.department.name, "period": code}
            if card is not None:
                _fill_row(row, card)
            rows.append(row)
        return rows

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(self.period_context())
        return context
