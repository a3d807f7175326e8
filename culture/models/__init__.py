"""Culture models: the org, the KPI catalogue and its measurements, periods and targets."""

from .closings import PeriodClosing
from .kpis import ImportBatch, Kpi, Measurement, SurveyResponse
from .org import Department, DepartmentTree, Membership, Person, Team, in_force_on
from .periods import Period, SeasonalProfile, Target
from .rollups import MonthlyRollup
from .scorecards import Review, ReviewAction, ScorecardSnapshot, scorecard_teams

__all__ = [
    "Department",
    "DepartmentTree",
    "ImportBatch",
    "Kpi",
    "Measurement",
    "Membership",
    "MonthlyRollup",
    "Period",
    "PeriodClosing",
    "Person",
    "Review",
    "ReviewAction",
    "ScorecardSnapshot",
    "SeasonalProfile",
    "SurveyResponse",
    "Target",
    "Team",
    "in_force_on",
    "scorecard_teams",
]
