"""allauth adapters: invite-only local accounts, and single sign-on matched to existing accounts by email."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from core.audit import record

from .languages import supported_language
from .sso import mfa_claim

# The id of the user whose identity provider asserted MFA in this session (see users.middleware).
IDP_MFA_SESSION_KEY = "centric_idp_mfa_user"


class InviteOnlyAccountAdapter(DefaultAccountAdapter):
    """No open signup: administrators create accounts and users set their password by reset link."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def post_login(self, request, user, **kwargs):
        # The saved language also goes into the cookie, so the pages after logging out stay in it.
        response = super().post_login(request, user, **kwargs)
        language = supported_language(user.language)
        if language and response is not None:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            )
        return response


def match_user(emails: list[str]):
    """The existing, active login for one of the identity provider's addresses, or None.

    The person's work address (culture's Person.email, reached through the login it links) wins over the
    login's own address, so a person whose login was created under an old address is still found."""
    users = get_user_model().objects
    for email in emails:
        found = users.filter(person__email__iexact=email).first() or users.filter(email__iexact=email).first()
        if found is not None:
            return found
    return None


class SingleSignOnAdapter(DefaultSocialAccountAdapter):
    """Single sign-on never creates an account: the identity provider's address must belong to a known login.

    Provisioning (who may sign in) is the administrators' and the SCIM feed's job; the identity providers
    configured in settings are the company's own, so their email claim is trusted for matching."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin) -> None:
        if sociallogin.is_existing:
            user = sociallogin.user
        else:
            emails = [address.email for address in sociallogin.email_addresses if address.email]
            if sociallogin.user.email:
                emails.append(sociallogin.user.email)
            user = match_user(emails)
            if user is None:
                self._refuse(
                    request,
                    _(
                        "No one with the address %(email)s is known to Centric. "
                        "Ask your administrator to add you before signing in."
                    )
                    % {"email": emails[0] if emails else _("(none given)")},
                )
        if not user.is_active:
            self._refuse(request, _("Your account is deactivated. Ask your administrator if this is a mistake."))
        if not sociallogin.is_existing:
            sociallogin.connect(request, user)
        claim = mfa_claim(sociallogin.provider.id, sociallogin.account.extra_data)
        record(
            actor=user,
            action="sso_login",
            obj=user,
            after={"provider": sociallogin.account.provider, **claim.as_audit()},
        )
        # Remembered per user: a later local login as someone else in this session does not inherit it.
        if claim.asserted:
            request.session[IDP_MFA_SESSION_KEY] = user.pk
        else:
            request.session.pop(IDP_MFA_SESSION_KEY, None)

    def _refuse(self, request: HttpRequest, message: str) -> None:
        messages.error(request, message)
        raise ImmediateHttpResponse(redirect("account_login"))
