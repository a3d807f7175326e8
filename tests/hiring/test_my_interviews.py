"""My interviews (every interviewer's own list with what is due) and hiring's items on the home page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.due import due_for
from hiring.due import due_for as hiring_due_for
from hiring.models import Application, HireReview
from tests.factories import UserFactory

from .factories import ApplicationFactory, CandidateFactory, InterviewFactory, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def agenda(position_a, interviewer_x, interviewer_y):
    """Xena's interviews: one tomorrow, one an hour and a half ago (due), one four days ago (overdue), one
    she submitted, one cancelled; and one of Yuri's alone she must not see."""
    now = timezone.now()

    def interview(name, when, people, **extra):
        application = ApplicationFactory(position=position_a, candidate=CandidateFactory(name=name))
        return InterviewFactory(application=application, scheduled_at=when, interviewers=people, **extra)

    both = [interviewer_x, interviewer_y]
    items = {
        "upcoming": interview("Una Upcoming", now + dt.timedelta(days=1), both),
        "due": interview("Dora Due", now - dt.timedelta(minutes=90), both),
        "overdue": interview("Otto Overdue", now - dt.timedelta(days=4), both),
        "submitted": interview("Sam Submitted", now - dt.timedelta(days=2), both),
        "cancelled": interview("Cleo Cancelled", now + dt.timedelta(days=3), both, cancelled_at=now),
        "others": interview("Yvonne Yuris", now + dt.timedelta(days=1), [interviewer_y]),
    }
    submit(items["submitted"], interviewer_x, evidence="Good example", empathy=4)
    return items


def test_my_interviews_lists_only_mine_with_where_each_stands(client, agenda, interviewer_x):
    client.force_login(interviewer_x)
    response = client.get(reverse("hiring:my_interviews"))
    assert response.status_code == 200
    body = response.content.decode()
    for name in ("Una Upcoming", "Dora Due", "Otto Overdue", "Sam Submitted", "Cleo Cancelled"):
        assert name in body
    assert "Yvonne Yuris" not in body
    statuses = {
        row.record.application.candidate.name: row.get_cell_value("status") for row in response.context["table"].rows
    }
    assert statuses == {
        "Una Upcoming": "upcoming",
        "Dora Due": "due",
        "Otto Overdue": "overdue",
        "Sam Submitted": "submitted",
        "Cleo Cancelled": "cancelled",
    }
    counts = {status.value: count for status, _label, count in response.context["counts"]}
    assert counts == {"upcoming": 1, "due": 1, "overdue": 1}


@pytest.mark.parametrize(
    ("status", "names"),
    [
        ("upcoming", {"Una Upcoming"}),
        ("due", {"Dora Due"}),
        ("overdue", {"Otto Overdue"}),
        ("submitted", {"Sam Submitted"}),
        ("cancelled", {"Cleo Cancelled"}),
    ],
)
def test_status_filter_is_a_dropdown_that_narrows_the_list(client, agenda, interviewer_x, status, names):
    client.force_login(interviewer_x)
    response = client.get(reverse("hiring:my_interviews"), {"status": status})
    assert {row.record.application.candidate.name for row in response.context["table"].rows} == names
    assert '<select name="status"' in response.content.decode()


def test_an_unknown_status_is_explained_not_a_crash(client, agenda, interviewer_x):
    client.force_login(interviewer_x)
    response = client.get(reverse("hiring:my_interviews"), {"status": "someday"})
    assert response.status_code == 200
    assert response.context["filter"].errors["status"]


def test_my_interviews_is_in_every_users_navigation_and_needs_a_login(client, interviewer_x):
    url = reverse("hiring:my_interviews")
    assert client.get(url).status_code == 302
    client.force_login(interviewer_x)
    assert f'href="{url}"' in client.get(reverse("home")).content.decode()


def test_home_lists_interviews_and_scorecards_due_for_the_interviewer(client, agenda, interviewer_x):
    items = {item.title: item for item in hiring_due_for(interviewer_x)}
    kinds = sorted(item.kind for item in items.values())
    assert kinds == ["hiring.interview", "hiring.scorecard", "hiring.scorecard"]
    due = next(i for i in items.values() if "Dora Due" in i.title)
    assert due.url == reverse("hiring:scorecard_create", kwargs={"pk": agenda["due"].pk})
    assert due.due_on == timezone.localdate(agenda["due"].scheduled_at) + dt.timedelta(days=1)
    overdue = next(i for i in items.values() if "Otto Overdue" in i.title)
    assert overdue.is_overdue(timezone.localdate())
    upcoming = next(i for i in items.values() if "Una Upcoming" in i.title)
    assert upcoming.url == agenda["upcoming"].get_absolute_url()
    client.force_login(interviewer_x)
    body = client.get(reverse("home")).content.decode()
    assert "Submit your scorecard for Otto Overdue" in body
    assert 'data-due-kind="hiring.interview"' in body


def test_ninety_day_reviews_are_due_for_the_lead_from_the_day_they_open(lead_a, position_a, recruiter):
    today = timezone.localdate()
    due = ApplicationFactory(
        position=position_a, stage=Application.Stage.HIRED, hired_on=today - dt.timedelta(days=90), applied_on=today
    )
    HireReview.objects.create(application=due, due_on=today)
    later = ApplicationFactory(  # opens in 10 days: not yet on the list (the form opens on its due day)
        position=position_a, stage=Application.Stage.HIRED, hired_on=today - dt.timedelta(days=80), applied_on=today
    )
    HireReview.objects.create(application=later, due_on=today + dt.timedelta(days=10))
    [item] = hiring_due_for(lead_a)
    assert item.kind == "hiring.hire_review"
    assert item.due_on == today
    assert item.url == reverse("hiring:hirereview_create", kwargs={"pk": due.pk})
    assert hiring_due_for(recruiter) == []  # HR schedules; the lead or hiring manager rates


def test_due_items_take_a_fixed_number_of_queries(agenda, interviewer_x, position_a):
    with CaptureQueriesContext(connection) as few:
        hiring_due_for(interviewer_x)
    for n in range(5):
        application = ApplicationFactory(position=position_a, candidate=CandidateFactory(name=f"More {n}"))
        InterviewFactory(
            application=application, scheduled_at=timezone.now() - dt.timedelta(days=1), interviewers=[interviewer_x]
        )
    with CaptureQueriesContext(connection) as many:
        items = hiring_due_for(interviewer_x)
    assert len(items) == 8
    assert len(many) == len(few)


def test_hiring_is_registered_with_core_due(agenda, interviewer_x):
    assert any(item.kind == "hiring.scorecard" for item in due_for(interviewer_x))
    assert due_for(UserFactory()) == []


@pytest.mark.parametrize("export_format", ["xlsx", "csv"])
def test_a_formula_hidden_behind_a_control_character_in_a_candidates_name_stays_text_in_the_interviewers_export(
    client, interviewer_x, reauthenticate, export_format
):
    """The security review's bypass: "\\x01=HYPERLINK(...)" as a candidate's name was a live formula in the
    interviewer's export (control characters were stripped after the formula check)."""
    import csv
    import io

    from openpyxl import load_workbook

    InterviewFactory(
        application=ApplicationFactory(candidate=CandidateFactory(name='\x01=HYPERLINK("http://x","open")')),
        interviewers=[interviewer_x],
    )
    reauthenticate(client, interviewer_x)

    response = client.get(reverse("hiring:my_interviews"), {"_export": export_format})

    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    if export_format == "xlsx":
        cells = [cell for row in load_workbook(io.BytesIO(body)).active.iter_rows(min_row=2) for cell in row]
    else:
        cells = [value for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for value in row]
    values = [getattr(cell, "value", cell) for cell in cells]
    assert '\'=HYPERLINK("http://x","open")' in values
    assert not any(str(value).startswith(("=", "\x01")) for value in values)
    if export_format == "xlsx":
        assert all(cell.data_type != "f" for cell in cells)  # no cell is a formula
