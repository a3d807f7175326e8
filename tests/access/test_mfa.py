"""The matrix's privileged users have a second factor; without one they get nothing, over pages or API."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import UserFactory
from users.roles import Role
from users.tokens import issue

pytestmark = pytest.mark.django_db

API_READS = ["/api/v1/payout-lines/", "/api/v1/hiring/applications/", "/api/v1/teams/"]


def _token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue(user, name='test')[1]}")
    return client


@pytest.mark.parametrize("role", [Role.CCO, Role.HR, Role.ADMIN])
def test_privileged_token_without_a_second_factor_is_refused(role):
    api = _token_client(UserFactory(roles=[role], is_staff=role == Role.ADMIN))

    responses = [api.get(url) for url in API_READS]

    assert [r.status_code for r in responses] == [401] * len(API_READS)
    assert "two-factor" in responses[0].json()["detail"]


@pytest.mark.parametrize("role", [Role.CCO, Role.HR, Role.ADMIN])
def test_privileged_session_without_a_second_factor_is_sent_to_set_it_up(client, role):
    client.force_login(UserFactory(roles=[role]))

    response = client.get(reverse("incentives:statement_list"))

    assert response.status_code == 302 and response.url == reverse("mfa_activate_totp")


def test_the_same_token_works_once_the_second_factor_is_enrolled():
    cco = UserFactory(roles=[Role.CCO])
    api = _token_client(cco)
    assert api.get("/api/v1/payout-lines/").status_code == 401

    Authenticator.objects.create(user=cco, type=Authenticator.Type.TOTP, data={"secret": "x"})

    assert api.get("/api/v1/payout-lines/").status_code == 200


def test_unprivileged_tokens_need_no_second_factor():
    assert _token_client(UserFactory(roles=[Role.LEAD])).get("/api/v1/teams/").status_code == 200


def test_the_rule_follows_the_setting(settings):
    settings.CENTRIC_REQUIRE_MFA = False
    assert _token_client(UserFactory(roles=[Role.CCO])).get("/api/v1/teams/").status_code == 200
