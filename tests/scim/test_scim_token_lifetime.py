"""SCIM tokens expire and are rate-limited per token, like API tokens (issue 18)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from scim.models import ScimToken

from .conftest import ScimClient

pytestmark = pytest.mark.django_db


def _rate(settings, rate: str) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "scim": rate},
    }


def test_a_new_token_lives_for_the_configured_days(settings):
    settings.CENTRIC_SCIM_TOKEN_LIFETIME_DAYS = 30
    before = timezone.now()
    token, _value = ScimToken.issue("Okta")
    assert before + dt.timedelta(days=30) <= token.expires_at <= timezone.now() + dt.timedelta(days=30)


def test_an_expired_token_is_refused_and_a_live_one_accepted():
    _live, live_value = ScimToken.issue("Entra ID")
    expired, expired_value = ScimToken.issue("Old Entra ID")
    ScimToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    assert ScimClient(live_value).get("/scim/v2/Users").status_code == 200
    refused = ScimClient(expired_value).get("/scim/v2/Users")
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"] == 'Bearer realm="scim"'
    assert ScimToken.objects.authenticate(expired_value) is None


def test_requests_beyond_the_token_rate_get_429_with_retry_after(settings):
    _rate(settings, "2/min")
    _token, value = ScimToken.issue("Entra ID")
    client = ScimClient(value)
    assert [client.get("/scim/v2/Users").status_code for _ in range(2)] == [200, 200]
    throttled = client.get("/scim/v2/Users")
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) >= 1
    assert throttled.json() == {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
        "status": "429",
        "detail": "Too many requests with this token.",
    }
    # Each token has its own budget: another identity provider is not slowed down by the first.
    _other, other_value = ScimToken.issue("Okta")
    assert ScimClient(other_value).get("/scim/v2/Users").status_code == 200


def test_the_command_issues_with_a_lifetime_and_lists_expiry(capsys):
    call_command("scim_token", "create", "Okta", "--days", "7")
    token = ScimToken.objects.get(name="Okta")
    assert token.expires_at.date() == (timezone.now() + dt.timedelta(days=7)).date()
    ScimToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    capsys.readouterr()
    call_command("scim_token", "list")
    listed = capsys.readouterr().out
    assert "Okta" in listed and "\texpired\t" in listed
