"""Hiring in the Django admin: read-only on purpose.

Every change to rubrics, positions, candidates and decisions goes through the subdomains' `services` (audited,
published rubrics immutable, candidate data erasable); the admin is for looking, not for side doors.
"""

from typing import Any

from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import Application, Candidate, Decision, HireReview, Interview, Position, RubricVersion, Scorecard


@admin.register(RubricVersion)
class RubricVersionAdmin(ReadOnlyAdmin):
    list_display = ["rubric", "number", "status", "published_at"]
    list_filter = ["status"]


@admin.register(Position)
class PositionAdmin(ReadOnlyAdmin):
    list_display = ["title", "team", "rubric_version", "bar_score", "status", "opened_on"]
    list_filter = ["status"]
    search_fields = ["title"]


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyAdmin):
    list_display = ["pk", "source", "retain_until", "anonymised_at"]
    list_filter = ["source"]
    exclude = ["cv"]


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["pk", "position", "stage", "applied_on", "hired_on"]
    list_filter = ["stage"]


class _ReadPathAdmin(ReadOnlyAdmin):
    """The panel's views read through `visible_to(user)` here too: an admin assigned to an interview is blind."""

    def get_queryset(self, request):
        queryset: Any = super().get_queryset(request)  # each admin's model has a visible_to QuerySet
        return queryset.visible_to(request.user)


@admin.register(Decision)
class DecisionAdmin(_ReadPathAdmin):
    list_display = ["application", "from_stage", "to_stage", "decided_by", "decided_at"]


@admin.register(Interview)
class InterviewAdmin(ReadOnlyAdmin):
    list_display = ["pk", "application", "scheduled_at"]


@admin.register(Scorecard)
class ScorecardAdmin(_ReadPathAdmin):
    list_display = ["pk", "interview", "interviewer", "recommendation", "submitted_at"]


@admin.register(HireReview)
class HireReviewAdmin(ReadOnlyAdmin):
    list_display = ["pk", "application", "due_on", "reviewed_by", "reviewed_on"]
