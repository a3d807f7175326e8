"""The read path: every hiring route, API serializer, export and admin view, walked as a pending interviewer.

A pending interviewer (assigned to an interview of the application, own scorecard not in) sees no other
scorecard, rating, score, recommendation or decision reason there, whatever their role: a recruiter, an
admin and a plain employee are walked. The route list comes from the URLconf and the API router, so a new
route fails here until it is given its object below.
"""

from __future__ import annotations

import json

import pytest
from django.urls import URLPattern, reverse
from rest_framework.test import APIClient

import hiring.urls
from config.api_urls import router
from hiring.candidates.privacy import export_candidate_data
from hiring.candidates.services import decide
from hiring.models import Scorecard
from tests.factories import UserFactory
from users.tokens import issue

from .factories import InterviewFactory, submit

pytestmark = pytest.mark.django_db

SECRETS = ("SECRET-EVIDENCE-Y", "SECRET-SUMMARY-Y", "SECRET-REASON-CCO")

# Which object each route's `pk` names; routes without a pk take none. Every hiring route must be listed.
ROUTE_OBJECTS = {
    "rubric_list": None,
    "rubric_create": None,
    "rubric_install_standard": None,
    "rubric_detail": "version",
    "rubric_edit": "version",
    "rubric_publish": "version",
    "rubric_new_version": "version",
    "rubric_validity": "version",
    "position_list": None,
    "position_create": None,
    "position_detail": "position",
    "position_update": "position",
    "position_comparison": "position",
    "candidate_list": None,
    "candidate_create": None,
    "candidate_detail": "candidate",
    "candidate_update": "candidate",
    "candidate_export": "candidate",
    "candidate_erase": "candidate",
    "candidate_merge": "candidate",
    "application_create": None,
    "application_detail": "application",
    "application_decide": "application",
    "application_hire": "application",
    "application_debrief": "application",
    "interview_create": "application",
    "hirereview_create": "application",
    "interview_list": None,
    "my_interviews": None,
    "interview_kit": "interview",
    "interview_reschedule": "interview",
    "interview_cancel": "interview",
    "scorecard_create": "interview",
    "calibration": None,
}
# List pages with a CSV/XLSX export: the export is walked too.
EXPORTS = ("candidate_list", "position_list", "position_comparison", "interview_list", "my_interviews")
EXPORTS += ("calibration", "rubric_list")


@pytest.fixture
def world(cco, recruiter, interviewer_x, interviewer_y, application_a):
    admin = UserFactory(email="root@example.com", is_superuser=True, is_staff=True)
    interview = InterviewFactory(
        application=application_a, title="Panel", interviewers=[recruiter, admin, interviewer_x, interviewer_y]
    )
    card = submit(interview, interviewer_y, recommendation="strong_yes", evidence="SECRET-EVIDENCE-Y", empathy=5)
    Scorecard.objects.filter(pk=card.pk).update(summary="SECRET-SUMMARY-Y")
    decide(actor=cco, application=application_a, to_stage="offer", reason="SECRET-REASON-CCO")
    return {
        "application": application_a,
        "candidate": application_a.candidate,
        "position": application_a.position,
        "version": application_a.position.rubric_version,
        "interview": interview,
        "card": card,
        "pending": {"recruiter": recruiter, "admin": admin, "interviewer": interviewer_x},
    }


def _hiring_routes() -> list[str]:
    return [p.name for p in hiring.urls.urlpatterns if isinstance(p, URLPattern)]


def test_every_hiring_route_is_walked():
    assert sorted(_hiring_routes()) == sorted(ROUTE_OBJECTS)


def _urls(world) -> list[str]:
    urls = []
    for name, kind in ROUTE_OBJECTS.items():
        kwargs = {"pk": world[kind].pk} if kind else {}
        url = reverse(f"hiring:{name}", kwargs=kwargs)
        urls.append(url)
        if name in EXPORTS:
            urls += [f"{url}?_export=csv", f"{url}?_export=xlsx"]
    return urls


def _assert_nothing_leaks(body: str, where: str) -> None:
    for secret in SECRETS:
        assert secret not in body, f"{secret} leaks through {where}"
    assert "1 strong yes" not in body.lower(), f"the panel's recommendation leaks through {where}"


@pytest.mark.parametrize("who", ["recruiter", "admin", "interviewer"])
def test_no_page_or_export_shows_the_panel_to_a_pending_interviewer(client, world, who, reauthenticate):
    user = world["pending"][who]
    reauthenticate(client, user)
    for url in _urls(world):
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404, 405), url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        _assert_nothing_leaks(body.decode("utf-8", "replace"), url)


def test_the_walk_finds_the_panel_once_the_recruiter_has_submitted(client, world, reauthenticate):
    """The control for the walk above: the same routes, read by the same recruiter after their own scorecard,
    show every secret somewhere, so a route that hides them from a pending reader really did hide them (and
    the walk opened real pages, not redirects)."""
    recruiter = world["pending"]["recruiter"]
    submit(world["interview"], recruiter, recommendation="yes", evidence="mine", empathy=3)
    reauthenticate(client, recruiter)
    found: dict[str, list[str]] = {secret: [] for secret in SECRETS}
    opened = 0
    for url in _urls(world):
        response = client.get(url)
        opened += response.status_code == 200
        body = (b"".join(response.streaming_content) if response.streaming else response.content).decode(
            "utf-8", "replace"
        )
        for secret in SECRETS:
            if secret in body:
                found[secret].append(url)
    assert all(found.values()), f"never shown, so the walk proves nothing for: {found}"
    assert opened >= 30, f"only {opened} of {len(_urls(world))} routes opened for the recruiter"


def test_the_candidate_export_withholds_the_panel_from_a_pending_recruiter(world):
    data = export_candidate_data(actor=world["pending"]["recruiter"], candidate=world["candidate"])
    _assert_nothing_leaks(json.dumps(data), "the candidate JSON export")
    [application] = data["applications"]
    assert application["decisions"] == []
    assert all(interview["scorecards"] == [] for interview in application["interviews"])
    assert data["withheld"] == {"scorecards": 1, "decisions": 1}


def test_the_candidate_export_holds_everything_once_the_recruiter_has_submitted(world):
    recruiter = world["pending"]["recruiter"]
    submit(world["interview"], recruiter, recommendation="yes", evidence="mine", empathy=3)
    data = export_candidate_data(actor=recruiter, candidate=world["candidate"])
    body = json.dumps(data)
    assert all(secret in body for secret in SECRETS)
    assert data["withheld"] == {"scorecards": 0, "decisions": 0}


def _api_routes() -> list[tuple[str, str]]:
    return [(prefix, basename) for prefix, _viewset, basename in router.registry if basename.startswith("hiring-")]


def test_every_hiring_serializer_is_walked():
    assert {basename for _prefix, basename in _api_routes()} == {
        "hiring-rubricversion",
        "hiring-position",
        "hiring-application",
        "hiring-interview",
        "hiring-scorecard",
    }


@pytest.mark.parametrize("who", ["recruiter", "admin", "interviewer"])
def test_no_serializer_shows_the_panel_to_a_pending_interviewer(world, who):
    user = world["pending"][who]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue(user, name='test')[1]}")
    objects = {
        "hiring-rubricversion": world["version"],
        "hiring-position": world["position"],
        "hiring-application": world["application"],
        "hiring-interview": world["interview"],
        "hiring-scorecard": world["card"],
    }
    for prefix, basename in _api_routes():
        for url in (f"/api/v1/{prefix}/", f"/api/v1/{prefix}/{objects[basename].pk}/"):
            response = client.get(url)
            assert response.status_code in (200, 404), url
            _assert_nothing_leaks(response.content.decode(), url)
            if basename == "hiring-application" and response.status_code == 200:
                rows = response.json().get("results", [response.json()])
                for row in rows:
                    assert row["aggregate"]["score"] is None, url
                    assert row["aggregate"]["scorecard_count"] == 0, url
    assert client.get(f"/api/v1/hiring/scorecards/{world['card'].pk}/").status_code == 404


def test_every_hiring_admin_page_shows_a_pending_admin_none_of_the_panel(client, world):
    """Every registered hiring model's admin list and each row's change page, as the pending superuser."""
    from django.contrib import admin

    client.force_login(world["pending"]["admin"])
    models = [model for model in admin.site._registry if model._meta.app_label == "hiring"]
    assert len(models) >= 8
    for model in models:
        name = model._meta.model_name
        changelist = client.get(reverse(f"admin:hiring_{name}_changelist"))
        assert changelist.status_code == 200, name
        _assert_nothing_leaks(changelist.content.decode(), f"admin {name} list")
        for pk in model.objects.values_list("pk", flat=True):
            page = client.get(reverse(f"admin:hiring_{name}_change", args=[pk]))
            _assert_nothing_leaks(page.content.decode(), f"admin {name} {pk}")


@pytest.mark.parametrize("model", ["scorecard", "decision"])
def test_the_admin_shows_a_pending_admin_none_of_the_panel(client, world, model):
    client.force_login(world["pending"]["admin"])
    changelist = client.get(reverse(f"admin:hiring_{model}_changelist"))
    assert changelist.status_code == 200
    _assert_nothing_leaks(changelist.content.decode(), f"admin {model} list")
    obj = world["card"] if model == "scorecard" else world["application"].decisions.get()
    assert client.get(reverse(f"admin:hiring_{model}_change", args=[obj.pk])).status_code in (302, 404)
    assert "0 " in changelist.content.decode()  # "0 scorecards" / "0 decisions": nothing listed
