"""REST API for hiring under /api/v1/hiring/: read what you may see, submit your own scorecards.

Every queryset goes through `visible_to(user)`, so another object's id is a 404; scorecards and scores
follow the blind rule exactly as the pages do. Each subdomain keeps its viewsets in its own `api.py`;
this module registers them.
"""

from __future__ import annotations

from .candidates.api import ApplicationViewSet
from .interviews.api import InterviewViewSet, ScorecardViewSet
from .positions.api import PositionViewSet
from .rubrics.api import RubricVersionViewSet


def register(router) -> None:
    router.register("hiring/rubric-versions", RubricVersionViewSet, basename="hiring-rubricversion")
    router.register("hiring/positions", PositionViewSet, basename="hiring-position")
    router.register("hiring/applications", ApplicationViewSet, basename="hiring-application")
    router.register("hiring/interviews", InterviewViewSet, basename="hiring-interview")
    router.register("hiring/scorecards", ScorecardViewSet, basename="hiring-scorecard")
