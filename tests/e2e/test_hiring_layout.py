"""Hiring on a laptop (1366x768) and a tablet (768x1024): every pipeline column visible, the comparison scrolls
inside its box; the scheduling pages (reschedule, cancel, My interviews) pass axe with 0 serious or critical
violations; an interviewer's breadcrumbs lead only to pages they may open.

The org, the position and one application per stage come from factories; every scheduling step is done in
the browser, and the outbox is checked for the updated and the cancelled invitation.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from core.models import Notification
from culture.models import Membership
from hiring.models import Application, Interview
from tests.factories import DepartmentFactory, MembershipFactory, PersonFactory, TeamFactory, UserFactory
from tests.hiring.factories import (
    ApplicationFactory,
    CandidateFactory,
    InterviewFactory,
    PositionFactory,
    RubricVersionFactory,
)
from users.roles import Role

from .conftest import ARTIFACTS, assert_accessible, enrol_totp, log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LAPTOP = {"width": 1366, "height": 768}
TABLET = {"width": 768, "height": 1024}
POSITION = "Care agent"


@pytest.fixture
def pipeline_org():
    """A position with one application in every stage (long names included) and two interviews for Ari."""
    team = TeamFactory(name="Care Lisbon", department=DepartmentFactory(name="Customer Care"))
    recruiter = UserFactory(email="rita@example.com", name="Rita Recruiter", roles=[Role.HR])
    lead = UserFactory(email="lena@example.com", name="Lena Lead", roles=[Role.LEAD])
    MembershipFactory(person=PersonFactory(user=lead, name="Lena Lead"), team=team, role=Membership.Role.LEAD)
    ari = UserFactory(email="ari@example.com", name="Ari Interviewer", roles=[Role.EMPLOYEE])
    position = PositionFactory(
        team=team, title=POSITION, rubric_version=RubricVersionFactory(), hiring_manager=lead, interviewers=[ari]
    )
    today = timezone.localdate()
    applications = {}
    for stage in Application.Stage.values:
        name = f"Maximiliana Wolkenstein-Oberhausen {stage.title()}"
        applications[stage] = ApplicationFactory(
            position=position,
            stage=stage,
            applied_on=today - dt.timedelta(days=20),
            hired_on=today if stage == Application.Stage.HIRED else None,
            candidate=CandidateFactory(name=name),
        )
    now = timezone.now()
    upcoming = InterviewFactory(
        application=applications["interview"],
        title="Panel interview",
        scheduled_at=now + dt.timedelta(days=2),
        interviewers=[ari],
    )
    held = InterviewFactory(
        application=applications["screening"],
        title="Screening call",
        scheduled_at=now - dt.timedelta(hours=3),
        interviewers=[ari],
    )
    return {
        "recruiter": recruiter,
        "recruiter_totp": enrol_totp(recruiter),
        "ari": ari,
        "position": position,
        "upcoming": upcoming,
        "held": held,
    }


def _assert_every_column_visible(page, width: int) -> None:
    """Each stage column lies inside the viewport's width, or its row scrolls horizontally by itself."""
    columns = page.locator(".pipeline-column")
    assert columns.count() == len(Application.Stage.values)
    scrolls = page.locator(".pipeline").evaluate(
        "el => el.scrollWidth > el.clientWidth && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX)"
    )
    for index in range(columns.count()):
        column = columns.nth(index)
        column.scroll_into_view_if_needed()
        assert column.is_visible()
        box = column.bounding_box()
        assert box is not None
        inside = box["x"] >= 0 and box["x"] + box["width"] <= width
        assert inside or scrolls, f"column {index} at x={box['x']}, width {box['width']} leaves a {width} px screen"
    withdrawn = page.get_by_role("heading", name="Withdrawn")
    withdrawn.scroll_into_view_if_needed()
    assert withdrawn.is_visible()


def _assert_every_column_on_the_first_screen(page, viewport: dict[str, int]) -> None:
    """What the screenshot shows: each column's heading and first card inside the unscrolled viewport."""
    assert page.evaluate("[window.scrollX, window.scrollY]") == [0, 0]
    for stage in Application.Stage.values:
        column = page.locator(f'.pipeline-column[aria-labelledby="stage-{stage}"]')
        for part in (column.locator(f"#stage-{stage}"), column.get_by_role("link").first):
            box = part.bounding_box()
            assert box is not None, stage
            assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], f"{stage} is cut at the side"
            assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], f"{stage} is below the fold"


def test_pipeline_and_comparison_fit_a_laptop_and_a_tablet(open_page, pipeline_org):
    page = open_page()
    page.set_viewport_size(LAPTOP)
    log_in(page, pipeline_org["recruiter"].email, totp_secret=pipeline_org["recruiter_totp"])
    page.goto(pipeline_org["position"].get_absolute_url())
    _assert_every_column_visible(page, LAPTOP["width"])
    assert "None" not in page.locator(".pipeline").inner_text().split()
    page.evaluate("window.scrollTo(0, 0)")
    _assert_every_column_on_the_first_screen(page, LAPTOP)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "hiring-pipeline-1366x768.png")  # the first screen, as a reader sees it
    assert_accessible(page)

    page.get_by_role("link", name="Compare candidates").click()
    box = page.locator(".table-responsive").first.bounding_box()
    assert box is not None and box["x"] + box["width"] <= LAPTOP["width"], "the table scrolls inside its box"
    page.get_by_label("Stage").select_option(label="Withdrawn")
    page.get_by_role("button", name="Filter").click()
    assert page.locator("table tbody tr").count() == 1
    assert_accessible(page)
    screenshot(page, "hiring-comparison-1366")

    page.set_viewport_size(TABLET)
    page.goto(pipeline_org["position"].get_absolute_url())
    _assert_every_column_visible(page, TABLET["width"])
    screenshot(page, "hiring-pipeline-tablet")
    assert page.console_errors == []


def test_recruiter_moves_and_cancels_an_interview_and_the_interviewer_sees_what_is_due(open_page, pipeline_org):
    upcoming = pipeline_org["upcoming"]
    recruiter = open_page()
    log_in(recruiter, pipeline_org["recruiter"].email, totp_secret=pipeline_org["recruiter_totp"])
    recruiter.goto(upcoming.get_absolute_url())
    recruiter.get_by_role("link", name="Reschedule").click()
    assert_accessible(recruiter)
    recruiter.get_by_label("New time").fill("")
    recruiter.get_by_role("button", name="Move the interview").click()
    assert recruiter.get_by_text("This field is required.").first.is_visible()
    later = timezone.localtime(upcoming.scheduled_at + dt.timedelta(days=1))
    recruiter.get_by_label("New time").fill(later.strftime("%Y-%m-%dT%H:%M"))
    recruiter.get_by_label("Reason").fill("The room is taken")
    recruiter.get_by_role("button", name="Move the interview").click()
    assert "Interview moved" in recruiter.locator("main").inner_text()
    screenshot(recruiter, "hiring-interview-rescheduled")

    recruiter.get_by_role("link", name="Cancel the interview").click()
    assert "cannot be undone" in recruiter.locator("main").inner_text()
    assert_accessible(recruiter)
    screenshot(recruiter, "hiring-interview-cancel-confirm")
    recruiter.get_by_label("Reason").fill("The candidate withdrew")
    recruiter.get_by_role("button", name="Cancel the interview").click()
    assert "Interview cancelled" in recruiter.locator("main").inner_text()
    assert Interview.objects.get(pk=upcoming.pk).cancelled_at is not None
    sent = Notification.objects.filter(recipient=pipeline_org["ari"]).order_by("pk")
    assert [note.subject.split(":")[0] for note in sent] == ["Moved", "Cancelled"]
    assert "METHOD:CANCEL" in sent.last().attachments[0]["content"]

    ari = open_page()
    log_in(ari, pipeline_org["ari"].email)
    assert "Submit your scorecard for" in ari.locator("main").inner_text()  # the home page's What is due
    ari.get_by_role("navigation", name="Main").get_by_role("link", name="Hiring").click()
    ari.get_by_role("navigation", name="Hiring").get_by_role("link", name="My interviews").click()
    assert_accessible(ari)
    text = ari.locator("main").inner_text()
    assert "Scorecard due" in text and "Cancelled" in text
    screenshot(ari, "hiring-my-interviews")
    ari.get_by_label("Status").select_option(label="Scorecard due")
    ari.get_by_role("button", name="Filter").click()
    assert ari.locator("table tbody tr").count() == 1

    ari.goto(pipeline_org["held"].application.get_absolute_url())
    crumbs = ari.get_by_role("navigation", name="breadcrumb")
    assert crumbs.get_by_role("link").all_inner_texts() == ["Home", "My interviews"]
    assert POSITION in crumbs.inner_text()  # named, not linked: Ari cannot open the position
    assert_accessible(ari)
    assert recruiter.console_errors == [] and ari.console_errors == []
