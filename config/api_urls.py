"""REST API v1: each app's viewsets (in `<app>/api.py`) are registered on this one router."""

from rest_framework.routers import DefaultRouter

from culture.api_scorecards import TeamScorecardViewSet
from hiring.api import register as register_hiring

router = DefaultRouter()
router.register("scorecards", TeamScorecardViewSet, basename="scorecard")
register_hiring(router)

urlpatterns = router.urls
