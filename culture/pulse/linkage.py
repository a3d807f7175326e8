"""The service-profit chain's data: per team, one pulse's engagement (eNPS or culture index) beside a customer KPI
of the same quarter or 1-3 quarters later, and their correlation (`chain.correlate`).

Engagement comes only through `pulse_results`, so no team below the minimum group (or hidden by the differencing
rule) is ever a point; the KPI comes from `build_scorecards` (grouped in the database). Both run a fixed number
of queries whatever the number of teams.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import Kpi, Pulse
from ..scorecards.building import build_scorecards
from ..scorecards.periods import PeriodSpan, parse_period, shift_period
from ..scorecards.scopes import TEAM
from .chain import ChainRefused, Correlation, correlate
from .results import pulse_results

MEASURES = {"enps": _("eNPS"), "culture_index": _("Culture index")}
MAX_LAG = 3


def minimum_teams() -> int:
    return int(getattr(settings, "CENTRIC_CHAIN_MIN_TEAMS", 8))


def pulse_quarter(pulse: Pulse) -> PeriodSpan:
    """The period a pulse measures: the quarter in which it closes."""
    day = pulse.closes_on
    return parse_period(f"{day.year}-Q{(day.month - 1) // 3 + 1}")


def kpi_quarter(pulse: Pulse, lag: int) -> PeriodSpan:
    return shift_period(pulse_quarter(pulse), lag)


@dataclass(frozen=True)
class ChainPoint:
    team_id: int
    team_name: str
    engagement: Decimal
    kpi: Decimal


@dataclass(frozen=True)
class ServiceChain:
    """What the dashboard shows: the points, and either a correlation or the plain reason there is none."""

    pulse: Pulse
    measure: str
    kpi: Kpi
    lag: int
    engagement_period: str
    kpi_period: str
    points: list[ChainPoint] = field(default_factory=list)
    correlation: Correlation | None = None
    refusal: str = ""


def default_pulse(pulses: list[Pulse], lag: int, today: dt.date) -> Pulse | None:
    """The latest pulse whose KPI quarter (with the lag) is over; else the latest pulse."""
    ordered = sorted(pulses, key=lambda p: (p.closes_on, p.pk), reverse=True)
    complete = [p for p in ordered if kpi_quarter(p, lag).end < today]
    found = complete or ordered
    return found[0] if found else None


def service_chain(
    user, *, pulse: Pulse, measure: str, kpi: Kpi, lag: int, today: dt.date | None = None
) -> ServiceChain:
    """Engagement of `pulse` per shown team against `kpi` in the pulse's quarter shifted by `lag` quarters."""
    if measure not in MEASURES or not 0 <= lag <= MAX_LAG:
        raise ValueError("measure or lag out of range")
    today = today or timezone.localdate()
    span = kpi_quarter(pulse, lag)
    base: dict[str, Any] = {
        "pulse": pulse,
        "measure": measure,
        "kpi": kpi,
        "lag": lag,
        "engagement_period": pulse_quarter(pulse).code,
        "kpi_period": span.code,
    }
    if span.end >= today:
        refusal = gettext(
            "The KPI period %(period)s is not over yet, so there is no complete period to compare with: "
            "choose a smaller lag or an earlier pulse."
        ) % {"period": span.code}
        return ServiceChain(**base, refusal=refusal)
    engagement: dict[int, tuple[str, Decimal]] = {}
    for row in pulse_results(user, pulse_id=pulse.pk, scope="team", question_key="", today=today):
        value = getattr(row, measure)
        if value is not None:
            (team_id,) = row.teams
            engagement[team_id] = (row.group_name, value)
    cards = (
        build_scorecards(
            period_code=span.code, level=TEAM, ids=list(engagement), kpi_codes=[kpi.code], with_trend=False
        )
        if engagement
        else {}
    )
    points = []
    for team_id, (name, value) in sorted(engagement.items(), key=lambda item: item[1][0]):
        card = cards.get(team_id)
        actual = card.actual(kpi.code) if card is not None else None
        if actual is not None:
            points.append(ChainPoint(team_id=team_id, team_name=name, engagement=value, kpi=actual))
    try:
        correlation = correlate(
            [float(p.engagement) for p in points], [float(p.kpi) for p in points], minimum_teams=minimum_teams()
        )
    except ChainRefused as refused:
        return ServiceChain(**base, points=points, refusal=str(refused))
    return ServiceChain(**base, points=points, correlation=correlation)


@dataclass(frozen=True)
class _Board:
    """The board report's reader: the executives' view of pulse results (every group the rule shows)."""

    is_authenticated: bool = True
    is_executive: bool = True


BOARD = _Board()


def chain_to_json(chain: ServiceChain | None) -> dict[str, Any] | None:
    """A chain as plain JSON, to freeze with a closed period (Decimals as strings)."""
    if chain is None:
        return None
    c = chain.correlation
    return {
        "pulse": [chain.pulse.pk, chain.pulse.title],
        "measure": chain.measure,
        "kpi": [chain.kpi.code, chain.kpi.name],
        "lag": chain.lag,
        "engagement_period": chain.engagement_period,
        "kpi_period": chain.kpi_period,
        "points": [[p.team_id, p.team_name, str(p.engagement), str(p.kpi)] for p in chain.points],
        "correlation": None if c is None else [c.r, c.low, c.high, c.n],
        "refusal": chain.refusal,
    }


def chain_from_json(data: dict[str, Any] | None) -> ServiceChain | None:
    """The chain `chain_to_json` froze (its pulse and KPI as unsaved instances carrying what was printed)."""
    if data is None:
        return None
    correlation = data["correlation"]
    return ServiceChain(
        pulse=Pulse(pk=data["pulse"][0], title=data["pulse"][1]),
        measure=data["measure"],
        kpi=Kpi(code=data["kpi"][0], name=data["kpi"][1]),
        lag=data["lag"],
        engagement_period=data["engagement_period"],
        kpi_period=data["kpi_period"],
        points=[
            ChainPoint(team_id=t, team_name=n, engagement=Decimal(e), kpi=Decimal(k)) for t, n, e, k in data["points"]
        ],
        correlation=None if correlation is None else Correlation(*correlation),
        refusal=data["refusal"],
    )


def freeze_board_chain(period, org) -> dict[str, Any] | None:
    """The board report's chain as on the day the period closed (registered as the "culture.chain" freezer)."""
    day = timezone.localdate(period.closed_at) if period.closed_at else None
    return chain_to_json(board_chain(period.code, today=day))


def board_chain(period_code: str, today: dt.date | None = None) -> ServiceChain | None:
    """For the board report: eNPS of the latest closed pulse whose quarter ended by the period's end, against
    customer NPS in that quarter (lag 0); None without such a pulse or without the NPS KPI."""
    end = parse_period(period_code).end
    today = today or timezone.localdate()
    kpi = Kpi.objects.filter(code="nps").first()
    pulses = [p for p in Pulse.objects.filter(closes_on__lt=today) if pulse_quarter(p).end <= end]
    pulse = default_pulse(pulses, 0, today)
    if pulse is None or kpi is None:
        return None
    return service_chain(BOARD, pulse=pulse, measure="enps", kpi=kpi, lag=0, today=today)
