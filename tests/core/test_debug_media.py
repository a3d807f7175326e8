"""Under DEBUG the raw media folder (pending uploads, CVs, report PDFs) is served to staff only."""

import importlib

import pytest
from django.urls import clear_url_caches

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug_urls(settings, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "imports").mkdir()
    (tmp_path / "imports" / "upload.csv").write_text("team,kpi,value\n")
    import config.urls

    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(config.urls)
    clear_url_caches()


def test_media_under_debug_is_not_served_without_login(client, debug_urls):
    response = client.get("/media/imports/upload.csv")
    assert response.status_code == 302
    assert "login" in response.url


def test_media_under_debug_is_not_served_to_an_ordinary_user(client, debug_urls, mfa_off):
    client.force_login(UserFactory())
    assert client.get("/media/imports/upload.csv").status_code == 302


def test_media_under_debug_is_served_to_staff(client, debug_urls, mfa_off):
    client.force_login(UserFactory(is_staff=True))
    response = client.get("/media/imports/upload.csv")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"team,kpi,value\n"
