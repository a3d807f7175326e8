"""Interviews: scheduling a panel, blind interview scorecards, the panel scores of applications, and the
90-day hire review."""

from .scores import application_aggregates
from .services import (
    HIRE_REVIEW_AFTER_DAYS,
    NotAssigned,
    RatingEntry,
    hire_review_due_on,
    record_hire_review,
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
    "schedule_interview",
    "submit_scorecard",
]
