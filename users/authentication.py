"""API tokens under the same two-factor rule as the web pages (users.middleware.RequireMfaMiddleware)."""

from __future__ import annotations

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


class MfaTokenAuthentication(TokenAuthentication):
    """A token of a privileged user who has not enrolled a second factor is refused.

    The middleware cannot see token requests (DRF authenticates them inside the view), so without this a
    CCO who never set up two-factor authentication would read every payout line through a token."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if settings.CENTRIC_REQUIRE_MFA and user.needs_mfa and not is_mfa_enabled(user):
            raise AuthenticationFailed(
                _("Your role requires two-factor authentication: set it up on the website before using the API.")
            )
        return user, token
