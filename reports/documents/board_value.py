"""The board report's value section, pure: each value line with its amount, its range and its formula filled in.

The money comes from `reports.calculations.value_proven` (unrounded); here every figure is rounded once, for print.
Counts come from the data: customers are the retention KPI's base at the period's start, contacts the
self-service rate's denominator; the value model supplies only prices (and a fallback customer count).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from core.money import round_money
from culture.scorecards import KpiLine, Scorecard

from ..calculations import Interval, ValueInputs, ValueProven, value_proven
from .board_data import BoardData
from .common import DASH, money, number, percent

RATE_PLACES = 2


@dataclass(frozen=True)
class Comparison:
    """One value computation: this period against a base period (the previous one, or the chosen baseline)."""

    key: str
    base_code: str
    result: ValueProven
    inputs: ValueInputs
    customers_source: str


def _exact(line: KpiLine | None) -> Decimal | None:
    return line.judged_actual if line is not None else None


def _interval(line: KpiLine | None) -> Interval | None:
    """A sampled KPI's 95 % interval; counted KPIs (retention and churn from customer bases) have none."""
    if line is None or line.ci_low is None or line.ci_high is None:
        return None
    return line.ci_low, line.ci_high


def _customers(line: KpiLine | None, fallback: int | None) -> tuple[int, str]:
    """Customers at the period's start from the data (the retention base), else the value model's fallback."""
    if line is not None and line.sums.opening > 0:
        return int(line.sums.opening), "data"
    return (fallback or 0), "value model"


def compare(data: BoardData, base_code: str, key: str) -> Comparison | None:
    """Value of the period against `base_code` (None without a value model or a base period's scorecard)."""
    vm = data.value_model
    now: Scorecard = data.company[data.period_code]
    base = data.company.get(base_code)
    if vm is None:
        return None
    retention, self_service = now.lines.get("retention_rate"), now.lines.get("self_service_rate")
    base_lines = base.lines if base is not None else {}
    base_retention, base_self_service = base_lines.get("retention_rate"), base_lines.get("self_service_rate")
    customers, customers_source = _customers(retention, vm.customers)
    contacts = self_service.sums.denominator if self_service is not None and self_service.sums.denominator else None
    inputs = ValueInputs(
        customers=customers,
        revenue_per_customer=vm.revenue_per_customer,
        cost_per_assisted_contact=vm.cost_per_assisted_contact,
        cost_per_self_service_contact=vm.cost_per_self_service_contact,
        retention_rate=_exact(retention),
        previous_retention_rate=_exact(base_retention),
        self_service_rate=_exact(self_service),
        previous_self_service_rate=_exact(base_self_service),
        contacts=contacts,
        incentive_spend=data.incentive_spend,
        currency=vm.currency,
        self_service_interval=_interval(self_service),
        previous_self_service_interval=_interval(base_self_service),
        retention_interval=_interval(retention),
        previous_retention_interval=_interval(base_retention),
    )
    return Comparison(key, base_code, value_proven(inputs), inputs, customers_source)


def _rate(value: Decimal | None) -> str:
    return percent(value, RATE_PLACES)


def _cash(amount: Decimal | None, currency: str) -> str:
    return money(round_money(amount, currency) if amount is not None else None, currency)


def _range(rng: Interval | None, currency: str, reason: str) -> str:
    if rng is None:
        return reason
    return _("%(low)s to %(high)s") % {"low": _cash(rng[0], currency), "high": _cash(rng[1], currency)}


def _ratio(value: Decimal | None) -> str:
    return f"{number(value, 2)} : 1" if value is not None else DASH


def value_lines(comparison: Comparison) -> list[dict[str, str]]:
    """Revenue retained, cost saved, total, incentive spend and its return: amount, range, formula, figures."""
    result, inputs = comparison.result, comparison.inputs
    cur = inputs.currency
    base = comparison.base_code
    counted = _("exact: retention is counted from customer bases, not sampled (no interval)")
    lines = [
        {
            "key": "revenue_retained",
            "name": _("Revenue retained"),
            "amount": _cash(result.revenue_retained, cur),
            "range": _range(result.revenue_range, cur, counted) if result.revenue_retained is not None else DASH,
            "formula": _(
                "(retention rate now - retention rate %(base)s) / 100 x customers at the start x revenue per customer"
            )
            % {"base": base},
            "filled": (
                f"({_rate(inputs.retention_rate)} - {_rate(inputs.previous_retention_rate)}) / 100 x "
                f"{number(inputs.customers, 0)} x {money(inputs.revenue_per_customer, cur)} = "
                f"{_cash(result.revenue_retained, cur)}"
            )
            if result.revenue_retained is not None
            else _("unknown: the retention rate is missing for this period or %(base)s") % {"base": base},
        },
        {
            "key": "cost_saved",
            "name": _("Cost saved by self-service"),
            "amount": _cash(result.cost_saved, cur),
            "range": _range(
                result.saved_range, cur, _("exact: the self-service rate is counted, not sampled (no interval)")
            )
            if result.cost_saved is not None
            else DASH,
            "formula": _(
                "(self-service rate now - self-service rate %(base)s) / 100 x contacts now x "
                "(cost per assisted contact - cost per self-service contact)"
            )
            % {"base": base},
            "filled": (
                f"({_rate(inputs.self_service_rate)} - {_rate(inputs.previous_self_service_rate)}) / 100 x "
                f"{number(inputs.contacts or 0, 0)} x "
                f"({money(inputs.cost_per_assisted_contact, cur)} - {money(inputs.cost_per_self_service_contact, cur)})"
                f" = {_cash(result.cost_saved, cur)}"
            )
            if result.cost_saved is not None
            else _("unknown: the self-service rate or its contact volume is missing"),
        },
        {
            "key": "total",
            "name": _("Value (total)"),
            "amount": _cash(result.total_value, cur),
            "range": _range(result.total_range, cur, _("exact: no input is sampled")),
            "formula": _("revenue retained + cost saved (an unknown line counts as nothing)"),
            "filled": f"{_cash(result.revenue_retained, cur)} + {_cash(result.cost_saved, cur)} = "
            f"{_cash(result.total_value, cur)}",
        },
        {
            "key": "incentive_spend",
            "name": _("Incentive spend"),
            "amount": _cash(result.incentive_spend, cur),
            "range": _("exact (ledger)"),
            "formula": _(
                "lines + approved adjustments of the period's payout runs: approved or paid, else the latest "
                "calculated one (runs are approved after the close; a closed period keeps the spend it closed with)"
            ),
            "filled": _cash(result.incentive_spend, cur),
        },
        {
            "key": "incentive_return",
            "name": _("Incentive return (association, not a cause)"),
            "amount": _ratio(result.return_on_incentives),
            "range": (
                f"{_ratio(result.return_range[0])} {_('to')} {_ratio(result.return_range[1])}"
                if result.return_range is not None
                else (_("exact: no input is sampled") if result.return_on_incentives is not None else DASH)
            ),
            "formula": _(
                "(revenue retained + cost saved) / incentive spend; KPIs moved while incentives were paid: an "
                "association between spend and KPI movement, not proof that the spend caused it"
            ),
            "filled": f"{_cash(result.total_value, cur)} / {_cash(result.incentive_spend, cur)} = "
            f"{_ratio(result.return_on_incentives)}"
            if result.return_on_incentives is not None
            else _("unknown: no incentive spend, or no value line is known"),
        },
    ]
    return lines


def hiring_line(data: BoardData) -> dict[str, str]:
    """Hiring quality: mean interview score and mean 90-day rating of the period's hires, each with its n."""
    hiring = data.hiring
    scores, ratings = hiring.scores, hiring.ratings_90_day
    score, rating = hiring.mean_score, hiring.mean_rating_90_day
    amount = (
        _("score %(score)s, 90-day rating %(rating)s")
        % {
            "score": number(score, 1),
            "rating": number(rating, 2),
        }
        if hiring.n
        else DASH
    )
    if not hiring.n:
        filled = _("no hires in the period")
    else:
        filled = _("scores %(sum_s)s / %(n_s)s hires = %(score)s; ratings %(sum_r)s / %(n_r)s rated = %(rating)s") % {
            "sum_s": number(sum(scores, Decimal(0)), 1),
            "n_s": len(scores),
            "score": number(score, 1),
            "sum_r": number(sum(ratings, Decimal(0)), 2),
            "n_r": len(ratings),
            "rating": number(rating, 2),
        }
    return {
        "key": "hiring_quality",
        "name": _("Hiring quality (%(n)s hires)") % {"n": hiring.n},
        "amount": amount,
        "range": _("n = %(scored)s scored, %(rated)s rated") % {"scored": len(scores), "rated": len(ratings)},
        "formula": _(
            "mean interview score (0-100) of the period's hires; mean 90-day rating (1-5, same rubric) of those rated"
        ),
        "filled": filled,
    }


def value_section(data: BoardData) -> dict[str, Any] | None:
    """The value section: period over period, and since the chosen baseline when the CCO picked one."""
    vm = data.value_model
    if vm is None:
        return None
    comparisons = [c for c in [compare(data, data.previous_code, "previous")] if c is not None]
    if data.baseline_code and data.baseline_code != data.previous_code:
        since = compare(data, data.baseline_code, "baseline")
        if since is not None:
            comparisons.append(since)
    first = comparisons[0]
    currency = vm.currency
    contacts = first.inputs.contacts
    return {
        "currency": currency,
        "comparisons": [
            {
                "title": _("%(period)s against %(base)s (previous period)")
                % {"period": data.period_code, "base": c.base_code}
                if c.key == "previous"
                else _("%(period)s against the baseline %(base)s") % {"period": data.period_code, "base": c.base_code},
                "lines": value_lines(c),
            }
            for c in comparisons
        ],
        "hiring": hiring_line(data),
        "result": first.result,
        "carried_from": vm.period.code if vm.period.code != data.period_code else "",
        "baseline": data.baseline_code,
        "other_spend": [f"{number(amount, 0)} {cur}" for cur, amount in data.other_currency_spend.items()],
        "model": [
            (
                _("Customers at the start (from the data)")
                if first.customers_source == "data"
                else _("Customers (value model fallback)"),
                number(first.inputs.customers, 0),
            ),
            (_("Revenue per customer"), money(vm.revenue_per_customer, currency)),
            (_("Cost per assisted contact"), money(vm.cost_per_assisted_contact, currency)),
            (_("Cost per self-service contact"), money(vm.cost_per_self_service_contact, currency)),
            (_("Contacts in the period (from the data)"), number(contacts, 0) if contacts else DASH),
        ],
    }
