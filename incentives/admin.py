"""Admin: plans are editable; runs, lines, stints and adjustments are read-only (services own those writes)."""

from django.contrib import admin

from .models import Adjustment, Component, PayoutLine, PayoutRun, Plan, PlanOverride


class ComponentInline(admin.TabularInline):
    model = Component
    extra = 0


class PlanOverrideInline(admin.TabularInline):
    model = PlanOverride
    extra = 0
    raw_id_fields = ["person"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "period", "reward_type", "currency", "target_amount", "status"]
    list_filter = ["status", "reward_type"]
    inlines = [ComponentInline, PlanOverrideInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Nothing here can be added, changed or deleted from the admin: payouts change only through services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PayoutRun)
class PayoutRunAdmin(ReadOnlyAdmin):
    list_display = ["pk", "plan", "status", "total", "currency", "line_count", "prepared_by", "approved_by"]
    list_filter = ["status"]


@admin.register(PayoutLine)
class PayoutLineAdmin(ReadOnlyAdmin):
    list_display = ["run", "person", "team", "amount"]
    list_select_related = ["run", "person", "team"]


@admin.register(Adjustment)
class AdjustmentAdmin(ReadOnlyAdmin):
    list_display = ["run", "person", "amount", "reason", "created_by", "created_at"]
