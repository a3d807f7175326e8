"""Sign-in and language pages: allauth's password pages behind the company's switch for local passwords
(CENTRIC_LOCAL_PASSWORDS), and the language switcher.

With local passwords off the login page offers the single sign-on buttons only, and every page that would
check or set a password refuses, so a password leaked or set earlier opens nothing. The language switcher is
Django's set_language, which here also saves the choice on the signed-in user."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.account import views as account_views
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from ..languages import supported_language


def local_passwords_enabled() -> bool:
    return settings.CENTRIC_LOCAL_PASSWORDS


def _refuse() -> None:
    raise PermissionDenied(_("Password sign-in is switched off for this company: use single sign-on."))


class LoginView(account_views.LoginView):
    """allauth's login; a password POST is refused while local passwords are off."""

    scoping = "none: the sign-in form, before there is a user to scope anything to"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any):
        if request.method not in ("GET", "HEAD", "OPTIONS") and not local_passwords_enabled():
            _refuse()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["local_passwords"] = local_passwords_enabled()
        return context


def requires_local_passwords(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The view, refused (403) while local passwords are off."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not local_passwords_enabled():
            _refuse()
        return view(request, *args, **kwargs)

    return wrapped


login = LoginView.as_view()
password_change = requires_local_passwords(account_views.password_change)
password_set = requires_local_passwords(account_views.password_set)
password_reset = requires_local_passwords(account_views.password_reset)
password_reset_from_key = requires_local_passwords(account_views.password_reset_from_key)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    response = django_set_language(request)
    language = supported_language(request.POST.get("language", ""))
    user = request.user
    if language and user.is_authenticated and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
    return response
