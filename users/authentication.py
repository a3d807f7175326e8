"""API tokens under the same two-factor rule as the web pages (users.middleware.RequireMfaMiddleware)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from .tokens import authenticate_key, needs_second_factor_first


class MfaTokenAuthentication(BaseAuthentication):
    """`Authorization: Token <key>` with a hashed, expiring, revocable users.ApiToken.

    A token of a privileged user who has not enrolled a second factor is refused: the middleware cannot see
    token requests (DRF authenticates them inside the view), so without this a CCO who never set up
    two-factor authentication would read every payout line through a token."""

    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Invalid token header: Token followed by the key, no spaces in the key."))
        try:
            key = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("Invalid token.")) from None
        token = authenticate_key(key)
        if token is None:
            raise AuthenticationFailed(_("Invalid, expired or revoked token."))
        if needs_second_factor_first(token.user):
            raise AuthenticationFailed(
                _("Your role requires two-factor authentication: set it up on the website before using the API.")
            )
        return token.user, token

    def authenticate_header(self, request) -> str:
        return self.keyword


class MfaTokenScheme(OpenApiAuthenticationExtension):
    """How the schema describes the token header (drf-spectacular finds extensions by subclassing)."""

    target_class = "users.authentication.MfaTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`: create a key on the API tokens page; it expires and can be revoked.",
        }
