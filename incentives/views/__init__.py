"""Incentive pages: plans, runs (payroll export), statements, what-if and spend vs KPI movement. Thin."""

from __future__ import annotations

from .approvals import (
    AdjustmentApproveView,
    PayrollFileDownloadView,
    PayrollFileIssueView,
    RunApprovalView,
    RunRequestApprovalView,
    RunReturnView,
)
from .disputes import (
    DisputeAnswerView,
    DisputeCreateView,
    DisputeDetailView,
    DisputeListView,
    DisputeResolveView,
)
from .plans import (
    ComponentCreateView,
    ComponentDeleteView,
    ComponentUpdateView,
    OverrideView,
    PlanCreateView,
    PlanDetailView,
    PlanImpactView,
    PlanListView,
    PlanUpdateView,
    WhatIfView,
)
from .runs import (
    AdjustmentCreateView,
    RunApproveView,
    RunCreateView,
    RunDeleteView,
    RunDetailView,
    RunPayView,
    RunRecalculateView,
)
from .statements import StatementDetailView, StatementListView

__all__ = [
    "AdjustmentApproveView",
    "AdjustmentCreateView",
    "ComponentCreateView",
    "ComponentDeleteView",
    "ComponentUpdateView",
    "DisputeAnswerView",
    "DisputeCreateView",
    "DisputeDetailView",
    "DisputeListView",
    "DisputeResolveView",
    "OverrideView",
    "PayrollFileDownloadView",
    "PayrollFileIssueView",
    "PlanCreateView",
    "PlanDetailView",
    "PlanImpactView",
    "PlanListView",
    "PlanUpdateView",
    "RunApprovalView",
    "RunApproveView",
    "RunCreateView",
    "RunDeleteView",
    "RunDetailView",
    "RunPayView",
    "RunRecalculateView",
    "RunRequestApprovalView",
    "RunReturnView",
    "StatementDetailView",
    "StatementListView",
    "WhatIfView",
]
