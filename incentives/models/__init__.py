"""Incentive models: plans and their components (`plans`), payout runs and what they hold (`payouts`),
questions about statements (`disputes`)."""

from .disputes import StatementDispute
from .payouts import (
    LOCKED_STATUSES,
    Adjustment,
    ImmutableRunError,
    PayoutBreakdown,
    PayoutLine,
    PayoutRun,
    PayoutStint,
    _refuse_if_locked,
)
from .plans import Component, Plan, PlanOverride
from .retention import RetainedPayee

__all__ = [
    "LOCKED_STATUSES",
    "Adjustment",
    "Component",
    "ImmutableRunError",
    "PayoutBreakdown",
    "PayoutLine",
    "PayoutRun",
    "PayoutStint",
    "Plan",
    "PlanOverride",
    "RetainedPayee",
    "StatementDispute",
    "_refuse_if_locked",
]
