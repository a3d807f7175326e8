"""REST API v1: each app's viewsets (in `<app>/api.py`) are registered on this one router."""

from rest_framework.routers import DefaultRouter

from culture.api_scorecards import TeamScorecardViewSet

router = DefaultRouter()
router.register("scorecards", TeamScorecardViewSet, basename="scorecard")

urlpatterns = router.urls
