"""Culture models: the org, the KPI catalogue and its measurements, periods and targets."""

from .changes import DataChange
from .closings import PeriodClosing
from .imports import ImportPreset, TeamAlias
from .kpis import ImportBatch, Kpi, Measurement, SurveyResponse
from .org import Department, DepartmentTree, Membership, Person, Team, in_force_on
from .periods import Period, SeasonalProfile, Target
from .pulse import Pulse, PulseAnswer, PulseInvitation, PulseLibraryVersion, PulseQuestion
from .recognition import Recognition
from .rollups import MonthlyRollup
from .scorecards import Review, ReviewAction, ScorecardSnapshot, scorecard_teams

__all__ = [
    "DataChange",
    "Department",
    "DepartmentTree",
    "ImportBatch",
    "ImportPreset",
    "Kpi",
    "Measurement",
    "Membership",
    "MonthlyRollup",
    "Period",
    "PeriodClosing",
    "Person",
    "Pulse",
    "PulseAnswer",
    "PulseInvitation",
    "PulseLibraryVersion",
    "PulseQuestion",
    "Recognition",
    "Review",
    "ReviewAction",
    "ScorecardSnapshot",
    "SeasonalProfile",
    "SurveyResponse",
    "Target",
    "Team",
    "TeamAlias",
    "in_force_on",
    "scorecard_teams",
]
