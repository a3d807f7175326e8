"""Per-request user settings: the signed-in user's language; privileged users sent to TOTP set-up until they enrol.

A user whose identity provider asserted MFA for this session's single sign-on (users.adapters) has had
their second factor checked there, so they are not asked to enrol a TOTP of ours as well; signing in
with a local password, or through an IdP that did not assert MFA, still requires it."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .adapters import IDP_MFA_SESSION_KEY
from .languages import supported_language
from .sso import identity_provider_origins

# Pages a user must still reach while enrolling: allauth's own account and MFA pages, static files; and
# SCIM, which ignores the session (only its own bearer tokens open it) and answers in its own format.
ALLOWED_PREFIXES = ("/accounts/", "/static/", "/scim/")


class IdentityProviderFormActionMiddleware:
    """Lets the sign-in pages' forms lead to the configured identity providers.

    The single sign-on button posts to Centric, which redirects to the identity provider; browsers check the
    policy's form-action against every redirect of a form submission, so with "'self'" alone the sign-in
    would stop there. Only the account pages (allauth's, under /accounts/) get the providers' origins."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/accounts/"):
            origins = identity_provider_origins(settings.SOCIALACCOUNT_PROVIDERS)
            if origins:
                update = dict(getattr(response, "_csp_update", None) or {})
                update["form-action"] = [*update.get("form-action", []), *origins]
                response._csp_update = update  # type: ignore[attr-defined]
        return response


class UserLanguageMiddleware:
    """A signed-in user's saved language wins over the cookie and Accept-Language that LocaleMiddleware read."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = supported_language(getattr(user, "language", "")) if user is not None else None
        if language and user is not None and user.is_authenticated:
            translation.activate(language)
            request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        return self.get_response(request)


class RequireMfaMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.CENTRIC_REQUIRE_MFA
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(ALLOWED_PREFIXES)
            and user.needs_mfa
            and request.session.get(IDP_MFA_SESSION_KEY) != user.pk
            and not is_mfa_enabled(user)
        ):
            messages.warning(request, _("Your role requires two-factor authentication. Please set it up to continue."))
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
