"""Incentives: plans tied to KPIs, payout curves, payout runs, adjustments, statements and what-if.

Contract for other apps: `incentive_spend(period_code)` -> spend by currency. It is loaded on first use
(PEP 562) because Django imports this package before the app registry is ready to load models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .spend import incentive_spend

__all__ = ["incentive_spend"]


def __getattr__(name: str) -> Any:
    if name == "incentive_spend":
        from .spend import incentive_spend

        return incentive_spend
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
