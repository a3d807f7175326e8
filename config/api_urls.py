"""REST API v1: each app's viewsets (`<app>/api.py`, `<app>/<subdomain>/api.py`) are registered on this router."""

from rest_framework.routers import DefaultRouter

from culture.measurements import api as measurement_api
from culture.org import api as org_api
from culture.org.sync import api as people_sync_api
from culture.pulse import api as pulse_api
from culture.scorecards import api as scorecard_api
from hiring.api import register as register_hiring
from incentives import api as incentives_api

router = DefaultRouter()
router.register("teams", org_api.TeamViewSet, basename="team")
router.register("people/sync", people_sync_api.PeopleSyncViewSet, basename="people-sync")
router.register("kpis", measurement_api.KpiViewSet, basename="kpi")
router.register("measurements/bulk", measurement_api.MeasurementBulkViewSet, basename="measurement-bulk")
router.register("pulses", pulse_api.PulseViewSet, basename="pulse")
router.register("survey-responses/bulk", measurement_api.SurveyResponseBulkViewSet, basename="survey-response-bulk")
router.register("scorecards", scorecard_api.TeamScorecardViewSet, basename="scorecard")
router.register("incentive-plans", incentives_api.PlanViewSet, basename="incentive-plan")
router.register("payout-runs", incentives_api.PayoutRunViewSet, basename="payout-run")
router.register("payout-lines", incentives_api.PayoutLineViewSet, basename="payout-line")
register_hiring(router)

urlpatterns = router.urls
