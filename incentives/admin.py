"""Admin: read-only. Plans change on the incentives pages (audited services), payouts only through services."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    Adjustment,
    AdjustmentApproval,
    Component,
    PayoutBreakdown,
    PayoutLine,
    PayoutRun,
    PayoutStint,
    PayrollFile,
    Plan,
    PlanOverride,
    RetainedPayee,
    RunContributor,
)


class ComponentInline(ReadOnlyInline):
    model = Component


class PlanOverrideInline(ReadOnlyInline):
    model = PlanOverride


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["name", "period", "reward_type", "currency", "target_amount", "status"]
    list_filter = ["status", "reward_type"]
    inlines = [ComponentInline, PlanOverrideInline]


@admin.register(PayoutRun)
class PayoutRunAdmin(ReadOnlyAdmin):
    list_display = ["pk", "plan", "status", "total", "currency", "line_count", "prepared_by", "approved_by"]
    list_filter = ["status"]


@admin.register(PayoutLine)
class PayoutLineAdmin(ReadOnlyAdmin):
    list_display = ["run", "person", "team", "amount", "breakdown"]
    list_select_related = ["run", "person", "team", "breakdown"]


class PayoutStintInline(ReadOnlyInline):
    model = PayoutStint


@admin.register(PayoutBreakdown)
class PayoutBreakdownAdmin(ReadOnlyAdmin):
    """The explained stints a run's lines share (lines with the same stints and target amount)."""

    list_display = ["pk", "run"]
    list_filter = ["run__status"]
    inlines = [PayoutStintInline]


class AdjustmentApprovalInline(ReadOnlyInline):
    model = AdjustmentApproval


@admin.register(Adjustment)
class AdjustmentAdmin(ReadOnlyAdmin):
    list_display = [
        "run",
        "person",
        "amount",
        "reason_code",
        "reason",
        "required_approvals",
        "created_by",
        "created_at",
    ]
    inlines = [AdjustmentApprovalInline]


@admin.register(RunContributor)
class RunContributorAdmin(ReadOnlyAdmin):
    """Who had a hand in each run (none of them may approve it)."""

    list_display = ["run", "user", "kind", "at"]
    list_filter = ["kind"]


@admin.register(PayrollFile)
class PayrollFileAdmin(ReadOnlyAdmin):
    """Issued payroll files: never changed."""

    list_display = ["run", "sequence", "rows", "total", "checksum", "issued_by", "issued_at", "before_register"]


@admin.register(RetainedPayee)
class RetainedPayeeAdmin(ReadOnlyAdmin):
    """Erased payees as paid runs name them, until the end of the retention period (core.erasure)."""

    list_display = ["run", "person", "name", "employee_number", "retain_until"]
    list_filter = ["retain_until"]
