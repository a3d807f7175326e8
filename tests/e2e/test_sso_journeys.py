"""Single sign-on in the browser: the provider's button on Centric's login page, the identity provider's own
sign-in form (the local OpenID Connect provider of tests/oidc_provider.py, on loopback), and back to the home of
the person the provider's address matches; then the company switches local passwords off."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import MembershipFactory, PersonFactory, TeamFactory, UserFactory
from tests.oidc_provider import LocalOidcProvider
from users.roles import Role

from .conftest import assert_accessible, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CLIENT_ID = "centric-e2e-client"
CLIENT_SECRET = "e2e-only-client-secret"
PROVIDER_ID = "local-idp"
PROVIDER_NAME = "Local IdP"


@pytest.fixture
def idp():
    provider = LocalOidcProvider(CLIENT_ID, CLIENT_SECRET).start()
    yield provider
    provider.stop()


@pytest.fixture
def sso(settings, mfa_off, idp):
    """Centric configured for the local provider, as config.settings.sso builds it from the environment."""
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": PROVIDER_ID,
                    "name": PROVIDER_NAME,
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {"server_url": idp.issuer},
                }
            ],
        }
    }
    settings.CENTRIC_LOCAL_PASSWORDS = True
    return settings


@pytest.fixture
def alva():
    """A person whose login was made under an old address: the provider's (work) address finds her by Person."""
    user = UserFactory(name="Alva Berg", email="alva.old@example.com", roles=[Role.EMPLOYEE])
    person = PersonFactory(name="Alva Berg", email="alva.berg@example.com", user=user)
    MembershipFactory(person=person, team=TeamFactory(name="Care Lisbon"))
    return user


def sign_in_at_idp(page, email: str, password: str) -> None:
    """From Centric's login page: the provider's button, allauth's confirmation, the provider's own form."""
    page.goto("/accounts/login/")
    page.get_by_role("link", name=PROVIDER_NAME).click()
    page.wait_for_url(f"**/accounts/oidc/{PROVIDER_ID}/login/**")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("http://127.0.0.1:*/authorize**")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_a_person_signs_in_through_the_identity_provider_and_lands_on_their_home(
    open_page, live_server, sso, idp, alva
):
    idp.add_account("Alva.Berg@example.com", "idp-password", sub="alva-sub", name="Alva Berg", amr=["pwd"])
    checked = open_page()
    checked.goto("/accounts/login/")
    expect(checked.get_by_role("link", name=PROVIDER_NAME)).to_be_visible()
    expect(checked.locator("input[name=password]")).to_be_visible()
    assert_accessible(checked)
    screenshot(checked, "sso-login-page")

    # As a real browser: the page's Content-Security-Policy in force on the way to the provider and back.
    page = open_page(bypass_csp=False)
    sign_in_at_idp(page, "Alva.Berg@example.com", "idp-password")

    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Alva")
    screenshot(page, "sso-home-of-matched-person")
    assert idp.token_requests == 1
    # No policy violation on the way; the little provider serves no favicon, which the browser asks for.
    assert [error for error in page.console_errors if f"[{idp.issuer}/favicon.ico]" not in error] == []


def test_with_local_passwords_off_only_single_sign_on_opens_centric(open_page, live_server, sso, idp, alva):
    sso.CENTRIC_LOCAL_PASSWORDS = False
    checked = open_page()
    checked.goto("/accounts/login/")
    expect(checked.get_by_role("link", name=PROVIDER_NAME)).to_be_visible()
    expect(checked.locator("input[name=password]")).to_have_count(0)
    expect(checked.get_by_text("Sign in with your company account.")).to_be_visible()
    assert_accessible(checked)
    screenshot(checked, "sso-login-page-passwords-off")

    page = open_page(bypass_csp=False)
    page.goto("/accounts/login/")

    # A password POST made anyway (an old bookmark, a script) is refused with the page's own CSRF token.
    token = page.context.cookies()
    csrf = next(cookie["value"] for cookie in token if cookie["name"] == "csrftoken")
    refused = page.request.post(
        "/accounts/login/",
        form={"login": "alva.old@example.com", "password": "pw-for-tests-1"},
        headers={"X-CSRFToken": csrf, "Referer": f"{live_server.url}/accounts/login/"},
        max_redirects=0,
    )
    assert refused.status == 403

    idp.add_account("stranger@elsewhere.example", "idp-password", sub="stranger-sub")
    sign_in_at_idp(page, "stranger@elsewhere.example", "idp-password")
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    expect(page.get_by_text("No one with the address stranger@elsewhere.example is known to Centric.")).to_be_visible()
    screenshot(page, "sso-unknown-address-refused")

    idp.add_account("alva.berg@example.com", "idp-password", sub="alva-sub", name="Alva Berg")
    sign_in_at_idp(page, "alva.berg@example.com", "idp-password")
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Alva")
