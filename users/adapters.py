from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

from .middleware import supported_language


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
