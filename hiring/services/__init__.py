"""Hiring services: the only code that writes. `pipeline` runs recruiting; `privacy` exports and erases.

Callers import from here: `from hiring import services; services.decide(...)`.
"""

from .pipeline import (
    HIRE_REVIEW_AFTER_DAYS,
    NotAssigned,
    RatingEntry,
    create_application,
    create_rubric,
    decide,
    hire_review_due_on,
    install_standard_rubric,
    new_rubric_version,
    publish_rubric_version,
    record_hire_review,
    retention_days,
    save_candidate,
    save_competencies,
    save_position,
    schedule_interview,
    submit_scorecard,
)
from .privacy import ErasureReason, anonymise_candidate, anonymise_expired_candidates, export_candidate_data

__all__ = [
    "HIRE_REVIEW_AFTER_DAYS",
    "ErasureReason",
    "NotAssigned",
    "RatingEntry",
    "anonymise_candidate",
    "anonymise_expired_candidates",
    "create_application",
    "create_rubric",
    "decide",
    "export_candidate_data",
    "hire_review_due_on",
    "install_standard_rubric",
    "new_rubric_version",
    "publish_rubric_version",
    "record_hire_review",
    "retention_days",
    "save_candidate",
    "save_competencies",
    "save_position",
    "schedule_interview",
    "submit_scorecard",
]
