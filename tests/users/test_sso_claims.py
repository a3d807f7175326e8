"""The identity provider's MFA claim (users.sso) and the providers built from the environment (config)."""

from __future__ import annotations

import datetime as dt

import environ
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.test import Client

from config.settings.sso import social_providers
from users.sso import identity_provider_origins, mfa_claim


@pytest.mark.parametrize(
    ("extra_data", "asserted"),
    [
        ({"id_token": {"amr": ["pwd", "mfa"]}}, True),
        ({"id_token": {"amr": ["pwd", "otp"]}}, True),
        ({"id_token": {"amr": ["pwd"]}}, False),
        ({"id_token": {"amr": "mfa"}}, True),
        ({"id_token": {"acr": "http://schemas.openid.net/pape/policies/2007/06/multi-factor"}}, True),
        ({"id_token": {"acr": "1"}}, False),
        ({"id_token": {}, "userinfo": {"amr": ["MFA"]}}, True),
        ({"id_token": {"amr": ["pwd"]}, "userinfo": {"amr": ["mfa"]}}, False),
        ({}, False),
    ],
)
def test_oidc_mfa_claim_reads_amr_and_acr_of_the_id_token_first(extra_data, asserted):
    assert mfa_claim("openid_connect", extra_data).asserted is asserted


def test_saml_mfa_claim_reads_entras_method_references():
    attributes = {
        "http://schemas.microsoft.com/claims/authnmethodsreferences": [
            "http://schemas.microsoft.com/ws/2008/06/identity/authenticationmethod/password",
            "http://schemas.microsoft.com/claims/multipleauthn",
        ]
    }
    claim = mfa_claim("saml", attributes)
    assert claim.asserted is True
    assert claim.as_audit()["amr"][1] == "http://schemas.microsoft.com/claims/multipleauthn"
    assert mfa_claim("saml", {"email": ["a@example.com"]}).asserted is False


def _env(monkeypatch, **values):
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return environ.Env()


def test_no_identity_provider_is_configured_by_default(monkeypatch):
    for name in ("CENTRIC_SSO_ENTRA_TENANT_ID", "CENTRIC_SSO_GOOGLE_CLIENT_ID", "CENTRIC_SSO_OIDC_SERVER_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("CENTRIC_SSO_SAML_IDP_METADATA_URL", raising=False)
    monkeypatch.delenv("CENTRIC_SSO_SAML_IDP_ENTITY_ID", raising=False)
    assert social_providers(environ.Env()) == {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": []}}


def test_entra_google_and_a_generic_provider_come_from_the_environment(monkeypatch):
    env = _env(
        monkeypatch,
        CENTRIC_SSO_ENTRA_TENANT_ID="11111111-2222-3333-4444-555555555555",
        CENTRIC_SSO_ENTRA_CLIENT_ID="entra-client",
        CENTRIC_SSO_ENTRA_CLIENT_SECRET="entra-secret",
        CENTRIC_SSO_GOOGLE_CLIENT_ID="google-client",
        CENTRIC_SSO_GOOGLE_CLIENT_SECRET="google-secret",
        CENTRIC_SSO_GOOGLE_HOSTED_DOMAIN="example.com",
        CENTRIC_SSO_OIDC_SERVER_URL="https://idp.example.com",
        CENTRIC_SSO_OIDC_ID="okta",
        CENTRIC_SSO_OIDC_NAME="Okta",
        CENTRIC_SSO_OIDC_CLIENT_ID="okta-client",
        CENTRIC_SSO_OIDC_CLIENT_SECRET="okta-secret",
    )
    apps = {app["provider_id"]: app for app in social_providers(env)["openid_connect"]["APPS"]}
    assert set(apps) == {"entra", "google", "okta"}
    assert apps["entra"]["settings"]["server_url"] == (
        "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0"
    )
    assert (apps["entra"]["client_id"], apps["entra"]["secret"]) == ("entra-client", "entra-secret")
    assert apps["google"]["settings"] == {
        "server_url": "https://accounts.google.com",
        "auth_params": {"hd": "example.com"},
    }
    assert apps["okta"]["name"] == "Okta"
    assert identity_provider_origins(social_providers(env)) == [
        "https://accounts.google.com",
        "https://idp.example.com",
        "https://login.microsoftonline.com",
    ]


def test_saml_comes_from_the_environment(monkeypatch):
    env = _env(
        monkeypatch,
        CENTRIC_SSO_SAML_IDP_ENTITY_ID="https://sts.windows.net/tenant/",
        CENTRIC_SSO_SAML_IDP_SSO_URL="https://login.microsoftonline.com/tenant/saml2",
        CENTRIC_SSO_SAML_IDP_X509_CERT="MIIC...",
        CENTRIC_SSO_SAML_ID="acme",
    )
    monkeypatch.delenv("CENTRIC_SSO_SAML_IDP_METADATA_URL", raising=False)
    (app,) = social_providers(env)["saml"]["APPS"]
    assert app["client_id"] == "acme"
    assert app["settings"]["idp"] == {
        "entity_id": "https://sts.windows.net/tenant/",
        "sso_url": "https://login.microsoftonline.com/tenant/saml2",
        "x509cert": "MIIC...",
    }
    assert app["settings"]["advanced"]["want_assertion_signed"] is True
    assert "https://login.microsoftonline.com" in identity_provider_origins(social_providers(env))


def test_a_saml_idp_known_by_metadata_only_is_reached_at_the_metadata_origin():
    providers = {"saml": {"APPS": [{"settings": {"idp": {"metadata_url": "https://idp.example.org/meta"}}}]}}
    assert identity_provider_origins(providers) == ["https://idp.example.org"]
    assert identity_provider_origins({"openid_connect": {"APPS": []}}) == []


def _self_signed_certificate_body() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "idp.example.com")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    pem = cert.public_bytes(serialization.Encoding.PEM).decode()
    return "".join(line for line in pem.splitlines() if "CERTIFICATE" not in line)


@pytest.mark.django_db
def test_the_saml_service_provider_publishes_metadata_and_starts_a_login(settings, monkeypatch):
    """python3-saml and xmlsec are installed and allauth's SAML provider runs on our settings."""
    env = _env(
        monkeypatch,
        CENTRIC_SSO_SAML_IDP_ENTITY_ID="https://idp.example.com/saml",
        CENTRIC_SSO_SAML_IDP_SSO_URL="https://idp.example.com/saml/sso",
        CENTRIC_SSO_SAML_IDP_X509_CERT=_self_signed_certificate_body(),
        CENTRIC_SSO_SAML_ID="acme",
    )
    monkeypatch.delenv("CENTRIC_SSO_SAML_IDP_METADATA_URL", raising=False)
    settings.SOCIALACCOUNT_PROVIDERS = social_providers(env)
    settings.ALLOWED_HOSTS = ["centric.example.com"]
    client = Client(SERVER_NAME="centric.example.com", HTTP_HOST="centric.example.com")

    answer = client.get("/accounts/saml/acme/metadata/")

    assert answer.status_code == 200
    xml = answer.content.decode()
    assert 'entityID="http://centric.example.com/accounts/saml/acme/metadata/"' in xml
    assert 'Location="http://centric.example.com/accounts/saml/acme/acs/"' in xml
    login = client.post("/accounts/saml/acme/login/")
    assert login.status_code == 302
    assert login["Location"].startswith("https://idp.example.com/saml/sso?SAMLRequest=")
