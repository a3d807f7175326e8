"""REST API v1: each app's viewsets (in `<app>/api.py`) are registered on this one router."""

from rest_framework.routers import DefaultRouter

from culture import api as culture_api
from culture.api_scorecards import TeamScorecardViewSet
from hiring.api import register as register_hiring
from incentives import api as incentives_api

router = DefaultRouter()
router.register("teams", culture_api.TeamViewSet, basename="team")
router.register("kpis", culture_api.KpiViewSet, basename="kpi")
router.register("measurements/bulk", culture_api.MeasurementBulkViewSet, basename="measurement-bulk")
router.register("scorecards", TeamScorecardViewSet, basename="scorecard")
router.register("incentive-plans", incentives_api.PlanViewSet, basename="incentive-plan")
router.register("payout-runs", incentives_api.PayoutRunViewSet, basename="payout-run")
router.register("payout-lines", incentives_api.PayoutLineViewSet, basename="payout-line")
register_hiring(router)

urlpatterns = router.urls
