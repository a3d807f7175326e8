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
