"""What an identity provider said about how the user authenticated (OpenID Connect `amr`/`acr`, SAML attributes).

Pure: no ORM, no request. The adapter (users.adapters) records the claim and the middleware
(users.middleware) honours it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

# RFC 8176 method references that mean a second factor ran (or a phishing-resistant single one).
MFA_AMR = frozenset({"mfa", "otp", "hwk", "swk", "sms", "tel", "fido", "face", "fpt", "iris", "retina"})
# `acr` values that are standard names for multi-factor (Entra's legacy "1"/"2" class refs say too little).
MFA_ACR = frozenset(
    {
        "http://schemas.openid.net/pape/policies/2007/06/multi-factor",
        "urn:okta:loa:2fa:any",
        "phr",
        "phrh",
    }
)
# SAML: Entra ID's method references attribute, and the AuthnContextClassRef an IdP may pass as attribute.
SAML_AMR_ATTRIBUTES = (
    "http://schemas.microsoft.com/claims/authnmethodsreferences",
    "amr",
)
SAML_MFA_VALUES = frozenset(
    {
        "http://schemas.microsoft.com/claims/multipleauthn",
        "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract",
        "urn:oasis:names:tc:SAML:2.0:ac:classes:TimeSyncToken",
        "mfa",
    }
)


@dataclass(frozen=True)
class MfaClaim:
    """The IdP's statement: which methods (`amr`), which context class (`acr`), and whether that is MFA."""

    amr: tuple[str, ...]
    acr: str
    asserted: bool

    def as_audit(self) -> dict[str, Any]:
        return {"amr": list(self.amr), "acr": self.acr, "idp_mfa": self.asserted}


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Iterable):
        return tuple(str(item) for item in value)
    return (str(value),)


def oidc_mfa_claim(extra_data: Mapping[str, Any]) -> MfaClaim:
    """The claim from allauth's OpenID Connect extra data ({"id_token": {...}, "userinfo": {...}}).

    The ID token is authoritative (it is what the IdP signed for this login); userinfo only fills gaps."""
    id_token = extra_data.get("id_token") or {}
    userinfo = extra_data.get("userinfo") or {}
    amr = _strings(id_token.get("amr", userinfo.get("amr")))
    acr = str(id_token.get("acr", userinfo.get("acr", "")) or "")
    asserted = bool({method.lower() for method in amr} & MFA_AMR) or acr in MFA_ACR
    return MfaClaim(amr=amr, acr=acr, asserted=asserted)


def saml_mfa_claim(attributes: Mapping[str, Any]) -> MfaClaim:
    """The claim from a SAML assertion's attributes (each a list of values)."""
    amr = tuple(value for name in SAML_AMR_ATTRIBUTES for value in _strings(attributes.get(name)))
    asserted = bool(set(amr) & SAML_MFA_VALUES)
    return MfaClaim(amr=amr, acr="", asserted=asserted)


def mfa_claim(provider: str, extra_data: Mapping[str, Any]) -> MfaClaim:
    """The claim for a social account of `provider` ("saml" or an OpenID Connect provider)."""
    if provider == "saml":
        return saml_mfa_claim(extra_data)
    return oidc_mfa_claim(extra_data)


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def identity_provider_origins(providers: Mapping[str, Any]) -> list[str]:
    """The origins the sign-in forms send the browser to, from allauth's SOCIALACCOUNT_PROVIDERS.

    An OpenID Connect provider's authorization endpoint is on its issuer's origin (Entra ID, Google, Okta); a
    SAML IdP's is its single sign-on URL's, or failing that its metadata URL's."""
    urls: list[str] = []
    for name, provider in providers.items():
        for app in provider.get("APPS", []):
            app_settings = app.get("settings", {})
            if name == "saml":
                idp = app_settings.get("idp", {})
                urls.append(idp.get("sso_url") or idp.get("metadata_url") or "")
            else:
                urls.append(app_settings.get("server_url", ""))
    return sorted({origin for url in urls if (origin := _origin(url))})
