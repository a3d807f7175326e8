"""Pipeline and comparison pages that work on a laptop and a tablet, and breadcrumbs that only link to pages
the reader may open (an interviewer outside HR reaches the candidate through their interview)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from hiring.models import Application

from .factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def _crumbs(body: str) -> list[tuple[str, str | None]]:
    trail = re.search(r'<ol class="breadcrumb">(.*?)</ol>', body, re.S)
    assert trail is not None
    found = []
    for item in re.findall(r"<li[^>]*>(.*?)</li>", trail.group(1), re.S):
        link = re.search(r'<a href="([^"]+)">([^<]+)</a>', item)
        found.append((link.group(2), link.group(1)) if link else (item.strip(), None))
    return found


def test_every_stage_column_is_there_and_empty_ones_say_no_candidates(client, recruiter, position_a, application_a):
    client.force_login(recruiter)
    body = client.get(reverse("hiring:position_detail", kwargs={"pk": position_a.pk})).content.decode()
    columns = re.findall(r'<section class="pipeline-column" aria-labelledby="stage-(\w+)">', body)
    assert columns == list(Application.Stage.values)  # Withdrawn included, in stage order
    assert body.count("No candidates") == len(Application.Stage.values) - 1
    pipeline = body[body.index('class="pipeline"') : body.index("</main>")]
    assert ">None<" not in pipeline and "None" not in re.sub(r"<[^>]+>", " ", pipeline).split()


def test_pipeline_wraps_instead_of_hiding_columns():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text()
    rule = re.search(r"\.pipeline \{([^}]*)\}", css)
    assert rule is not None
    assert "grid-template-columns: repeat(auto-fit" in rule.group(1)  # columns wrap onto a new row
    assert "flex: 0 0" not in css  # no fixed-width column that pushes Withdrawn off the screen


def test_comparison_stage_filter_is_a_single_dropdown(client, recruiter, position_a, application_a):
    ApplicationFactory(position=position_a, stage=Application.Stage.WITHDRAWN, candidate__name="Wanda Withdrawn")
    client.force_login(recruiter)
    url = reverse("hiring:position_comparison", kwargs={"pk": position_a.pk})
    body = client.get(url).content.decode()
    select = re.search(r'<select name="stage"[^>]*>', body)
    assert select is not None and "multiple" not in select.group(0) and "size=" not in select.group(0)
    assert '<option value="" selected>Any stage</option>' in body
    assert "table-responsive" in body  # a wide comparison scrolls inside its box, never off the page
    rows = client.get(url, {"stage": "withdrawn"}).context["table"].rows
    assert [row.record["candidate"] for row in rows] == ["Wanda Withdrawn"]


def test_interviewer_breadcrumbs_do_not_link_to_position_pages(client, interview_a, interviewer_x, position_a):
    client.force_login(interviewer_x)
    application = interview_a.application
    crumbs = _crumbs(client.get(application.get_absolute_url()).content.decode())
    assert crumbs == [
        ("Home", "/"),
        ("My interviews", reverse("hiring:my_interviews")),
        (position_a.title, None),
        (application.candidate.name, None),
    ]
    for _label, url in crumbs:
        if url:
            assert client.get(url).status_code == 200, url
    assert client.get(reverse("hiring:position_detail", kwargs={"pk": position_a.pk})).status_code == 404
    assert client.get(reverse("hiring:position_list")).status_code == 403


def test_recruiter_breadcrumbs_link_to_positions(client, recruiter, interview_a, position_a):
    client.force_login(recruiter)
    application = interview_a.application
    crumbs = _crumbs(client.get(application.get_absolute_url()).content.decode())
    assert crumbs[1:3] == [
        ("Positions", reverse("hiring:position_list")),
        (position_a.title, position_a.get_absolute_url()),
    ]


def test_lead_of_the_team_gets_the_position_link(client, lead_a, interview_a, position_a):
    client.force_login(lead_a)
    crumbs = _crumbs(client.get(interview_a.application.get_absolute_url()).content.decode())
    assert (position_a.title, position_a.get_absolute_url()) in crumbs
    for _label, url in crumbs:
        if url:
            assert client.get(url).status_code == 200, url


def _linked_crumbs(body: str) -> list[str]:
    trail = re.search(r'<ol class="breadcrumb">(.*?)</ol>', body, re.S)
    return re.findall(r'<a href="([^"]+)">', trail.group(1)) if trail else []


@pytest.mark.parametrize("who", ["interviewer", "interviewer_submitted", "lead", "recruiter", "outsider"])
def test_every_breadcrumb_on_every_hiring_page_opens_for_its_reader(client, who, recruiter, lead_a, interview_a):
    """Walk every hiring route (the read-path test's list, which the URLconf keeps complete) as each reader;
    on each page that opens, every linked breadcrumb must open too (no 403 or 404 behind a crumb)."""
    from tests.factories import UserFactory

    from .factories import submit
    from .test_read_path import ROUTE_OBJECTS

    x, y = interview_a.interviewers.order_by("email")
    submit(interview_a, y, evidence="ok", empathy=4)
    if who == "interviewer_submitted":  # the whole panel is in: the debrief opens for them
        submit(interview_a, x, evidence="fine", empathy=3)
    reader = {
        "interviewer": x,
        "interviewer_submitted": x,
        "lead": lead_a,
        "recruiter": recruiter,
        "outsider": UserFactory(email="olga@example.com"),
    }[who]
    objects = _route_objects(interview_a)
    client.force_login(reader)
    opened, checked = 0, 0
    for name, kind in ROUTE_OBJECTS.items():
        response = client.get(reverse(f"hiring:{name}", kwargs={"pk": objects[kind].pk} if kind else {}))
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        opened += 1
        for url in _linked_crumbs(response.content.decode()):
            checked += 1
            assert client.get(url).status_code == 200, f"{who} on {name}: the breadcrumb {url} does not open"
    assert opened and checked, f"{who} opened {opened} pages with {checked} breadcrumb links"


def _route_objects(interview):
    """The object each kind of hiring route takes, for one interview's application."""
    return {
        "version": interview.application.position.rubric_version,
        "position": interview.application.position,
        "candidate": interview.application.candidate,
        "application": interview.application,
        "interview": interview,
    }


@pytest.mark.parametrize("who", ["recruiter", "interviewer"])
def test_every_hiring_filter_is_a_dropdown_or_a_field(client, who, recruiter, interview_a):
    """No list box anywhere: every filter form on every hiring page a reader opens has single selects only."""
    from .test_read_path import EXPORTS, ROUTE_OBJECTS

    reader = recruiter if who == "recruiter" else interview_a.interviewers.order_by("email").first()
    objects = _route_objects(interview_a)
    client.force_login(reader)
    filter_pages = 0
    for name, kind in ROUTE_OBJECTS.items():
        response = client.get(reverse(f"hiring:{name}", kwargs={"pk": objects[kind].pk} if kind else {}))
        if response.status_code != 200:
            continue
        form = re.search(r'<form method="get"[^>]*aria-label="Filters">(.*?)</form>', response.content.decode(), re.S)
        if form is None:
            assert name not in EXPORTS, f"{name} lists rows without filters"
            continue
        filter_pages += 1
        for select in re.findall(r"<select[^>]*>", form.group(1)):
            assert "multiple" not in select and "size=" not in select, f"{name}: {select} is a list box"
    assert filter_pages >= (7 if who == "recruiter" else 2)
