"""No view lists or shows objects without the shared scoping bases, and none shows another team's objects.

Part one reads the code: every class-based view and viewset routed from config.urls either goes through
ScopedQuerysetMixin (FilteredTableView, ScopedObjectMixin, ScopedViewSetMixin) without replacing its
`get_queryset` / `get_object`, or declares `scoping = "none: <reason>"`. Part two reads the answers: with
team A's and team B's objects in the access world, every list, detail, export, PDF and API URL requested
by team A's lead and by its employee holds nothing of team B's, and team B's ids are a 404 or a 403.
The admin (Django's own permission model) and the third-party account, schema and API-root views are out
of scope: they are not this project's views.
"""

from __future__ import annotations

import ast
import inspect
import json
import textwrap
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from core.views import ScopedQuerysetMixin, scoping_exemption

from .second_team import Side, side_a, side_b
from .world import PERIOD

pytestmark = pytest.mark.django_db

OWN_APPS = {"core", "culture", "hiring", "incentives", "reports", "users", "config"}
ROLES = ("lead_a", "employee")


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    view: type
    params: tuple[str, ...]
    api: bool


def _routes(patterns, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern), inner)
            continue
        assert isinstance(entry, URLPattern)
        callback = entry.callback
        view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        if view is None or view.__module__.split(".")[0] not in OWN_APPS:
            continue
        params = tuple(sorted(set(entry.pattern.regex.groupindex) - {"format"}))
        if "format" in entry.pattern.regex.groupindex:
            continue  # the router's `.json` twin of a route already walked
        if hasattr(callback, "actions") and "get" not in callback.actions:
            continue  # a POST-only API route (the bulk measurement import) lists and shows nothing
        yield Route(namespace + (entry.name or ""), prefix + str(entry.pattern), view, params, hasattr(callback, "cls"))


ROUTES = list(_routes(get_resolver().url_patterns))


# --- part one: the code ---------------------------------------------------------------------------------


def _calls_super(function: Callable, name: str) -> bool:
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == name
        and isinstance(node.func.value, ast.Call)
        and isinstance(node.func.value.func, ast.Name)
        and node.func.value.func.id == "super"
        for node in ast.walk(tree)
    )


def _own_classes(view: type) -> list[type]:
    return [klass for klass in view.__mro__ if klass.__module__.split(".")[0] in OWN_APPS - {"core"}]


def _hand_lookups(view: type) -> list[str]:
    """`get_object_or_404(...)` calls in the view's own code on anything but its own scoped queryset."""
    found = []
    for klass in _own_classes(view):
        tree = ast.parse(textwrap.dedent(inspect.getsource(klass)))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "get_object_or_404" and node.args:
                argument = ast.unparse(node.args[0])
                if not argument.startswith("self.get_queryset("):
                    found.append(f"{klass.__name__}: get_object_or_404({argument}, ...)")
    return found


def bypasses(view: type) -> list[str]:
    """Why `view` does not go through the shared scoping; empty when it does (or says it shows no objects)."""
    if scoping_exemption(view) is not None:
        return []
    if not issubclass(view, ScopedQuerysetMixin):
        return [
            'not on a shared base (FilteredTableView, ScopedObjectMixin, ScopedViewSetMixin) and no "none: <reason>"'
        ]
    problems = []
    for klass in view.__mro__[: view.__mro__.index(ScopedQuerysetMixin)]:
        for method in ("get_queryset", "get_object"):
            if method in vars(klass) and not _calls_super(vars(klass)[method], method):
                problems.append(f"{klass.__name__}.{method} replaces the base's (override refine_queryset)")
    return problems + _hand_lookups(view)


def test_the_walk_finds_the_pages_and_the_viewsets():
    names = {route.name for route in ROUTES}
    assert {"culture:team_list", "incentives:statement", "reports:report_download", "hiring-scorecard-detail"} <= names
    assert sum(route.api for route in ROUTES) >= 10


def test_every_view_goes_through_the_shared_scoping_or_says_it_shows_no_objects():
    views = {(route.view.__module__, route.view.__qualname__): route.view for route in ROUTES}
    failures = [
        f"{module}:{name}: {'; '.join(problems)}"
        for (module, name), view in sorted(views.items())
        if (problems := bypasses(view))
    ]
    exempt = sorted(
        f"{module}:{name}: {scoping_exemption(view)}"
        for (module, name), view in views.items()
        if scoping_exemption(view)
    )
    print(f"\n{len(views)} views, {len(failures)} bypass the shared scoping, {len(exempt)} declare no objects:")
    print("\n".join(exempt))
    assert not failures, f"{len(failures)} of {len(views)} views bypass the shared scoping:\n" + "\n".join(failures)


# --- part two: the answers ------------------------------------------------------------------------------


def _kwargs(route: Route, side: Side) -> dict[str, Any] | None:
    """URL kwargs naming `side`'s object of the route's kind; None when the route takes none of a team's."""
    if not route.params:
        return {}
    name = route.name.split(":")[-1]
    by_name: dict[str, Any] = {
        "team_detail": side.team.slug,
        "team_scorecard": side.team.slug,
        "review_edit": side.team.slug,
        "action_detail": side.action.pk,
        "recognition_pick": side.recognition.pk,
        "department_scorecard": side.team.department.slug,
        "team_update": side.team.slug,
        "team_lead": side.team.slug,
        "team_merge": side.team.slug,
        "team_close": side.team.slug,
        "department_update": side.team.department.pk,
        "department_close": side.team.department.pk,
        "target_bulk": side.team.department.slug,
        "person_detail": side.line.person_id,
        "target_update": side.target.pk,
        "target_delete": side.target.pk,
        "target_phase": side.target.pk,
        "team-detail": side.team.slug,
        "scorecard-detail": side.team.slug,
        "incentive-plan-detail": side.plan.pk,
        "payout-run-detail": side.run.pk,
        "payout-line-detail": side.line.pk,
        "hiring-rubricversion-detail": side.rubric_version.pk,
        "hiring-position-detail": side.position.pk,
        "hiring-application-detail": side.application.pk,
        "hiring-interview-detail": side.interview.pk,
        "hiring-scorecard-detail": side.scorecard.pk,
        "statement": side.line.pk,
        "dispute_create": side.line.pk,
        "adjustment_approve": side.adjustment.pk if side.adjustment else None,
        "payroll_file": side.payroll_file.pk if side.payroll_file else None,
        "payroll_file_issue": side.run.pk,
        # a new run is created under its plan (`plans/<pk>/runs/new/`), not under a run as the prefix would say
        "run_create": side.plan.pk,
        "interview_kit": side.interview.pk,
        "scorecard_create": side.interview.pk,
        "interview_reschedule": side.interview.pk,
        "interview_cancel": side.interview.pk,
        "application_debrief": side.application.pk,
        "application_hire": side.application.pk,
        "pulse_detail": side.pulse.pk,
        "pulse-detail": side.pulse.pk,
        "pulse-results": side.pulse.pk,
    }
    by_prefix = {
        "plan_": side.plan.pk,
        "run_": side.run.pk,
        "adjustment_": side.run.pk,
        "rubric_": side.rubric_version.pk,
        "position_": side.position.pk,
        "candidate_": side.candidate.pk,
        "application_": side.application.pk,
        "interview_create": side.application.pk,
        "hirereview_": side.application.pk,
        "report_": side.report.pk,
        "dispute_": side.dispute.pk,
    }
    if name in (
        "period_close",
        "period_reopen",
        "kpi_update",
        "kpi_detail",
        "kpi-detail",
        "import_preview",
        "import_options",
        "import_job",
        "import_job_status",
        "import_template",
        "import_confirm",
        # one's own XLSX export job (looked up under the requester's user id; test_export_jobs.py, the matrix)
        "export_job",
        "export_download",
        "people_sync_preview",
        "people_sync_confirm",
        "api_token_revoke",
        # a personal pulse link: the signed random token is the credential itself, not a team's object id
        "pulse_answer",
        # the company-wide pulse question library: versions of questions, no team's objects
        "pulse_library_detail",
        "pulse_library_edit",
        "pulse_library_copy",
        "pulse_library_publish",
    ):
        # the period calendar, the KPI catalogue, one's own pending upload, a blank import template and one's own
        # API token: no team's objects
        return None
    if name in ("override", "what_if"):
        value = side.plan.pk
    elif name == "component_create":
        return {"plan_pk": side.plan.pk}
    elif name in ("component_update", "component_delete"):
        return {"plan_pk": side.plan.pk, "pk": side.plan.components.first().pk}
    elif name in by_name:
        value = by_name[name]
    else:
        value = next((pk for prefix, pk in by_prefix.items() if name.startswith(prefix)), None)
    assert value is not None, f"no object of a team for {route.name} ({route.pattern}): add it to _kwargs"
    (param,) = route.params
    return {param: value}


def _url(route: Route, kwargs: dict[str, Any]) -> str:
    from django.urls import reverse

    return reverse(route.name, kwargs=kwargs)


def _body(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8", errors="replace")


def _api_ids(payload: Any) -> set[int]:
    rows = payload.get("results", payload) if isinstance(payload, dict) else payload
    rows = rows if isinstance(rows, list) else [rows]
    return {row["id"] for row in rows if isinstance(row, dict) and isinstance(row.get("id"), int)}


def _b_ids(route: Route, b: Side) -> set[int]:
    """Team B's ids of the kind an API route returns (its slug-keyed routes are checked by the markers)."""
    kinds = {
        "incentive-plan": {b.plan.pk},
        "payout-run": {b.run.pk},
        "payout-line": {line.pk for line in b.lines},
        "hiring-rubricversion": {b.rubric_version.pk},
        "hiring-position": {b.position.pk},
        "hiring-application": {b.application.pk},
        "hiring-interview": {b.interview.pk},
        "hiring-scorecard": {b.scorecard.pk},
        "team": {b.team.pk},
        "pulse": {b.pulse.pk},
    }
    return next(
        (ids for kind, ids in kinds.items() if route.name.removesuffix("-list").removesuffix("-detail") == kind), set()
    )


def _leaks(route: Route, url: str, response, b: Side, allowed: frozenset[str] = frozenset()) -> list[str]:
    body = _body(response)
    found = [f"text {marker!r}" for marker in b.markers if marker in body and marker not in allowed]
    found += [f"link {link}" for link in b.urls() if f'"{link}' in body]
    if route.api and response.status_code == 200 and "json" in response.get("Content-Type", ""):
        found += [f"id {pk}" for pk in sorted(_api_ids(json.loads(body)) & _b_ids(route, b))]
    return found


@pytest.fixture(scope="module")
def sides(world, django_db_blocker):
    with django_db_blocker.unblock():
        return side_a(world), side_b(world)


def _requests(route: Route, a: Side) -> Iterator[str]:
    kwargs = _kwargs(route, a)
    if kwargs is None:
        return
    url = _url(route, kwargs)
    if route.api:
        yield url
        return
    yield f"{url}?period={PERIOD}"
    if issubclass(route.view, ScopedQuerysetMixin) or "list" in route.name or route.name.endswith("statement_list"):
        yield f"{url}?period={PERIOD}&_export=csv"


def test_team_a_sees_nothing_of_team_b_on_any_list_detail_export_pdf_or_api_url(world, sides):
    a, b = sides
    # The world's plan covers both teams: its own eligibility list names team B, as a plan of both should.
    shared_plan = _url(next(route for route in ROUTES if route.name == "incentives:plan_detail"), {"pk": a.plan.pk})
    assert a.plan.eligible_teams.filter(pk=b.team.pk).exists()
    leaks, statuses = [], Counter()
    for role in ROLES:
        for route in ROUTES:
            client = world.apis[role] if route.api else world.pages[role]
            for url in _requests(route, a):
                response = client.get(url)
                statuses[response.status_code] += 1
                allowed = frozenset({b.team.name}) if url.startswith(shared_plan) else frozenset()
                if found := _leaks(route, url, response, b, allowed):
                    leaks.append(f"{role} GET {url} ({response.status_code}): {', '.join(found)}")
    print(f"\n{statuses.total()} requests as team A's lead and employee: {dict(statuses)}")
    assert statuses[200] > 100
    assert not leaks, f"{len(leaks)} responses show team B's objects:\n" + "\n".join(leaks)


def test_team_bs_ids_are_a_404_or_a_403_for_team_a(world, sides):
    a, b = sides
    opened = []
    for role in ROLES:
        for route in ROUTES:
            kwargs_a, kwargs_b = _kwargs(route, a), _kwargs(route, b)
            if not kwargs_b or kwargs_a == kwargs_b:
                continue  # a list, or an object the two teams share (none today)
            client = world.apis[role] if route.api else world.pages[role]
            url = _url(route, kwargs_b)
            response = client.get(url)
            if response.status_code in (403, 404):
                continue
            if response.status_code == 405 and client.get(_url(route, kwargs_a)).status_code == 405:
                continue  # a POST-only action: the GET learns nothing about either object
            opened.append(f"{role} GET {url}: {response.status_code} {', '.join(_leaks(route, url, response, b))}")
    assert not opened, f"{len(opened)} of team B's objects answer team A:\n" + "\n".join(opened)


def test_the_leak_check_sees_team_bs_objects_when_team_b_asks(world, sides):
    """The markers and ids are real: the same check, run as team B's lead on team B's URLs, finds them."""
    _a, b = sides
    must_find = {
        "culture:measurement_list",
        "culture:target_list",
        "hiring:position_detail",
        "hiring:candidate_list",
        "incentives:plan_detail",
        "incentives:statement",
        "reports:report_list",
        "reports:report_download",
        "hiring-position-list",
        "hiring-scorecard-detail",
        "payout-line-list",
    }
    found = set()
    for route in ROUTES:
        if route.name not in must_find:
            continue
        client = world.apis["lead_b"] if route.api else world.pages["lead_b"]
        for url in _requests(route, b):
            if _leaks(route, url, client.get(url), b):
                found.add(route.name)
    assert found == must_find
