"""Query-heavy hiring pages run a fixed number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory

from .factories import ApplicationFactory, InterviewFactory, PositionFactory, submit

pytestmark = pytest.mark.django_db


def _add_applications(position, count):
    panel = list(position.interviewers.all())
    for _ in range(count):
        interview = InterviewFactory(application=ApplicationFactory(position=position), interviewers=panel)
        for index, interviewer in enumerate(panel):
            submit(
                interview, interviewer, evidence="seen", empathy=min(5, 3 + index), listening=1 + index % 5, ownership=4
            )


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def position(team_a):
    return PositionFactory(team=team_a, interviewers=UserFactory.create_batch(3))


@pytest.mark.parametrize(
    "url_name",
    ["hiring:position_detail", "hiring:position_comparison"],
)
def test_pipeline_and_comparison_queries_do_not_grow_with_applications(client, recruiter, position, url_name):
    client.force_login(recruiter)
    url = reverse(url_name, kwargs={"pk": position.pk})
    _add_applications(position, 2)
    few = _queries(client, url)
    _add_applications(position, 25)
    many = _queries(client, url)
    assert few == many
    assert many <= 16


def test_comparison_export_queries_do_not_grow(client, recruiter, position, reauthenticate):
    reauthenticate(client, recruiter)
    url = reverse("hiring:position_comparison", kwargs={"pk": position.pk}) + "?_export=csv"
    _add_applications(position, 2)
    few = _queries(client, url)
    _add_applications(position, 25)
    assert _queries(client, url) == few


def test_calibration_queries_do_not_grow_with_scorecards(client, recruiter, position):
    client.force_login(recruiter)
    url = reverse("hiring:calibration")
    _add_applications(position, 2)
    few = _queries(client, url)
    _add_applications(position, 30)
    _add_applications(PositionFactory(interviewers=UserFactory.create_batch(2)), 10)
    many = _queries(client, url)
    assert few == many
    assert many <= 14


@pytest.mark.parametrize("url_name", ["hiring:candidate_list", "hiring:interview_list", "hiring:position_list"])
def test_lists_queries_do_not_grow_with_rows(client, recruiter, position, url_name):
    client.force_login(recruiter)
    url = reverse(url_name)
    _add_applications(position, 2)
    few = _queries(client, url)
    _add_applications(position, 20)
    _add_applications(PositionFactory(interviewers=UserFactory.create_batch(2)), 5)
    assert _queries(client, url) == few


def test_application_detail_queries_do_not_grow_with_panel_size(client, recruiter, team_a):
    small = PositionFactory(team=team_a, interviewers=UserFactory.create_batch(2))
    large = PositionFactory(team=team_a, interviewers=UserFactory.create_batch(8))
    _add_applications(small, 1)
    _add_applications(large, 1)
    client.force_login(recruiter)
    few = _queries(client, reverse("hiring:application_detail", kwargs={"pk": small.applications.get().pk}))
    many = _queries(client, reverse("hiring:application_detail", kwargs={"pk": large.applications.get().pk}))
    assert few == many
    assert many <= 22


def test_api_application_list_queries_do_not_grow(recruiter, position):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(recruiter)
    _add_applications(position, 2)
    client.get("/api/v1/hiring/applications/")  # the forced user caches its roles on the first request
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/hiring/applications/").status_code == 200
    _add_applications(position, 20)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/v1/hiring/applications/").status_code == 200
    assert len(few.captured_queries) == len(many.captured_queries)
