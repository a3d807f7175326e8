"""A year's CX index when the year has no composite of its own: the index over its months with targets.

A year takes a target only when one is set for it or every one of its months has one (`derivation`), so a
year still running, or one older than the first months with targets, has no composite. Its CX index is then
computed over **the months of the year that have targets** (the year to date): the latest unbroken run of
months in which the company has a target for at least one KPI. Over that run each KPI's actual comes from
the run's rows (its raw sums, as for any period: a stock KPI's base on the run's first day), its target is
derived from the run's months by `derivation` (so only when each of those months has one), and the composite
is the usual weighted mean of the scores. A year with a composite of its own keeps it (`months` is then the
whole year). Targets set for the year itself are annual targets, not compared with part of a year: the index
over the run uses the months' targets only. docs/kpi-maths.md, "CX index of a year", has the definition
and a worked example.

A closed year reads the index frozen at its close (`PeriodClosing.frozen["culture.year_index"]`); a closing
written before it existed reads it live (rows and targets of a closed year can no longer change).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..models import Kpi, Period
from .building import _targets, build_scorecards, kpi_spec
from .calculations import Scorecard, scorecard
from .derivation import period_target
from .periods import PeriodKind, PeriodSpan, months_of, parse_period
from .scopes import COMPANY, DEPARTMENT, TEAM, OrgTree, load_org
from .sums import COMPANY_GROUP, grouped_sums, rolled_up

if TYPE_CHECKING:
    from ..models import PeriodClosing

FREEZER = "culture.year_index"


@dataclass(frozen=True)
class YearIndex:
    """The CX index a year shows: its own composite, or the one over its months with targets (`months`)."""

    year: str
    months: tuple[str, ...]  # the months covered, in order; empty when no month has targets
    card: Scorecard | None  # the company's scorecard over those months (None when no month has targets)
    whole_year: bool = False  # the year's own composite (a target for the year, or every month has one)
    # Each department's and team's scorecard over the same months, for a part year's league tables and
    # off-track list (asked for with `levels=True`; None when not asked, not partial, or frozen by a closing
    # written before they were).
    departments: Mapping[int, Scorecard] | None = None
    teams: Mapping[int, Scorecard] | None = None

    @property
    def composite(self) -> Decimal | None:
        return self.card.composite if self.card is not None else None

    @property
    def partial(self) -> bool:
        """Covers part of the year only (the year-to-date index)."""
        return bool(self.months) and not self.whole_year

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "year": self.year,
            "months": list(self.months),
            "whole_year": self.whole_year,
            "card": self.card.to_json() if self.card is not None else None,
        }
        # Left out when absent, so closings written before keep their checksum.
        for key, cards in (("departments", self.departments), ("teams", self.teams)):
            if cards is not None:
                data[key] = {str(i): card.to_json() for i, card in sorted(cards.items())}
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> YearIndex:
        card = data.get("card")
        return cls(
            year=data["year"],
            months=tuple(data.get("months", ())),
            card=Scorecard.from_json(card, is_snapshot=True) if card is not None else None,
            whole_year=bool(data.get("whole_year")),
            departments=_cards(data.get("departments")),
            teams=_cards(data.get("teams")),
        )


def _cards(data: Any) -> dict[int, Scorecard] | None:
    if not isinstance(data, Mapping):
        return None
    return {int(i): Scorecard.from_json(card, is_snapshot=True) for i, card in data.items()}


def latest_run(months: Sequence[str], with_targets: set[str]) -> list[str]:
    """The latest unbroken run of `months` (in order) that are in `with_targets`; [] when none is."""
    run: list[str] = []
    for code in reversed(months):
        if code in with_targets:
            run.insert(0, code)
        elif run:
            break
    return run


def run_code(months: Sequence[str]) -> str:
    """The code a run's scorecard carries: `2026-01..2026-11` (a single month: its own code)."""
    return months[0] if len(months) == 1 else f"{months[0]}..{months[-1]}"


def compute_year_index(
    year_code: str, *, org: OrgTree | None = None, year_card: Scorecard | None = None, levels: bool = False
) -> YearIndex:
    """The year's CX index, live (a fixed number of queries: the year's company card when not given, the
    months' periods and targets, and one grouped aggregation over the run). `levels`: each department's and
    team's scorecard over the same run too (one more grouped aggregation each), for a part year's league tables
    and off-track list."""
    span = parse_period(year_code)
    if span.kind != PeriodKind.YEAR:
        raise ValueError(f"{year_code} is not a year")
    months = months_of(span)
    if year_card is None:
        year_card = build_scorecards(period_code=span.code, level=COMPANY)[None]
    if year_card.composite is not None:
        return YearIndex(span.code, tuple(months), year_card, whole_year=True)
    org = org or load_org()
    kpi_rows = list(Kpi.objects.all())
    kpis = [kpi_spec(k) for k in kpi_rows]
    code_by_id = {k.pk: k.code for k in kpi_rows}
    periods = {p.code: p for p in Period.objects.filter(code__in=months)}
    targets = _targets(sorted(p.pk for p in periods.values()), code_by_id)
    scopes = org.scopes(COMPANY, None)
    month_targets = {code: targets.get(periods[code].pk, {}) if code in periods else {} for code in months}
    with_targets = {
        code for code, found in month_targets.items() if any((scope, obj) in scopes for _kpi, scope, obj in found)
    }
    run = latest_run(months, with_targets)
    if not run:
        return YearIndex(span.code, (), None)
    first, last = parse_period(run[0]), parse_period(run[-1])
    bucket = PeriodSpan(run_code(run), PeriodKind.YEAR, first.start, last.end)
    aggregation_of = {k.pk: k.aggregation for k in kpi_rows}
    last_kpis = [k.pk for k in kpi_rows if k.aggregation == Kpi.Aggregation.LAST]
    sums = grouped_sums([bucket], aggregation_of, last_kpis, None, COMPANY)
    resolved = {
        kpi.code: found
        for kpi in kpis
        if (found := period_target(kpi, scopes, {}, [month_targets[code] for code in run])) is not None
    }
    card = scorecard(
        level=COMPANY,
        object_id=None,
        period_code=bucket.code,
        kpis=kpis,
        sums=rolled_up(sums, bucket.code, (COMPANY_GROUP,), code_by_id),
        previous_sums={},
        targets=resolved,
    )
    by_level: dict[str, dict[int, Scorecard] | None] = {DEPARTMENT: None, TEAM: None}
    if levels:
        month_sets = [month_targets[code] for code in run]
        under = org.departments_under()
        members: dict[str, dict[int, Collection[int]]] = {
            DEPARTMENT: {d: under.get(d, {d}) for d in sorted(org.department_parent)},
            TEAM: {t: (t,) for t in sorted(org.active_teams)},
        }
        for level, groups in members.items():
            # The same run, rolled up per department subtree (or per team), with targets derived from the run's
            # months as the company's are (a team's own, else its departments', else the company's).
            level_sums = grouped_sums([bucket], aggregation_of, last_kpis, None, level)
            cards: dict[int, Scorecard] = {}
            for object_id, group in groups.items():
                object_scopes = org.scopes(level, object_id)
                cards[object_id] = scorecard(
                    level=level,
                    object_id=object_id,
                    period_code=bucket.code,
                    kpis=kpis,
                    sums=rolled_up(level_sums, bucket.code, group, code_by_id),
                    previous_sums={},
                    targets={
                        kpi.code: found
                        for kpi in kpis
                        if (found := period_target(kpi, object_scopes, {}, month_sets)) is not None
                    },
                )
            by_level[level] = cards
    return YearIndex(span.code, tuple(run), card, departments=by_level[DEPARTMENT], teams=by_level[TEAM])


def year_index(
    year_code: str,
    *,
    org: OrgTree | None = None,
    year_card: Scorecard | None = None,
    closing: PeriodClosing | None = None,
    levels: bool = False,
) -> YearIndex:
    """The year's CX index as its pages and documents show it: frozen at the close of a closed year
    (`closing`: its current closing), else live (`levels`: with each department's and team's card over the run)."""
    if closing is not None and isinstance(closing.frozen.get(FREEZER), Mapping):
        return YearIndex.from_json(closing.frozen[FREEZER])
    return compute_year_index(year_code, org=org, year_card=year_card, levels=levels)


def freeze_year_index(period: Period, org: OrgTree) -> dict[str, Any] | None:
    """What a close freezes: a year's index (None for a month or a quarter)."""
    if period.kind != PeriodKind.YEAR:
        return None
    return compute_year_index(period.code, org=org, levels=True).to_json()


def describe_year_index(index: YearIndex) -> str:
    """The words beside a year's CX index: which months it covers, or that no month has targets; "" for a
    year with a composite of its own."""
    from django.utils.dates import MONTHS
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    if index.whole_year:
        return ""
    if not index.months:
        return _("CX index: no targets set for this year.")
    first, last = (MONTHS[parse_period(code).start.month] for code in (index.months[0], index.months[-1]))
    covered = str(first) if len(index.months) == 1 else f"{first}\u2013{last}"
    count = len(index.months)
    return ngettext(
        "CX index over the %(count)s month with targets, %(months)s.",
        "CX index over the %(count)s months with targets, %(months)s.",
        count,
    ) % {"count": count, "months": covered}
