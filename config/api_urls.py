"""REST API v1: each app's viewsets (in `<app>/api.py`) are registered on this one router."""

from rest_framework.routers import DefaultRouter

from culture import api as culture_api

router = DefaultRouter()
router.register("teams", culture_api.TeamViewSet, basename="team")
router.register("kpis", culture_api.KpiViewSet, basename="kpi")
router.register("measurements/bulk", culture_api.MeasurementBulkViewSet, basename="measurement-bulk")

urlpatterns = router.urls
