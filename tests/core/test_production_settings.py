"""Production settings fail loudly when a variable is missing, and the entry points default to them."""

import pytest

from .production_env import PRODUCTION_ENV, run_python


@pytest.mark.parametrize(
    ("missing", "replacement"),
    [
        ("DJANGO_SECRET_KEY", None),
        ("DJANGO_ALLOWED_HOSTS", None),
        ("DATABASE_URL", None),
        ("DATABASE_URL", "sqlite:///centric.sqlite3"),
        ("CELERY_BROKER_URL", None),
    ],
)
def test_production_refuses_to_start_without_its_settings(missing, replacement):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}
    if replacement:
        env[missing] = replacement
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


@pytest.mark.parametrize("module", ["config.wsgi", "config.asgi", "config.celery_app"])
def test_entry_points_default_to_production_settings(module):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "DJANGO_SETTINGS_MODULE"}
    code = (
        f"import {module}; import django; django.setup(); from django.conf import settings; "
        "print(settings.SETTINGS_MODULE, settings.DEBUG, settings.CELERY_TASK_ALWAYS_EAGER)"
    )
    result = run_python(code, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["config.settings.production", "False", "False"]


def test_entry_point_without_settings_fails_instead_of_running_local():
    result = run_python("import config.wsgi", {})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


SCHEMA_PROBE = """
import django
django.setup()
from django.test.utils import override_settings
# No collectstatic here: the manifest storage would have no entry for Swagger UI's files.
plain = "django.contrib.staticfiles.storage.StaticFilesStorage"
override_settings(STORAGES={"staticfiles": {"BACKEND": plain}}).enable()
from django.contrib.auth import get_user_model
from rest_framework.test import APIRequestFactory, force_authenticate
from config.urls import SpectacularAPIView, SpectacularSwaggerSplitView
factory = APIRequestFactory()
for view in (SpectacularAPIView.as_view(), SpectacularSwaggerSplitView.as_view(url_name="api_schema")):
    anonymous = view(factory.get("/api/schema/", secure=True, HTTP_HOST="centric.example.com"))
    request = factory.get("/api/schema/", secure=True, HTTP_HOST="centric.example.com")
    force_authenticate(request, user=get_user_model()(email="someone@example.com"))
    print(anonymous.status_code, view(request).status_code)
"""


def test_schema_and_swagger_ui_need_login_in_production():
    result = run_python(SCHEMA_PROBE, PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["401", "200", "401", "200"]
