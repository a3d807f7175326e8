"""What a period's close freezes for the board report besides culture's figures: the value model in force and
its baseline period (registered in ReportsConfig.ready; read back by `board_report.gather_board_report`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from culture.models import Period
from culture.scorecards import parse_period

from .models import ValueModel


def value_model_in_force(period_code: str) -> ValueModel | None:
    span = parse_period(period_code)
    return ValueModel.objects.in_force(kind=span.kind.value, start=span.start)


def baseline_of(model: ValueModel | None, period_code: str) -> str:
    """The model's baseline when it is earlier than the period ("" otherwise: period over period only)."""
    code = model.baseline_code if model is not None else ""
    if code and parse_period(code).start >= parse_period(period_code).start:
        return ""  # a carried-forward baseline that is not earlier than this period
    return code


def baseline_periods(period: Period) -> list[str]:
    """The value baseline's company scorecard is a comparison the closed report shows: frozen with the close."""
    code = baseline_of(value_model_in_force(period.code), period.code)
    return [code] if code else []


def freeze_value_model(period: Period, org: Any) -> dict[str, Any] | None:
    """The value model in force at the close (its own or carried forward), prices as exact strings."""
    model = value_model_in_force(period.code)
    if model is None:
        return None
    return {
        "period": [model.period.code, model.period.kind],
        "currency": model.currency,
        "customers": model.customers,
        "baseline_code": model.baseline_code,
        "revenue_per_customer": str(model.revenue_per_customer),
        "cost_per_assisted_contact": str(model.cost_per_assisted_contact),
        "cost_per_self_service_contact": str(model.cost_per_self_service_contact),
    }


def value_model_from_json(data: dict[str, Any] | None) -> ValueModel | None:
    """The frozen value model as an unsaved instance (never saved: the live row may have moved on)."""
    if data is None:
        return None
    code, kind = data["period"]
    return ValueModel(
        period=Period(code=code, kind=kind),
        currency=data["currency"],
        customers=data["customers"],
        baseline_code=data["baseline_code"],
        revenue_per_customer=Decimal(data["revenue_per_customer"]),
        cost_per_assisted_contact=Decimal(data["cost_per_assisted_contact"]),
        cost_per_self_service_contact=Decimal(data["cost_per_self_service_contact"]),
    )
