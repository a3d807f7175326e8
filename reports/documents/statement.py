"""Incentive statement PDF: one person's payout line in one run, every number explained in words.

The statement is rebuilt on every request (`is_final` is false): adjustments can still be added to an
approved run, and a statement is cheap to print.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import get_language, gettext_lazy

from core.formatting import format_money
from core.money import round_money
from core.pdf import ACCESSIBLE, render_template_to_pdf
from culture.scorecards import parse_period
from incentives.explain import component_table
from incentives.models import Adjustment, PayoutLine, PayoutStint

from . import NO_STAMP, BuiltDocument, DocumentKind, Progress, Stamp, register
from .common import input_checksum, percent

TEMPLATE = "pdf/statement.html"
REWARD_WORDS = {"cash": "paid in cash", "points": "paid in points", "gift_card": "paid as a gift card"}


def _money(amount: Decimal, currency: str) -> str:
    """The statement's amounts in the language the document is rendered in."""
    return format_money(amount, currency, get_language())


@dataclass(frozen=True)
class StatementData:
    line: PayoutLine
    stints: list[PayoutStint]
    adjustments: list[Adjustment]
    hidden: frozenset[int] = frozenset()  # teams whose figures the reader may not see

    @property
    def currency(self) -> str:
        return self.line.run.currency

    @property
    def final_amount(self) -> Decimal:
        """The line's once-rounded amount plus adjustments (each already in the currency's minor unit)."""
        total = self.line.amount + sum((a.amount for a in self.adjustments), Decimal(0))
        return round_money(total, self.currency)

    def evidence(self) -> dict[str, Any]:
        line = self.line
        return {
            "document": "incentive_statement",
            "line": line.pk,
            "run": line.run_id,
            "run_status": line.run.status,
            "plan": line.run.plan.name,
            "period": line.run.plan.period.code,
            "person": line.person.name,
            "currency": self.currency,
            "target_amount": line.target_amount,
            "proration": line.proration,
            "exact_amount": line.exact_amount,
            "amount": line.amount,
            "stints": [
                [s.team.name, s.days, s.proration, s.gates_met, s.exact_amount, s.components] for s in self.stints
            ],
            "adjustments": [[a.amount, a.reason, a.created_at] for a in self.adjustments],
            "hidden": sorted(self.hidden),
        }


def gather_statement(*, line_id: int, hidden: Iterable[int] = ()) -> StatementData:
    """The line with its run, plan, person, stints and adjustments (three queries)."""
    stints = PayoutStint.objects.select_related("team").order_by("pk")
    line = (
        PayoutLine.objects.select_related("run__plan__period", "person", "team", "breakdown")
        .prefetch_related(Prefetch("breakdown__stints", queryset=stints))
        .get(pk=line_id)
    )
    adjustments = list(
        Adjustment.objects.approved().filter(run_id=line.run_id, person_id=line.person_id).order_by("pk")
    )
    return StatementData(line=line, stints=list(line.stints.all()), adjustments=adjustments, hidden=frozenset(hidden))


def _exact(value: Decimal, currency: str) -> str:
    """An unrounded amount in its unit, to six places: what the line was rounded from (sv `1 234,567890 €`)."""
    return format_money(value, currency, get_language(), places=6)


def statement_context(data: StatementData, checksum: str) -> dict[str, Any]:
    line, currency = data.line, data.currency
    run = line.run
    period_days = parse_period(run.plan.period.code).days
    return {
        "title": f"Incentive statement: {line.person.name}, {run.plan.name}",
        "line": line,
        "run": run,
        "currency": currency,
        "reward": REWARD_WORDS.get(run.plan.reward_type, run.plan.get_reward_type_display()),
        "amount": _money(line.amount, currency),
        "final_amount": _money(data.final_amount, currency),
        "target_amount": _money(line.target_amount, currency),
        "proration_pct": percent(line.proration * 100, 1),
        "period_days": period_days,
        "ineligible_days": max(period_days - sum(s.days for s in data.stints), 0),
        "exact_amount": _exact(line.exact_amount, currency),
        "stints": [
            {
                "team": s.team.name,
                "days": s.days,
                "proration": percent(s.proration * 100, 1),
                "gates_met": s.gates_met,
                "hidden": s.team_id in data.hidden,
                "exact_amount": _exact(s.exact_amount, currency),
                "components": component_table(s.components, hidden=s.team_id in data.hidden),
            }
            for s in data.stints
        ],
        "adjustments": [
            {"date": a.created_at, "amount": _money(a.amount, currency), "reason": a.reason} for a in data.adjustments
        ],
        "generated_at": run.approved_at or run.computed_at,
        "checksum": checksum,
    }


def render_statement(data: StatementData, *, fetcher=None, stamp: Stamp = NO_STAMP) -> tuple[bytes, str]:
    checksum = input_checksum(data.evidence())
    context = {**statement_context(data, checksum), **stamp.context()}
    return render_template_to_pdf(TEMPLATE, context, variant=ACCESSIBLE, fetcher=fetcher), checksum


def clean_parameters(params: Mapping[str, Any]) -> dict[str, Any]:
    try:
        line_id = int(params.get("line", 0))
    except (TypeError, ValueError):
        raise ValueError("A statement is asked for by its payout line id.") from None
    if not PayoutLine.objects.filter(pk=line_id).exists():
        raise ValueError(f"No payout line {line_id}.")
    try:
        hidden = sorted({int(team_id) for team_id in params.get("hidden") or ()})
    except (TypeError, ValueError):
        raise ValueError("Hidden teams are given by their ids.") from None
    return {"line": line_id, **({"hidden": hidden} if hidden else {})}


def build(params: Mapping[str, Any], progress: Progress, stamp: Stamp = NO_STAMP) -> BuiltDocument:
    data = gather_statement(line_id=params["line"], hidden=params.get("hidden", ()))
    progress(40)
    pdf, checksum = render_statement(data, stamp=stamp)
    # Ids only: the file name becomes a storage path, and a person's name is user text (and personal data).
    return BuiltDocument(
        content=pdf,
        filename=f"statement-{data.line.run.plan.period.code}-{data.line.pk}.pdf",
        input_checksum=checksum,
    )


KIND = register(
    DocumentKind(
        kind="incentive_statement",
        label=gettext_lazy("Incentive statement"),
        permission="incentives.view_payoutline",
        build=build,
        clean_parameters=clean_parameters,
        is_final=lambda params: False,
    )
)
