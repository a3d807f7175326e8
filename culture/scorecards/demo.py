"""Demo scorecards for `seed_demo`: periods, targets (company, department and team overrides), reviews and a few
closed months. Runs after the measurements are seeded and works on whatever measurements exist."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from ..measurements.rollups import refresh_rows
from ..models import Kpi, Measurement, Membership, Period, Review, Target, Team
from .building import build_scorecards
from .calculations import quantum
from .periods import parse_period, shift_period
from .services import ActionInput, close_period, submit_review
from .status import Status

# Fallback thresholds (target, amber from, red from, weight, minimum sample) when there is too little data to
# set them from the spread between teams. Count KPIs (customers gained/lost) scale with the team, so they get
# no company target: they are shown, not scored.
DEFAULT_TARGETS: dict[str, tuple[str, str, str, str, int]] = {
    "nps": ("30", "20", "10", "2", 30),
    "csat": ("85", "80", "75", "2", 30),
    "ces": ("5.5", "5.0", "4.5", "1", 30),
    "fcr": ("75", "70", "65", "2", 0),
    "retention_rate": ("98.5", "98", "97", "1", 0),
    "churn_rate": ("1.5", "2.0", "3.0", "1", 0),
    "aht": ("300", "330", "360", "1", 0),
    "self_service_rate": ("40", "35", "30", "1", 0),
    "cost_per_contact": ("4.5", "5.0", "6.0", "1", 0),
    "repeat_purchase_rate": ("35", "30", "25", "1", 0),
}


@dataclass(frozen=True)
class DemoScorecards:
    periods: int
    targets: int
    reviews: int
    closed: list[str]


def _month_codes(today: dt.date, months: int) -> list[str]:
    """The last `months` complete months before `today`, oldest first."""
    last = parse_period(f"{today.year}-{today.month:02d}")
    return [shift_period(last, -steps).code for steps in range(months, 0, -1)]


def _percentile(values: list[Decimal], share: float) -> Decimal:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def _thresholds(kpi: Kpi, actuals: list[Decimal]) -> tuple[Decimal, Decimal, Decimal, Decimal, int]:
    """Target at the 60th percentile of the teams (40th when lower is better), amber and red below it."""
    target_, amber, red, weight, min_sample = DEFAULT_TARGETS[kpi.code]
    if len(actuals) >= 5:
        shares = (0.6, 0.4, 0.2) if not kpi.is_lower_better else (0.4, 0.6, 0.8)
        places = quantum(kpi.decimals)
        target_, amber, red = (str(_percentile(actuals, s).quantize(places, rounding=ROUND_HALF_UP)) for s in shares)
    return Decimal(target_), Decimal(amber), Decimal(red), Decimal(weight), min_sample


@transaction.atomic
def seed_scorecards(
    *,
    rng: random.Random,
    teams: list[Team],
    today: dt.date,
    months: int = 12,
    reviewed_months: int = 3,
    actor=None,
    before_close: Callable[[list[str]], object] | None = None,
) -> DemoScorecards:
    """Targets for the last `months` months, reviews for most teams, and every month but the last one closed.

    The previous month stays open (leads are still reviewing it); the older ones are closed by `actor`
    through `close_period`, so their scorecards are frozen snapshots. Reviews are written for the open
    month and the `reviewed_months` before it. `before_close` gets the codes about to close, after their
    targets and reviews exist (the demo calculates those months' payout runs there, so the close freezes them).
    """
    if not Measurement.objects.exists():
        seed_fallback_measurements(rng=rng, teams=teams, today=today, months=months)
    codes = _month_codes(today, months)
    periods = [Period.objects.get_or_create_for_code(code)[0] for code in codes]
    periods = [period for period in periods if not period.is_closed]  # frozen months keep what they had
    kpis = [k for k in Kpi.objects.filter(code__in=list(DEFAULT_TARGETS))]
    reference = build_scorecards(period_code=codes[-1], ids=[t.pk for t in teams])
    rows: list[Target] = []
    for kpi in kpis:
        actuals = [card.lines[kpi.code].actual for card in reference.values() if kpi.code in card.lines]
        target_, amber, red, weight, min_sample = _thresholds(kpi, [a for a in actuals if a is not None])
        for period in periods:
            rows.append(
                Target(
                    kpi=kpi,
                    period=period,
                    target_value=target_,
                    on_track_from=amber,
                    off_track_from=red,
                    weight=weight,
                    min_sample=min_sample,
                )
            )
            rows.extend(_overrides(kpi, period, teams, target_, amber, red, weight, min_sample))
    Target.objects.bulk_create(rows)

    reviews = 0
    closing = [p.code for p in periods if p.code != codes[-1]]
    reviewed = codes[-1 - reviewed_months :] if reviewed_months else codes[-1:]
    for code in reviewed:
        for team in teams:
            if rng.random() < (0.6 if code == codes[-1] else 0.9) and _review(rng=rng, team=team, code=code):
                reviews += 1
    if before_close is not None:
        before_close(closing)
    for code in closing:
        close_period(code=code, actor=actor, reason="demo data")
    return DemoScorecards(periods=len(periods), targets=len(rows), reviews=reviews, closed=list(closing))


def _overrides(kpi, period, teams, target_, amber, red, weight, min_sample) -> list[Target]:
    """A department that handles long phone calls gets a looser AHT; the second team a stretch NPS."""
    if kpi.code == "aht" and teams:
        slack = Decimal(30)
        return [
            Target(
                kpi=kpi,
                period=period,
                department=teams[0].department,
                target_value=target_ + slack,
                on_track_from=amber + slack,
                off_track_from=red + slack,
                weight=weight,
                min_sample=min_sample,
            )
        ]
    if kpi.code == "nps" and len(teams) > 1:
        stretch = Decimal(5)
        return [
            Target(
                kpi=kpi,
                period=period,
                team=teams[1],
                target_value=target_ + stretch,
                on_track_from=amber + stretch,
                off_track_from=red + stretch,
                weight=weight,
                min_sample=min_sample,
            )
        ]
    return []


ACTIONS = {
    "nps": ("Detractors mention long waits", "Call back every detractor within 48 hours"),
    "csat": ("Billing questions rated low", "Publish a billing explainer and train the team on it"),
    "ces": ("Customers repeat themselves", "Pass context between channels in the ticket"),
    "fcr": ("New joiners escalate often", "Pair new joiners with a senior for four weeks"),
    "retention_rate": ("Renewals came late", "Start renewal calls 90 days ahead"),
    "churn_rate": ("Price rise caused cancellations", "Offer a loyalty plan to at-risk accounts"),
    "aht": ("Complex cases dominated", "Add a knowledge-base article for the top five cases"),
    "self_service_rate": ("Portal search fails", "Fix the ten most failed portal searches"),
    "cost_per_contact": ("Overtime in peak weeks", "Shift rota to match the contact forecast"),
    "repeat_purchase_rate": ("Few follow-up offers", "Follow up each first order after 30 days"),
}


def _review(*, rng: random.Random, team: Team, code: str) -> bool:
    lead = (
        Membership.objects.current(parse_period(code).end)
        .filter(team=team, role=Membership.Role.LEAD)
        .select_related("person__user")
        .first()
    )
    if lead is None or Review.objects.filter(team=team, period__code=code).exists():
        return False
    card = build_scorecards(period_code=code, ids=[team.pk])[team.pk]
    due = parse_period(code).end + dt.timedelta(days=rng.choice([14, 21, 30]))
    actions = [
        ActionInput(line.kpi_code, *ACTIONS.get(line.kpi_code, ("Below target", "Agree a plan")), lead.person_id, due)
        for line in card.lines.values()
        if line.status == Status.RED
    ]
    current_members = Membership.objects.current().filter(team=team, person=lead.person_id).exists()
    if actions and not current_members:
        return False
    comment = rng.choice(
        [
            "Solid month; the new rota helped.",
            "Mixed month: volumes were up after the product launch.",
            "Tough month with two people on leave; recovering now.",
        ]
    )
    submit_review(actor=lead.person.user, team=team, period=code, comment=comment, actions=actions)
    return True


def seed_fallback_measurements(*, rng: random.Random, teams: list[Team], today: dt.date, months: int) -> int:
    """Monthly demo measurements (one row per team, KPI and month) for when no measurement seed ran.

    The measurement seed of the ingest side writes daily rows; this keeps a scorecards-only install
    showing realistic pages. Survey KPIs carry sample sizes and sums of squares for their intervals.
    """
    kpis = {k.code: k for k in Kpi.objects.all()}
    rows: list[Measurement] = []
    for team in teams:
        skill = rng.uniform(-1, 1)
        customers = rng.randint(800, 3000)
        for index, code in enumerate(_month_codes(today, months + 1)):
            day = parse_period(code).start + dt.timedelta(days=14)
            drift = 0.02 * index / max(months, 1)
            contacts = rng.randint(400, 2400)
            month_rows = _month_rows(rng, kpis, team, day, skill, drift, contacts, customers)
            rows.extend(r for r in month_rows if r.kpi_id)
            customers = next((r.closing for r in month_rows if r.closing is not None), customers)
    Measurement.objects.bulk_create(rows, batch_size=1000)
    refresh_rows(rows)
    return len(rows)


def _month_rows(rng, kpis, team, day, skill, drift, contacts, customers) -> list[Measurement]:
    def d(value: float, places: int = 4) -> Decimal:
        return Decimal(str(round(value, places)))

    def row(code: str, **values) -> Measurement:
        """A row for the KPI; a catalogue without that KPI (e.g. after `flush`) gives a row that is dropped."""
        return Measurement(team=team, kpi=kpis.get(code), date=day, source="command", **values)

    rows = []
    responses = rng.randint(12, 140)
    promoter = min(max(0.45 + 0.08 * skill + drift + rng.gauss(0, 0.04), 0.05), 0.9)
    detractor = min(max(0.22 - 0.06 * skill - drift + rng.gauss(0, 0.03), 0.02), 0.6)
    promoters = sum(rng.random() < promoter for _ in range(responses))
    detractors = sum(rng.random() < detractor for _ in range(responses - promoters))
    rows.append(
        row(
            "nps",
            numerator=d(promoters - detractors),
            denominator=d(responses),
            sample_size=responses,
            sum_squares=d(promoters + detractors),
        )
    )
    satisfied_p = min(max(0.8 + 0.05 * skill + drift + rng.gauss(0, 0.02), 0.3), 0.99)
    satisfied = sum(rng.random() < satisfied_p for _ in range(responses))
    rows.append(
        row(
            "csat",
            numerator=d(satisfied),
            denominator=d(responses),
            sample_size=responses,
            sum_squares=d(satisfied),
        )
    )
    scores = [min(7, max(1, round(rng.gauss(5.1 + 0.4 * skill + 4 * drift, 1.1)))) for _ in range(responses)]
    rows.append(
        row(
            "ces",
            value=d(sum(scores) / len(scores), 6),
            sample_size=len(scores),
            sum_squares=d(sum(s * s for s in scores)),
        )
    )

    def ratio(code: str, share: float, denominator: int, spread: float = 0.02) -> Measurement:
        value = max(share + rng.gauss(0, spread), 0.0)
        return row(code, numerator=d(round(denominator * value)), denominator=d(denominator))

    rows.append(ratio("fcr", 0.7 + 0.05 * skill + drift, contacts))
    # One row a month carries the month's flows; its opening is the previous row's closing (a flagged gap:
    # the month's first day has no row), so the bridge balances month to month.
    lost = max(0, round(customers * max(0.004, 0.02 - 0.005 * skill - drift / 4 + rng.gauss(0, 0.003))))
    gained = max(0, round(customers * max(0.0, 0.022 + 0.004 * skill + rng.gauss(0, 0.004))))
    base = {"opening": customers, "gained": gained, "lost": lost, "closing": customers + gained - lost}
    rows.append(row("retention_rate", **base))
    rows.append(row("churn_rate", **base))
    rows.append(ratio("self_service_rate", 0.34 + 0.05 * skill + drift, contacts))
    rows.append(ratio("repeat_purchase_rate", 0.3 + 0.04 * skill + drift, customers))
    rows.append(
        row(
            "aht",
            value=d(max(120.0, rng.gauss(330 - 25 * skill - 300 * drift, 15)), 1),
            sample_size=contacts,
        )
    )
    cost = contacts * max(1.5, rng.gauss(5.0 - 0.4 * skill - 5 * drift, 0.3))
    rows.append(row("cost_per_contact", numerator=d(cost, 2), denominator=d(contacts)))
    rows.append(row("customers_gained", value=d(gained)))
    rows.append(row("customers_lost", value=d(lost)))
    return rows
