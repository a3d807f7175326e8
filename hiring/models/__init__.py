"""Hiring models: rubrics and their versions and competencies (`rubrics`); the recruiting pipeline of positions,
candidates, applications, decisions, interviews, interview scorecards and 90-day hire reviews (`pipeline`)."""

from .pipeline import (
    CLOSED_STAGES,
    Application,
    Candidate,
    Decision,
    HireRating,
    HireReview,
    Interview,
    Position,
    Rating,
    Scorecard,
    _cv_path,
)
from .rubrics import Competency, Rubric, RubricVersion

__all__ = [
    "CLOSED_STAGES",
    "Application",
    "Candidate",
    "Competency",
    "Decision",
    "HireRating",
    "HireReview",
    "Interview",
    "Position",
    "Rating",
    "Rubric",
    "RubricVersion",
    "Scorecard",
    "_cv_path",  # the CV field's upload_to; migrations name it as hiring.models._cv_path
]
