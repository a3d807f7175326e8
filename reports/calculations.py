"""Value proven: what the movement of customer KPIs is worth in money. Pure: Decimal, no ORM."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.numbers import fixed

HUNDRED = Decimal(100)


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


@dataclass(frozen=True)
class ValueProven:
    """Money figures (unrounded; round once when shown) with a sentence explaining each."""

    revenue_retained: Decimal | None
    cost_saved: Decimal | None
    total_value: Decimal
    incentive_spend: Decimal
    return_on_incentives: Decimal | None
    explanations: tuple[str, ...]


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
    ratio = None
    if inputs.incentive_spend > 0 and (retained is not None or saved is not None):
        ratio = total / inputs.incentive_spend
        notes.append(
            "Return on incentives is value proven divided by incentive spend: an association, not proof of cause."
        )
    elif inputs.incentive_spend <= 0:
        notes.append("No incentive spend in this period, so no return on incentives.")
    return ValueProven(retained, saved, total, inputs.incentive_spend, ratio, tuple(notes))
