"""The /scim/v2/ endpoints. Only a SCIM bearer token opens them: no session, no user API token.

Plain Django views, not DRF: DRF's default authentication (user tokens, sessions) must never apply here,
and SCIM has its own error format and media type.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from rest_framework import throttling
from rest_framework.settings import api_settings

from culture.models import Person, Team

from . import services
from .discovery import resource_types, schemas, service_provider_config
from .models import ScimToken
from .protocol import ScimError, apply_patch, list_response, page_bounds, parse_filter

CONTENT_TYPE = "application/scim+json"


def scim_response(body: dict[str, Any] | None, status: int = 200) -> HttpResponse:
    if body is None:
        return HttpResponse(status=status)
    return JsonResponse(body, status=status, content_type=CONTENT_TYPE)


class ScimThrottle(throttling.SimpleRateThrottle):
    """Per SCIM token (rate "scim" in settings, read per request so a settings change applies): a leaked or
    looping provisioning client cannot write people without limit."""

    scope = "scim"

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        return None if rate is None else str(rate)

    def get_cache_key(self, request, view) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": view.token.pk}


@method_decorator(csrf_exempt, name="dispatch")
class ScimView(View):
    """Authenticates the bearer token, parses JSON bodies and answers every failure in SCIM's error format."""

    token: ScimToken

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            self.token = self._authenticate(request)
            throttle = ScimThrottle()
            if not throttle.allow_request(request, self):  # type: ignore[arg-type]  # reads self.token only
                wait = throttle.wait()
                response = scim_response(ScimError(429, "Too many requests with this token.").as_json(), 429)
                response["Retry-After"] = str(int(wait or 0) + 1)
                return response
            return super().dispatch(request, *args, **kwargs)
        except ScimError as error:
            response = scim_response(error.as_json(), error.status)
            if error.status == 401:
                response["WWW-Authenticate"] = 'Bearer realm="scim"'
            return response

    def http_method_not_allowed(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        raise ScimError(405, f"{request.method} is not supported here.")

    @staticmethod
    def _authenticate(request: HttpRequest) -> ScimToken:
        scheme, _sep, value = request.headers.get("Authorization", "").partition(" ")
        token = ScimToken.objects.authenticate(value.strip()) if scheme.lower() == "bearer" else None
        if token is None:
            raise ScimError(401, "A valid SCIM bearer token is required.")
        # At most one write a minute per token: a busy provisioning cycle does not write on every request.
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ScimToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token

    def base_url(self) -> str:
        return self.request.build_absolute_uri("/scim/v2/")

    def body(self) -> dict[str, Any]:
        try:
            body = json.loads(self.request.body or b"{}")
        except ValueError as error:
            raise ScimError(400, "The body is not valid JSON.", "invalidSyntax") from error
        if not isinstance(body, dict):
            raise ScimError(400, "The body must be a JSON object.", "invalidSyntax")
        return body

    def listing(self, queryset: QuerySet, render: Callable[[Any], dict[str, Any]]) -> HttpResponse:
        start, count = page_bounds(self.request.GET.get("startIndex"), self.request.GET.get("count"))
        total = queryset.count()
        page = list(queryset[start - 1 : start - 1 + count]) if count else []
        return scim_response(list_response([render(item) for item in page], total, start))


def _get_or_404(queryset: QuerySet, pk: str, kind: str):
    found = queryset.filter(pk=int(pk)).first() if pk.isdigit() else None
    if found is None:
        raise ScimError(404, f"{kind} {pk} not found.")
    return found


class UserListView(ScimView):
    def get(self, request: HttpRequest) -> HttpResponse:
        found = parse_filter(request.GET.get("filter"), ("userName", "externalId", "emails.value", "emails"))
        queryset = services.people()
        if found is not None:
            if found.attribute in ("username", "emails.value", "emails"):
                queryset = queryset.filter(email__iexact=found.value)
            else:
                queryset = queryset.filter(employee_number=found.value)
        return self.listing(queryset, lambda person: services.user_resource(person, self.base_url()))

    def post(self, request: HttpRequest) -> HttpResponse:
        person = services.create_person(services.user_fields(self.body()), self.token)
        response = scim_response(services.user_resource(person, self.base_url()), 201)
        response["Location"] = f"{self.base_url()}Users/{person.pk}"
        return response


class UserDetailView(ScimView):
    def person(self, pk: str) -> Person:
        return _get_or_404(services.people(), pk, "User")

    def get(self, request: HttpRequest, pk: str) -> HttpResponse:
        return scim_response(services.user_resource(self.person(pk), self.base_url()))

    def put(self, request: HttpRequest, pk: str) -> HttpResponse:
        person = services.update_person(self.person(pk), services.user_fields(self.body()), self.token)
        return scim_response(services.user_resource(person, self.base_url()))

    def patch(self, request: HttpRequest, pk: str) -> HttpResponse:
        person = self.person(pk)
        patched = apply_patch(services.user_resource(person, self.base_url()), self.body())
        person = services.update_person(person, services.user_fields(patched), self.token)
        return scim_response(services.user_resource(person, self.base_url()))

    def delete(self, request: HttpRequest, pk: str) -> HttpResponse:
        services.deactivate_person(self.person(pk), self.token)
        return scim_response(None, 204)


class GroupListView(ScimView):
    def get(self, request: HttpRequest) -> HttpResponse:
        found = parse_filter(request.GET.get("filter"), ("displayName",))
        queryset = services.teams()
        if found is not None:
            queryset = queryset.filter(name__iexact=found.value)
        with_members = "members" not in request.GET.get("excludedAttributes", "")
        return self.listing(
            queryset, lambda team: services.group_resource(team, self.base_url(), with_members=with_members)
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        team = services.create_team(self.body(), self.token)
        response = scim_response(services.group_resource(team, self.base_url()), 201)
        response["Location"] = f"{self.base_url()}Groups/{team.pk}"
        return response


class GroupDetailView(ScimView):
    def team(self, pk: str) -> Team:
        return _get_or_404(services.teams(), pk, "Group")

    def get(self, request: HttpRequest, pk: str) -> HttpResponse:
        with_members = "members" not in request.GET.get("excludedAttributes", "")
        return scim_response(services.group_resource(self.team(pk), self.base_url(), with_members=with_members))

    def put(self, request: HttpRequest, pk: str) -> HttpResponse:
        team = services.update_team(self.team(pk), self.body(), self.token)
        return scim_response(services.group_resource(team, self.base_url()))

    def patch(self, request: HttpRequest, pk: str) -> HttpResponse:
        team = self.team(pk)
        patched = apply_patch(services.group_resource(team, self.base_url()), self.body())
        team = services.update_team(team, patched, self.token)
        # RFC 7644 3.5.2: 204 is allowed; the resource is friendlier to clients that read it back.
        return scim_response(services.group_resource(team, self.base_url()))

    def delete(self, request: HttpRequest, pk: str) -> HttpResponse:
        services.close_team(self.team(pk), self.token)
        return scim_response(None, 204)


class ServiceProviderConfigView(ScimView):
    def get(self, request: HttpRequest) -> HttpResponse:
        return scim_response(service_provider_config(self.base_url()))


class ResourceTypeView(ScimView):
    def get(self, request: HttpRequest, name: str = "") -> HttpResponse:
        types = resource_types(self.base_url())
        if not name:
            return scim_response(list_response(types, len(types), 1))
        for resource_type in types:
            if resource_type["id"] == name:
                return scim_response(resource_type)
        raise ScimError(404, f"Resource type {name} not found.")


class SchemaView(ScimView):
    def get(self, request: HttpRequest, urn: str = "") -> HttpResponse:
        found = schemas(self.base_url())
        if not urn:
            return scim_response(list_response(found, len(found), 1))
        for schema in found:
            if schema["id"] == urn:
                return scim_response(schema)
        raise ScimError(404, f"Schema {urn} not found.")


class NotFoundView(ScimView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        def not_found(*_args: Any, **_kwargs: Any) -> HttpResponse:
            raise ScimError(404, f"No SCIM endpoint at {request.path}.")

        for method in self.http_method_names:
            setattr(self, method, not_found)
        return super().dispatch(request, *args, **kwargs)
