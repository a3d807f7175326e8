"""Incentive models: plans and their components (`plans`), payout runs and what they hold (`payouts`)."""

from .consent import AdjustmentApproval, RunContributor
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
from .payroll import PayrollFile
from .plans import Component, Plan, PlanOverride

__all__ = [
    "LOCKED_STATUSES",
    "Adjustment",
    "AdjustmentApproval",
    "Component",
    "ImmutableRunError",
    "PayoutBreakdown",
    "PayoutLine",
    "PayoutRun",
    "PayoutStint",
    "PayrollFile",
    "Plan",
    "PlanOverride",
    "RunContributor",
    "_refuse_if_locked",
]
