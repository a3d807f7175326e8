"""The user's own API tokens: list, create (the key shown once) and revoke."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic.list import MultipleObjectMixin

from core.views import ScopedObjectMixin, ScopedQuerysetMixin

from ..models import ApiToken, User
from ..tokens import create_token, needs_second_factor_first, revoke_token


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. 'BI export'."))


class ApiTokenView(LoginRequiredMixin, ScopedQuerysetMixin, MultipleObjectMixin, View):
    """The signed-in user's own API tokens (ApiToken.objects.visible_to), and a form for a new one."""

    template_name = "users/api_tokens.html"
    queryset = ApiToken.objects.filter(scope=ApiToken.Scope.API)

    def render_page(self, form: ApiTokenForm, *, key: str = "", status: int = 200):
        user = cast(User, self.request.user)  # LoginRequiredMixin let only a signed-in user through
        context: dict[str, Any] = {
            "title": _("API tokens"),
            "breadcrumbs": [(str(_("Security")), reverse("mfa_index")), (str(_("API tokens")), None)],
            "form": form,
            "key": key,
            "tokens": self.get_queryset(),
            "needs_mfa": needs_second_factor_first(user),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request):
        return self.render_page(ApiTokenForm())

    def post(self, request):
        form = ApiTokenForm(request.POST)
        if not form.is_valid():
            return self.render_page(form, status=400)
        try:
            _token, key = create_token(request.user, name=form.cleaned_data["name"], actor=request.user)
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return self.render_page(form, status=403)
        # The key is in this one response only: the database keeps its SHA-256.
        return self.render_page(ApiTokenForm(), key=key)


class ApiTokenRevokeView(LoginRequiredMixin, ScopedObjectMixin, View):
    """Revoking asks first: GET shows what stops working, POST revokes and returns to the list."""

    queryset = ApiToken.objects.all()
    template_name = "users/api_token_confirm_revoke.html"

    def get(self, request, pk: int):
        token = self.get_object()  # another user's token is a 404
        if not token.is_usable:
            return HttpResponseRedirect(reverse("users:api_tokens"))
        context = {
            "title": _("Revoke token %(name)s") % {"name": token.name},
            "breadcrumbs": [
                (str(_("Security")), reverse("mfa_index")),
                (str(_("API tokens")), reverse("users:api_tokens")),
                (str(_("Revoke")), None),
            ],
            "token": token,
        }
        return render(request, self.template_name, context)

    def post(self, request, pk: int):
        token = self.get_object()  # another user's token is a 404
        revoke_token(token, actor=request.user)
        messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
        return HttpResponseRedirect(reverse("users:api_tokens"))
