"""API tokens: hashed at rest (the key shown once), named, expiring, revocable, after a second factor, throttled."""

import datetime as dt
import hashlib
from types import SimpleNamespace

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.admin.sites import AdminSite
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import AuditEntry
from tests.factories import UserFactory
from users.admin import ApiTokenAdmin
from users.models import ApiToken
from users.roles import Role
from users.tokens import issue, revoke_token

pytestmark = pytest.mark.django_db

TEAMS = "/api/v1/teams/"


def api(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def create_on_page(client, name="BI export"):
    response = client.post(reverse("users:api_tokens"), {"name": name})
    assert response.status_code == 200
    return response.context["key"]


def test_key_is_shown_once_and_only_its_hash_is_stored(client, mfa_off):
    user = UserFactory()
    client.force_login(user)
    key = create_on_page(client)
    token = ApiToken.objects.get(user=user)
    assert token.name == "BI export"
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM users_apitoken")
        stored = [str(value) for row in cursor.fetchall() for value in row]
    assert not any(key in value for value in stored)
    assert not any(key in str(entry.after) for entry in AuditEntry.objects.all())
    assert key.encode() not in client.get(reverse("users:api_tokens")).content
    assert api(key).get(TEAMS).status_code == 200


def test_expired_token_is_refused(mfa_off):
    user = UserFactory()
    token, key = issue(user, name="old")
    assert api(key).get(TEAMS).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = api(key).get(TEAMS)
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_default_lifetime_comes_from_settings(settings, mfa_off):
    settings.CENTRIC_API_TOKEN_LIFETIME_DAYS = 7
    token, _ = issue(UserFactory(), name="short")
    assert dt.timedelta(days=6) < token.expires_at - timezone.now() <= dt.timedelta(days=7)


def test_owner_revokes_their_token_and_it_stops_working(client, mfa_off):
    user = UserFactory()
    token, key = issue(user, name="laptop")
    client.force_login(user)
    assert client.post(reverse("users:api_token_revoke", args=[token.pk])).status_code == 302
    assert api(key).get(TEAMS).status_code == 401
    assert AuditEntry.objects.filter(action="api_token.revoke", object_id=str(token.pk), actor=user).exists()


def test_revoke_asks_first_and_changes_nothing_until_confirmed(client, mfa_off):
    user = UserFactory()
    token, key = issue(user, name="laptop")
    client.force_login(user)
    page = client.get(reverse("users:api_token_revoke", args=[token.pk]))
    assert page.status_code == 200
    assert f"key starting {token.prefix}".encode() in page.content
    assert b'<form method="post">' in page.content  # posts back to this page: the revoke itself
    assert page.context["breadcrumbs"][-1] == ("Revoke", None)
    assert api(key).get(TEAMS).status_code == 200
    listing = client.get(reverse("users:api_tokens")).content.decode()
    assert f'href="{reverse("users:api_token_revoke", args=[token.pk])}"' in listing


def test_the_revoke_page_of_a_revoked_token_returns_to_the_list(client, mfa_off):
    user = UserFactory()
    token, _key = issue(user, name="old")
    revoke_token(token, actor=user)
    client.force_login(user)
    response = client.get(reverse("users:api_token_revoke", args=[token.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("users:api_tokens")


def test_another_users_revoke_page_is_a_404(client, mfa_off):
    token, _key = issue(UserFactory(), name="mine")
    client.force_login(UserFactory())
    assert client.get(reverse("users:api_token_revoke", args=[token.pk])).status_code == 404


def test_another_user_cannot_revoke_a_token(client, mfa_off):
    token, key = issue(UserFactory(), name="mine")
    client.force_login(UserFactory())
    assert client.post(reverse("users:api_token_revoke", args=[token.pk])).status_code == 404
    assert api(key).get(TEAMS).status_code == 200


def test_administrator_revokes_any_token_in_the_admin(rf, mfa_off):
    _token, key = issue(UserFactory(), name="leaked")
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    request = rf.post("/admin/users/apitoken/")
    request.user = admin_user
    request._messages = type("Messages", (), {"add": lambda *args, **kwargs: None})()
    ApiTokenAdmin(ApiToken, AdminSite()).revoke(request, ApiToken.objects.all())
    assert api(key).get(TEAMS).status_code == 401
    assert AuditEntry.objects.filter(action="api_token.revoke", actor=admin_user).exists()


@pytest.mark.parametrize("role", [Role.CCO, Role.HR])
def test_privileged_role_gets_a_token_only_after_a_second_factor(client, settings, role):
    settings.CENTRIC_REQUIRE_MFA = True
    user = UserFactory(roles=[role])
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(user)
    assert create_on_page(client)
    Authenticator.objects.filter(user=user).delete()
    from users.views import ApiTokenView

    request = client.get(reverse("users:api_tokens")).wsgi_request
    request.method, request.POST = "POST", {"name": "again"}
    response = ApiTokenView.as_view()(request)
    assert response.status_code == 403
    assert ApiToken.objects.filter(user=user).count() == 1


def _rates(settings, **rates):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"user": "1000/min", "token": "1000/min", "bulk": "1000/min", **rates},
    }


def test_requests_beyond_the_user_rate_get_429(settings, mfa_off):
    _rates(settings, user="3/min")
    client = api(issue(UserFactory(), name="t")[1])
    codes = [client.get(TEAMS).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert "Retry-After" in client.get(TEAMS)


def test_each_token_has_its_own_budget(settings, mfa_off):
    _rates(settings, token="2/min")
    user = UserFactory()
    first, second = api(issue(user, name="a")[1]), api(issue(user, name="b")[1])
    assert [first.get(TEAMS).status_code for _ in range(3)] == [200, 200, 429]
    assert second.get(TEAMS).status_code == 200


@pytest.mark.parametrize(
    ("url_name", "body"),
    [
        ("measurement-bulk-list", {"measurements": []}),
        ("survey-response-bulk-list", []),
        ("people-sync-preview", {"people": []}),
        ("people-sync-apply", {"people": []}),
    ],
)
def test_bulk_endpoint_has_a_stricter_budget(settings, cco, url_name, body):
    """Every endpoint that writes many rows a call (the people sync sends the whole org) has the bulk budget."""
    _rates(settings, bulk="1/min")
    client = api(issue(cco, name="bulk")[1])
    url = reverse(url_name)
    assert client.post(url, body, format="json").status_code != 429
    second = client.post(url, body, format="json")
    assert second.status_code == 429 and "Retry-After" in second
    assert client.get(TEAMS).status_code == 200


def test_migration_hashes_existing_plain_tokens_and_they_keep_working(mfa_off):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("users.migrations.0003_api_tokens")
    user = UserFactory()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id bigint, created timestamp)")
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, %s, %s)", ["a" * 40, user.pk, timezone.now()])
    # The function only uses the editor's connection; SQLite's real editor refuses to open inside a test.
    migration.hash_plain_tokens(apps, SimpleNamespace(connection=connection))
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM authtoken_token")
        assert cursor.fetchone()[0] == 0
    assert ApiToken.objects.get(user=user).key_hash == hashlib.sha256(b"a" * 40).hexdigest()
    assert api("a" * 40).get(TEAMS).status_code == 200
