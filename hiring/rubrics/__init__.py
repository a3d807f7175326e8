"""Rubrics: versions, weighted competencies, the standard service-orientation rubric, and rubric scores
(a panel's ratings -> per-competency summaries, a 0-100 weighted score, meets the bar)."""

from .calculations import ApplicationAggregate, CompetencySpec, ScorecardInput, aggregate_application
from .services import (
    create_rubric,
    install_standard_rubric,
    new_rubric_version,
    publish_rubric_version,
    save_competencies,
)

__all__ = [
    "ApplicationAggregate",
    "CompetencySpec",
    "ScorecardInput",
    "aggregate_application",
    "create_rubric",
    "install_standard_rubric",
    "new_rubric_version",
    "publish_rubric_version",
    "save_competencies",
]
