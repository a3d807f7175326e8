"""REST API v1: each app's viewsets (in `<app>/api.py`) are registered on this one router."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()

urlpatterns = router.urls
