"""Interviews: scheduling a panel, blind interview scorecards and their drafts, the panel scores of
applications, the debrief, and the 90-day hire review (scheduled at the hire, reminded when due)."""

from .scores import application_aggregates
from .services import (
    HIRE_REVIEW_AFTER_DAYS,
    NotAssigned,
    RatingEntry,
    hire_review_due_on,
    record_hire_review,
    remind_due_hire_reviews,
    save_scorecard_draft,
    schedule_hire_review,
    schedule_interview,
    submit_scorecard,
)

__all__ = [
    "HIRE_REVIEW_AFTER_DAYS",
    "NotAssigned",
    "RatingEntry",
    "application_aggregates",
    "hire_review_due_on",
    "record_hire_review",
    "remind_due_hire_reviews",
    "save_scorecard_draft",
    "schedule_hire_review",
    "schedule_interview",
    "submit_scorecard",
]
