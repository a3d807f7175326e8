"""Demo value model for `seed_demo`: prices entered once, on the first demo month, and carried forward.

Runs before the demo months are closed (a closed month's value model is frozen). Customer and contact counts are
not entered: the board report reads them from the data.
"""

from __future__ import annotations

from decimal import Decimal

from .models import ValueModel
from .services import save_value_model


def seed_value_model(*, first_month: str, actor=None) -> ValueModel:
    """The CCO's prices for `first_month`, with that month as the baseline of every later month's value."""
    return save_value_model(
        period_code=first_month,
        values={
            "currency": "EUR",
            "customers": None,
            "revenue_per_customer": Decimal("45.00"),  # a month's revenue per customer (the demo's months)
            "cost_per_assisted_contact": Decimal("6.50"),
            "cost_per_self_service_contact": Decimal("0.80"),
            "baseline_code": first_month,
        },
        actor=actor,
    )
