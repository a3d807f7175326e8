"""Incentive models: plans and their components (`plans`), payout runs and what they hold (`payouts`),
questions about statements (`disputes`)."""

from .consent import AdjustmentApproval, RunContributor
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
from .payroll import PayrollFile
from .plans import Component, Plan, PlanOverride
from .retention import RetainedPayee

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
    "RetainedPayee",
    "RunContributor",
    "StatementDispute",
    "_refuse_if_locked",
]
