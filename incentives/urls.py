from django.urls import path

from . import views

app_name = "incentives"

urlpatterns = [
    path("plans/", views.PlanListView.as_view(), name="plan_list"),
    path("plans/new/", views.PlanCreateView.as_view(), name="plan_create"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("plans/<int:pk>/edit/", views.PlanUpdateView.as_view(), name="plan_update"),
    path("plans/<int:pk>/runs/new/", views.RunCreateView.as_view(), name="run_create"),
    path("plans/<int:pk>/overrides/", views.OverrideView.as_view(), name="override"),
    path("plans/<int:pk>/what-if/", views.WhatIfView.as_view(), name="what_if"),
    path("plans/<int:pk>/impact/", views.PlanImpactView.as_view(), name="plan_impact"),
    path("plans/<int:plan_pk>/components/new/", views.ComponentCreateView.as_view(), name="component_create"),
    path("plans/<int:plan_pk>/components/<int:pk>/", views.ComponentUpdateView.as_view(), name="component_update"),
    path(
        "plans/<int:plan_pk>/components/<int:pk>/delete/",
        views.ComponentDeleteView.as_view(),
        name="component_delete",
    ),
    path("runs/<int:pk>/", views.RunDetailView.as_view(), name="run_detail"),
    path("runs/<int:pk>/recalculate/", views.RunRecalculateView.as_view(), name="run_recalculate"),
    path("runs/<int:pk>/approve/", views.RunApproveView.as_view(), name="run_approve"),
    path("runs/<int:pk>/paid/", views.RunPayView.as_view(), name="run_pay"),
    path("runs/<int:pk>/delete/", views.RunDeleteView.as_view(), name="run_delete"),
    path("runs/<int:pk>/approval/", views.RunApprovalView.as_view(), name="run_approval"),
    path("runs/<int:pk>/return/", views.RunReturnView.as_view(), name="run_return"),
    path("runs/<int:pk>/request-approval/", views.RunRequestApprovalView.as_view(), name="run_request_approval"),
    path("runs/<int:pk>/payroll-files/new/", views.PayrollFileIssueView.as_view(), name="payroll_file_issue"),
    path("payroll-files/<int:pk>/", views.PayrollFileDownloadView.as_view(), name="payroll_file"),
    path("adjustments/<int:pk>/approve/", views.AdjustmentApproveView.as_view(), name="adjustment_approve"),
    path("runs/<int:pk>/adjustments/new/", views.AdjustmentCreateView.as_view(), name="adjustment_create"),
    path("statements/", views.StatementListView.as_view(), name="statement_list"),
    path("statements/<int:pk>/", views.StatementDetailView.as_view(), name="statement"),
    path("statements/<int:pk>/question/", views.DisputeCreateView.as_view(), name="dispute_create"),
    path("questions/", views.DisputeListView.as_view(), name="dispute_list"),
    path("questions/<int:pk>/", views.DisputeDetailView.as_view(), name="dispute_detail"),
    path("questions/<int:pk>/answer/", views.DisputeAnswerView.as_view(), name="dispute_answer"),
    path("questions/<int:pk>/resolve/", views.DisputeResolveView.as_view(), name="dispute_resolve"),
]
