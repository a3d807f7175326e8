"""Hiring models: rubrics and their versions and competencies (`rubrics`); the recruiting pipeline of positions,
candidates, applications, decisions, interviews and interview scorecards (`pipeline`); scorecard drafts and
90-day hire reviews (`reviews`)."""

from .pipeline import (
    CLOSED_STAGES,
    Application,
    Candidate,
    Decision,
    Interview,
    Position,
    Rating,
    Scorecard,
    _cv_path,
)
from .reviews import HireRating, HireReview, ScorecardDraft
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
    "ScorecardDraft",
    "_cv_path",  # the CV field's upload_to; migrations name it as hiring.models._cv_path
]
