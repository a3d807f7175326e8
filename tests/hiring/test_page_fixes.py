"""Defects the browser journeys found in the hiring pages, pinned down without a browser."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from hiring.models import Decision

from .factories import CandidateFactory

pytestmark = pytest.mark.django_db


def _input_value(body: str, name: str) -> str | None:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', body)
    assert tag is not None, name
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else None


def test_date_fields_carry_iso_values_the_browser_date_picker_can_show(client, recruiter, position_a):
    candidate = CandidateFactory(retain_until=timezone.localdate().replace(year=2030, month=7, day=9))
    client.force_login(recruiter)
    today = timezone.localdate().isoformat()

    def body(url_name, **kwargs):
        return client.get(reverse(url_name, kwargs=kwargs or None)).content.decode()

    assert _input_value(body("hiring:position_create"), "opened_on") == today
    assert _input_value(body("hiring:position_update", pk=position_a.pk), "opened_on") == "2026-01-05"
    assert _input_value(body("hiring:application_create"), "applied_on") == today
    assert _input_value(body("hiring:candidate_update", pk=candidate.pk), "retain_until") == "2030-07-09"


def test_decision_form_preselects_no_stage_and_explains_a_missing_one(client, recruiter, application_a):
    client.force_login(recruiter)
    detail = client.get(reverse("hiring:application_detail", kwargs={"pk": application_a.pk})).content.decode()
    select = re.search(r'<select name="to_stage"[^>]*>\s*<option([^>]*)>([^<]*)</option>', detail)
    assert select is not None
    assert select.groups() == (' value="" selected', "Choose a stage…")

    url = reverse("hiring:application_decide", kwargs={"pk": application_a.pk})
    response = client.post(url, {"to_stage": "", "reason": "Panel was convinced"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Choose the stage to move to." in body
    assert "Panel was convinced" in body
    assert not Decision.objects.exists()


def test_pipeline_board_can_be_scrolled_from_the_keyboard(client, recruiter, position_a):
    client.force_login(recruiter)
    body = client.get(reverse("hiring:position_detail", kwargs={"pk": position_a.pk})).content.decode()
    assert '<div class="pipeline" role="region" aria-label="Pipeline by stage" tabindex="0">' in body


def test_blind_interviewers_scorecard_link_uses_the_alerts_readable_link_colour(
    client, interviewer_x, interview_a, application_a
):
    client.force_login(interviewer_x)
    body = client.get(reverse("hiring:application_detail", kwargs={"pk": application_a.pk})).content.decode()
    link = reverse("hiring:scorecard_create", kwargs={"pk": interview_a.pk})
    assert f'<a class="alert-link" href="{link}">' in body


APPLICATION_PAGES = ["hiring:application_detail", "hiring:application_decide", "hiring:interview_create"]


@pytest.mark.parametrize("url_name", APPLICATION_PAGES)
def test_pages_of_an_application_share_one_breadcrumb_trail(client, recruiter, application_a, url_name):
    client.force_login(recruiter)
    response = client.get(reverse(url_name, kwargs={"pk": application_a.pk}))
    position = application_a.position
    assert response.context["breadcrumbs"][:3] == [
        ("Positions", reverse("hiring:position_list")),
        (position.title, position.get_absolute_url()),
        (
            application_a.candidate.name,
            None if url_name == "hiring:application_detail" else application_a.get_absolute_url(),
        ),
    ]


def test_forbidden_scorecard_form_gives_its_reason(client, lead_a, interview_a):
    client.force_login(lead_a)
    response = client.get(reverse("hiring:scorecard_create", kwargs={"pk": interview_a.pk}))
    assert response.status_code == 403
    assert "Only the assigned interviewers fill in this scorecard." in response.content.decode()
