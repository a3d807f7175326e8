"""The language switcher: Django's set_language, which also saves the choice on the signed-in user."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from .middleware import supported_language


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    response = django_set_language(request)
    language = supported_language(request.POST.get("language", ""))
    user = request.user
    if language and user.is_authenticated and user.language != language:  # type: ignore[union-attr]
        user.language = language  # type: ignore[union-attr]
        user.save(update_fields=["language"])  # type: ignore[union-attr]
    return response
