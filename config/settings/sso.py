"""Single sign-on providers built from the environment: Microsoft Entra ID, Google, one generic OpenID Connect
provider and one SAML 2.0 identity provider, each switched on by its own variables (none are set by default).

Secrets (client secrets, certificates) only ever come from the environment; see docs/sso-and-scim.md.
"""

from __future__ import annotations

from typing import Any

import environ

# The SAML attributes Microsoft Entra ID (and ADFS) send; other IdPs map the same OIDs/URIs or are set up
# to send these names. The MFA attribute feeds users.sso.mfa_claim (Entra: "multipleauthn" when MFA ran).
SAML_ATTRIBUTE_MAPPING = {
    "uid": [
        "urn:oasis:names:tc:SAML:attribute:subject-id",
        "http://schemas.microsoft.com/identity/claims/objectidentifier",
    ],
    "email": [
        "urn:oid:0.9.2342.19200300.100.1.3",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "email",
    ],
    "first_name": ["urn:oid:2.5.4.42", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname"],
    "last_name": ["urn:oid:2.5.4.4", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname"],
}


def _oidc_app(provider_id: str, name: str, client_id: str, secret: str, server_url: str, **extra: Any) -> dict:
    return {
        "provider_id": provider_id,
        "name": name,
        "client_id": client_id,
        "secret": secret,
        "settings": {"server_url": server_url, **extra},
    }


def social_providers(env: environ.Env) -> dict[str, dict[str, Any]]:
    """allauth's SOCIALACCOUNT_PROVIDERS for the identity providers configured in the environment."""
    oidc_apps: list[dict] = []
    if tenant := env("CENTRIC_SSO_ENTRA_TENANT_ID", default=""):
        # The tenant's own issuer, never "common": only accounts of the company's directory can sign in.
        oidc_apps.append(
            _oidc_app(
                "entra",
                env("CENTRIC_SSO_ENTRA_NAME", default="Microsoft"),
                env("CENTRIC_SSO_ENTRA_CLIENT_ID"),
                env("CENTRIC_SSO_ENTRA_CLIENT_SECRET"),
                f"https://login.microsoftonline.com/{tenant}/v2.0",
            )
        )
    if google_client := env("CENTRIC_SSO_GOOGLE_CLIENT_ID", default=""):
        extra = {}
        if domain := env("CENTRIC_SSO_GOOGLE_HOSTED_DOMAIN", default=""):
            extra["auth_params"] = {"hd": domain}
        oidc_apps.append(
            _oidc_app(
                "google",
                "Google",
                google_client,
                env("CENTRIC_SSO_GOOGLE_CLIENT_SECRET"),
                "https://accounts.google.com",
                **extra,
            )
        )
    if server_url := env("CENTRIC_SSO_OIDC_SERVER_URL", default=""):
        oidc_apps.append(
            _oidc_app(
                env("CENTRIC_SSO_OIDC_ID", default="oidc"),
                env("CENTRIC_SSO_OIDC_NAME", default="Single sign-on"),
                env("CENTRIC_SSO_OIDC_CLIENT_ID"),
                env("CENTRIC_SSO_OIDC_CLIENT_SECRET"),
                server_url,
            )
        )
    providers: dict[str, dict[str, Any]] = {"openid_connect": {"OAUTH_PKCE_ENABLED": True, "APPS": oidc_apps}}

    saml_metadata = env("CENTRIC_SSO_SAML_IDP_METADATA_URL", default="")
    saml_entity = env("CENTRIC_SSO_SAML_IDP_ENTITY_ID", default="")
    if saml_metadata or saml_entity:
        idp = (
            {"entity_id": saml_entity, "metadata_url": saml_metadata}
            if saml_metadata
            else {
                "entity_id": saml_entity,
                "sso_url": env("CENTRIC_SSO_SAML_IDP_SSO_URL"),
                "x509cert": env("CENTRIC_SSO_SAML_IDP_X509_CERT"),
            }
        )
        providers["saml"] = {
            "APPS": [
                {
                    "name": env("CENTRIC_SSO_SAML_NAME", default="Single sign-on (SAML)"),
                    "provider_id": saml_entity or saml_metadata,
                    # allauth names the SAML URLs after this slug: /accounts/saml/<slug>/acs/ etc.
                    "client_id": env("CENTRIC_SSO_SAML_ID", default="company"),
                    "settings": {
                        "attribute_mapping": SAML_ATTRIBUTE_MAPPING,
                        "idp": idp,
                        # Without an entity id of its own the SP names itself by its metadata URL.
                        "sp": {"entity_id": sp_entity}
                        if (sp_entity := env("CENTRIC_SSO_SAML_SP_ENTITY_ID", default=""))
                        else {},
                        "advanced": {"want_assertion_signed": True, "reject_deprecated_algorithm": True},
                    },
                }
            ]
        }
    return providers
