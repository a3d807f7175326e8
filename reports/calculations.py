"""Value proven: what the movement of customer KPIs is worth in money. Pure: Decimal, no ORM."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.numbers import fixed

HUNDRED = Decimal(100)


Interval = tuple[Decimal, Decimal]


@dataclass(frozen=True)
class ValueInputs:
    """The CCO's value model for a period, and the KPI actuals it is applied to."""

    customers: int
    revenue_per_customer: Decimal
    cost_per_assisted_contact: Decimal
    cost_per_self_service_contact: Decimal
    retention_rate: Decimal | None
    previous_retention_rate: Decimal | None
    self_service_rate: Decimal | None
    previous_self_service_rate: Decimal | None
    contacts: Decimal | None
    incentive_spend: Decimal
    currency: str = ""  # only for the explanations' wording
    # 95 % intervals of sampled KPIs (None for counted KPIs such as retention from customer bases).
    self_service_interval: Interval | None = None
    previous_self_service_interval: Interval | None = None
    retention_interval: Interval | None = None
    previous_retention_interval: Interval | None = None


@dataclass(frozen=True)
class ValueProven:
    """Money figures (unrounded; round once when shown) with a sentence explaining each."""

    revenue_retained: Decimal | None
    cost_saved: Decimal | None
    total_value: Decimal
    incentive_spend: Decimal
    return_on_incentives: Decimal | None
    explanations: tuple[str, ...]
    # Low-high ranges carried from the sampled KPIs' intervals; None when every input is counted (no range).
    revenue_range: Interval | None = None
    saved_range: Interval | None = None
    total_range: Interval | None = None
    return_range: Interval | None = None


def _amount(value: Decimal, currency: str) -> str:
    return f"{currency} {fixed(value, 2, grouping=True)}".lstrip()


def revenue_retained(
    *, customers: int, revenue_per_customer: Decimal, retention_rate: Decimal, previous_retention_rate: Decimal
) -> Decimal:
    """Extra customers kept by the retention change, valued at the revenue per customer (negative if it fell)."""
    return (retention_rate - previous_retention_rate) / HUNDRED * customers * revenue_per_customer


def self_service_saving(
    *,
    contacts: Decimal,
    self_service_rate: Decimal,
    previous_self_service_rate: Decimal,
    cost_per_assisted_contact: Decimal,
    cost_per_self_service_contact: Decimal,
) -> Decimal:
    """Contacts moved from assisted to self-service, times the cost difference between the two."""
    shifted = (self_service_rate - previous_self_service_rate) / HUNDRED * contacts
    return shifted * (cost_per_assisted_contact - cost_per_self_service_contact)


def change_range(
    now: Decimal, before: Decimal, now_interval: Interval | None, before_interval: Interval | None
) -> Interval | None:
    """The widest change consistent with both intervals: (now low - before high, now high - before low).

    A side without an interval (a counted KPI) is taken as exact; with no interval on either side there is no range.
    """
    if now_interval is None and before_interval is None:
        return None
    now_low, now_high = now_interval or (now, now)
    before_low, before_high = before_interval or (before, before)
    return now_low - before_high, now_high - before_low


def scale_range(change: Interval | None, factor: Decimal) -> Interval | None:
    """A change range times a money factor, low first even when the factor is negative."""
    if change is None:
        return None
    ends = (change[0] / HUNDRED * factor, change[1] / HUNDRED * factor)
    return min(ends), max(ends)


def _add_ranges(parts: list[tuple[Decimal | None, Interval | None]]) -> Interval | None:
    """Sum of the known parts' ranges (an exact part counts as its own value); None when no part has a range."""
    known = [(amount, rng) for amount, rng in parts if amount is not None]
    if not any(rng is not None for _amount, rng in known):
        return None
    low = sum(((rng or (amount, amount))[0] for amount, rng in known), Decimal(0))
    high = sum(((rng or (amount, amount))[1] for amount, rng in known), Decimal(0))
    return low, high


def value_proven(inputs: ValueInputs) -> ValueProven:
    """Revenue retained + cost saved, and their ratio to incentive spend; missing KPI data counts as unknown."""
    notes: list[str] = []
    retained = None
    if inputs.retention_rate is not None and inputs.previous_retention_rate is not None:
        retained = revenue_retained(
            customers=inputs.customers,
            revenue_per_customer=inputs.revenue_per_customer,
            retention_rate=inputs.retention_rate,
            previous_retention_rate=inputs.previous_retention_rate,
        )
        revenue = _amount(inputs.revenue_per_customer, inputs.currency)
        notes.append(
            f"Retention moved {fixed(inputs.previous_retention_rate, 2)} % -> {fixed(inputs.retention_rate, 2)} % "
            f"on {inputs.customers:,} customers at {revenue} per customer."
        )
    else:
        notes.append("Revenue retained is unknown: retention rate is missing for this or the previous period.")
    saved = None
    rate, previous_rate, contacts = inputs.self_service_rate, inputs.previous_self_service_rate, inputs.contacts
    if rate is not None and previous_rate is not None and contacts is not None:
        saved = self_service_saving(
            contacts=contacts,
            self_service_rate=rate,
            previous_self_service_rate=previous_rate,
            cost_per_assisted_contact=inputs.cost_per_assisted_contact,
            cost_per_self_service_contact=inputs.cost_per_self_service_contact,
        )
        per_contact = inputs.cost_per_assisted_contact - inputs.cost_per_self_service_contact
        notes.append(
            f"Self-service moved {fixed(previous_rate, 2)} % -> {fixed(rate, 2)} % of "
            f"{fixed(contacts, 0, grouping=True)} contacts, "
            f"saving {_amount(per_contact, inputs.currency)} per contact moved."
        )
    else:
        notes.append("Cost saved is unknown: self-service rate or contact volume is missing.")
    total = (retained or Decimal(0)) + (saved or Decimal(0))
    revenue_rng = saved_rng = None
    if retained is not None:
        assert inputs.retention_rate is not None and inputs.previous_retention_rate is not None
        revenue_rng = scale_range(
            change_range(
                inputs.retention_rate,
                inputs.previous_retention_rate,
                inputs.retention_interval,
                inputs.previous_retention_interval,
            ),
            inputs.customers * inputs.revenue_per_customer,
        )
    if saved is not None:
        assert rate is not None and previous_rate is not None and contacts is not None
        saved_rng = scale_range(
            change_range(rate, previous_rate, inputs.self_service_interval, inputs.previous_self_service_interval),
            contacts * (inputs.cost_per_assisted_contact - inputs.cost_per_self_service_contact),
        )
    total_rng = _add_ranges([(retained, revenue_rng), (saved, saved_rng)])
    ratio = return_rng = None
    if inputs.incentive_spend > 0 and (retained is not None or saved is not None):
        ratio = total / inputs.incentive_spend
        if total_rng is not None:
            return_rng = (total_rng[0] / inputs.incentive_spend, total_rng[1] / inputs.incentive_spend)
        notes.append(
            "Return on incentives is value proven divided by incentive spend: an association, not proof of cause."
        )
    elif inputs.incentive_spend <= 0:
        notes.append("No incentive spend in this period, so no return on incentives.")
    return ValueProven(
        retained,
        saved,
        total,
        inputs.incentive_spend,
        ratio,
        tuple(notes),
        revenue_range=revenue_rng,
        saved_range=saved_rng,
        total_range=total_rng,
        return_range=return_rng,
    )
