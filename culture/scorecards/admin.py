"""Admin for scorecard records: snapshots are read-only evidence; reviews are shown with their actions."""

from django.contrib import admin

from core.admin import AuditedModelAdmin, ClosedPeriodInlineMixin, ReadOnlyAdmin

from ..models import Review, ReviewAction, ScorecardSnapshot, SeasonalProfile
from .forms import SeasonalProfileForm


@admin.register(ScorecardSnapshot)
class ScorecardSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["period", "level", "team", "department", "composite", "checksum", "created_at"]
    list_filter = ["level", "period"]
    search_fields = ["team__name", "department__name", "checksum"]


class ReviewActionInline(ClosedPeriodInlineMixin, admin.TabularInline):
    model = ReviewAction
    extra = 0
    raw_id_fields = ["owner", "done_by"]
    readonly_fields = ["done_at", "done_by"]


@admin.register(Review)
class ReviewAdmin(AuditedModelAdmin):
    period_path = "period"
    list_display = ["team", "period", "submitted_by", "submitted_at", "updated_at"]
    list_filter = ["period"]
    search_fields = ["team__name"]
    raw_id_fields = ["team", "submitted_by"]
    inlines = [ReviewActionInline]


@admin.register(SeasonalProfile)
class SeasonalProfileAdmin(admin.ModelAdmin):
    """Seasonal profiles: twelve monthly weights (January first) that phase annual targets into months."""

    list_display = ["name", "description", "weights"]
    search_fields = ["name"]
    form = SeasonalProfileForm
