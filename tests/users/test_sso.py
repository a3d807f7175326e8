"""Single sign-on end to end: allauth's real OpenID Connect flow against a provider served on loopback.

The test client plays the browser: it asks Centric to start the login, follows the redirect to the
provider (over real HTTP), and brings the provider's answer back to Centric's callback, which exchanges the
code with the provider over HTTP as it would in production.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.contrib.messages import get_messages
from django.test import Client

from core.models import AuditEntry
from tests.factories import PersonFactory, UserFactory
from tests.oidc_provider import LocalOidcProvider
from users.adapters import IDP_MFA_SESSION_KEY
from users.roles import Role

pytestmark = pytest.mark.django_db

CLIENT_ID = "centric-test-client"
CLIENT_SECRET = "test-only-client-secret"
PROVIDER_ID = "local-idp"


@pytest.fixture(scope="module")
def idp():
    provider = LocalOidcProvider(CLIENT_ID, CLIENT_SECRET).start()
    yield provider
    provider.stop()


@pytest.fixture(autouse=True)
def sso_settings(settings, idp):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": PROVIDER_ID,
                    "name": "Local IdP",
                    "client_id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "settings": {"server_url": idp.issuer},
                }
            ],
        }
    }
    settings.CENTRIC_LOCAL_PASSWORDS = True
    return settings


def sign_in_through_idp(client: Client, idp: LocalOidcProvider, **claims):
    """The browser's part of the flow; returns Centric's answer to the provider's redirect back."""
    idp.identity = {"sub": claims.pop("sub", "idp-subject-1"), **claims}
    started = client.post(f"/accounts/oidc/{PROVIDER_ID}/login/", {"process": "login"})
    assert started.status_code == 302
    assert started["Location"].startswith(f"{idp.issuer}/authorize?")
    at_idp = requests.get(started["Location"], allow_redirects=False, timeout=10)
    assert at_idp.status_code == 302
    back = urlsplit(at_idp.headers["Location"])
    assert back.path == f"/accounts/oidc/{PROVIDER_ID}/login/callback/"
    return client.get(f"{back.path}?{back.query}")


def test_a_known_person_signs_in_and_lands_on_their_home(idp):
    user = UserFactory(name="Alva Berg", email="alva.old@example.com", roles=[Role.EMPLOYEE])
    PersonFactory(name="Alva Berg", email="alva.berg@example.com", user=user)
    client = Client()

    answer = sign_in_through_idp(client, idp, email="Alva.Berg@example.com", name="Alva Berg", amr=["pwd"])

    assert answer.status_code == 302 and answer["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert home.context["user"] == user
    assert "Welcome, Alva" in home.content.decode()
    account = SocialAccount.objects.get(user=user)
    assert (account.provider, account.uid) == (PROVIDER_ID, "idp-subject-1")
    assert idp.token_requests >= 1


def test_the_second_sign_in_uses_the_linked_account_even_after_an_address_change(idp):
    user = UserFactory(email="sam@example.com", roles=[Role.EMPLOYEE])
    PersonFactory(email="sam@example.com", user=user)
    sign_in_through_idp(Client(), idp, sub="sam-sub", email="sam@example.com")

    client = Client()
    answer = sign_in_through_idp(client, idp, sub="sam-sub", email="sam.renamed@example.com")

    assert answer["Location"] == "/"
    assert client.get("/").context["user"] == user
    assert SocialAccount.objects.filter(user=user).count() == 1


def test_an_unknown_address_is_refused_with_a_clear_message(idp):
    client = Client()

    answer = sign_in_through_idp(client, idp, email="stranger@elsewhere.example")

    assert answer.status_code == 302 and answer["Location"] == "/accounts/login/"
    shown = [str(m) for m in get_messages(answer.wsgi_request)]
    assert shown == [
        "No one with the address stranger@elsewhere.example is known to Centric. "
        "Ask your administrator to add you before signing in."
    ]
    assert client.get("/").status_code == 302  # still anonymous: home sends to the login page
    assert not SocialAccount.objects.exists()


def test_a_deactivated_login_is_refused(idp):
    user = UserFactory(email="gone@example.com", is_active=False)
    client = Client()

    answer = sign_in_through_idp(client, idp, email="gone@example.com")

    assert answer["Location"] == "/accounts/login/"
    assert [str(m) for m in get_messages(answer.wsgi_request)] == [
        "Your account is deactivated. Ask your administrator if this is a mistake."
    ]
    assert not SocialAccount.objects.filter(user=user).exists()


def test_the_idp_mfa_claim_is_recorded_and_spares_a_privileged_user_our_totp(idp):
    cco = UserFactory(email="cco@example.com", roles=[Role.CCO])
    client = Client()

    sign_in_through_idp(client, idp, email="cco@example.com", amr=["pwd", "mfa"], acr="phr")

    assert client.session[IDP_MFA_SESSION_KEY] == cco.pk
    assert client.get("/").status_code == 200  # not sent to the TOTP set-up page
    entry = AuditEntry.objects.get(action="sso_login", object_id=str(cco.pk))
    assert entry.after == {"provider": PROVIDER_ID, "amr": ["pwd", "mfa"], "acr": "phr", "idp_mfa": True}
    assert SocialAccount.objects.get(user=cco).extra_data["id_token"]["amr"] == ["pwd", "mfa"]


def test_a_privileged_user_whose_idp_asserted_no_mfa_must_still_enrol_totp(idp):
    UserFactory(email="hr@example.com", roles=[Role.HR])
    client = Client()

    sign_in_through_idp(client, idp, email="hr@example.com", amr=["pwd"])

    assert IDP_MFA_SESSION_KEY not in client.session
    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == "/accounts/2fa/totp/activate/"
    assert AuditEntry.objects.get(action="sso_login").after["idp_mfa"] is False


def test_an_idp_mfa_flag_of_another_user_in_the_session_does_not_spare_a_local_login():
    employee = UserFactory(email="emp@example.com", roles=[Role.EMPLOYEE])
    UserFactory(email="cco2@example.com", roles=[Role.CCO])
    client = Client()
    client.post("/accounts/login/", {"login": "cco2@example.com", "password": "pw-for-tests-1"})
    session = client.session
    session[IDP_MFA_SESSION_KEY] = employee.pk
    session.save()

    assert client.get("/")["Location"] == "/accounts/2fa/totp/activate/"


def test_a_user_with_our_totp_is_still_asked_for_it_after_sso(idp):
    """Decided: an enrolled second factor of ours stays in force; the IdP's MFA only spares enrolment."""
    cco = UserFactory(email="cco3@example.com", roles=[Role.CCO])
    Authenticator.objects.create(user=cco, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    client = Client()

    answer = sign_in_through_idp(client, idp, email="cco3@example.com", amr=["mfa"])

    assert answer["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/").status_code == 302


def test_login_page_offers_password_and_sso_by_default(idp):
    page = Client().get("/accounts/login/").content.decode()
    assert 'name="password"' in page
    assert "Local IdP" in page and f"/accounts/oidc/{PROVIDER_ID}/login/" in page


def test_with_local_passwords_off_the_login_page_shows_only_sso(sso_settings, idp):
    sso_settings.CENTRIC_LOCAL_PASSWORDS = False

    page = Client().get("/accounts/login/").content.decode()

    assert 'name="password"' not in page
    assert "Local IdP" in page and f"/accounts/oidc/{PROVIDER_ID}/login/" in page


def test_with_local_passwords_off_a_password_login_is_refused(sso_settings):
    sso_settings.CENTRIC_LOCAL_PASSWORDS = False
    UserFactory(email="pw@example.com", roles=[Role.EMPLOYEE])
    client = Client()

    answer = client.post("/accounts/login/", {"login": "pw@example.com", "password": "pw-for-tests-1"})

    assert answer.status_code == 403
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    "path",
    ["/accounts/password/reset/", "/accounts/password/change/", "/accounts/password/set/"],
)
def test_with_local_passwords_off_password_pages_are_refused(sso_settings, path):
    sso_settings.CENTRIC_LOCAL_PASSWORDS = False
    assert Client().get(path).status_code == 403


def test_with_local_passwords_off_sso_still_signs_in(sso_settings, idp):
    sso_settings.CENTRIC_LOCAL_PASSWORDS = False
    user = UserFactory(email="only-sso@example.com", roles=[Role.EMPLOYEE])
    client = Client()

    answer = sign_in_through_idp(client, idp, email="only-sso@example.com")

    assert answer["Location"] == "/"
    assert client.get("/").context["user"] == user


def test_a_password_login_works_while_local_passwords_are_on():
    UserFactory(email="local@example.com", roles=[Role.EMPLOYEE])
    client = Client()
    answer = client.post("/accounts/login/", {"login": "local@example.com", "password": "pw-for-tests-1"})
    assert answer.status_code == 302 and answer["Location"] == "/"


def test_the_account_pages_let_forms_lead_to_the_identity_provider_and_no_other_page_does(idp):
    """Browsers check form-action against the redirect to the IdP: with 'self' alone the sign-in would stop."""
    client = Client()
    for path in ("/accounts/login/", f"/accounts/oidc/{PROVIDER_ID}/login/"):
        policy = client.get(path)["Content-Security-Policy"]
        assert f"form-action 'self' {idp.issuer}" in policy, path
    UserFactory(email="csp@example.com", roles=[Role.EMPLOYEE])
    client.post("/accounts/login/", {"login": "csp@example.com", "password": "pw-for-tests-1"})
    assert "form-action 'self';" in client.get("/")["Content-Security-Policy"] + ";"
