"""Incentive pages: plans, runs (payroll export), statements, what-if and spend vs KPI movement. Thin."""

from __future__ import annotations

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
    "PlanCreateView",
    "PlanDetailView",
    "PlanImpactView",
    "PlanListView",
    "PlanUpdateView",
    "RunApproveView",
    "RunCreateView",
    "RunDeleteView",
    "RunDetailView",
    "RunPayView",
    "RunRecalculateView",
    "StatementDetailView",
    "StatementListView",
    "WhatIfView",
]
