"""Interviewer calibration: the given scorecards grouped by panel, handed to the pure math."""

from __future__ import annotations

from hiring.interviews.scores import scorecard_inputs
from hiring.models import Competency

from .calculations import InterviewerCalibration, interviewer_calibration


def calibration_of(scorecards) -> list[InterviewerCalibration]:
    """Every interviewer's distance from their panels over the given scorecards (ratings prefetched)."""
    keys = dict(Competency.objects.values_list("pk", "key"))  # rubrics are small: a handful of rows each
    return interviewer_calibration(scorecard_inputs(scorecards, keys).values())
