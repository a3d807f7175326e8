"""A language per user: the header's switcher saves it, and it wins over the cookie and Accept-Language."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_follow_accept_language(client):
    html = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert '<html lang="sv">' in html
    html = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert '<html lang="en">' in html


def test_the_switcher_saves_the_language_on_the_user(client, mfa_off):
    user = UserFactory(email="sven@example.com")
    client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "sv", "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "sv"


def test_the_saved_language_wins_over_the_browser(client, mfa_off):
    user = UserFactory(email="saga@example.com", language="sv")
    client.force_login(user)
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "sv"
    assert '<html lang="sv">' in response.content.decode()


def test_an_unknown_language_is_not_saved(client, mfa_off):
    user = UserFactory(email="olle@example.com")
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.language == ""


def test_roles_do_not_depend_on_the_language_read(mfa_off):
    """The role groups are stored under English names; a Swedish reader keeps their roles (Swedish labels)."""
    from django.utils import translation

    from users.roles import Role, group_name

    user = UserFactory(email="cora@example.com", roles=[Role.CCO])
    with translation.override("sv"):
        assert str(Role.CCO.label) == "CCO / ledning"
        assert group_name(Role.CCO) == "CCO / executive"
        assert user.is_executive and user.roles == {Role.CCO}
