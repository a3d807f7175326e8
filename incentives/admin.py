"""Admin: read-only. Plans change on the incentives pages (audited services), payouts only through services."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ReadOnlyInline

from .models import (
    Adjustment,
    Component,
    PayoutBreakdown,
    PayoutLine,
    PayoutRun,
    PayoutStint,
    Plan,
    PlanOverride,
    RetainedPayee,
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


@admin.register(Adjustment)
class AdjustmentAdmin(ReadOnlyAdmin):
    list_display = ["run", "person", "amount", "reason", "created_by", "created_at"]


@admin.register(RetainedPayee)
class RetainedPayeeAdmin(ReadOnlyAdmin):
    """Erased payees as paid runs name them, until the end of the retention period (core.erasure)."""

    list_display = ["run", "person", "name", "employee_number", "retain_until"]
    list_filter = ["retain_until"]
