"""Issue 15's candidate-record pages in the browser, each checked with axe (0 serious or critical): the
duplicate warning on create, the audited merge, a fake CV refused, erase behind a password prompt, and the
90-day review form once it is due.

Fixtures create the org, a published rubric, one existing candidate and one hire whose review is due; every
step under test is done through the pages.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from core.models import AuditEntry
from culture.models import Membership
from hiring.candidates.services import hire
from hiring.models import Application, Candidate, HireReview
from tests.factories import DepartmentFactory, MembershipFactory, PersonFactory, TeamFactory, UserFactory
from tests.hiring.factories import ApplicationFactory, CandidateFactory, PositionFactory, RubricVersionFactory
from users.roles import Role

from .conftest import assert_accessible, enrol_totp, log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EXISTING = "Carla Candidate"
EXISTING_EMAIL = "carla@example.org"


@pytest.fixture
def records_org():
    team = TeamFactory(name="Care Lisbon", department=DepartmentFactory(name="Customer Care"))
    recruiter = UserFactory(email="rita@example.com", name="Rita Recruiter", roles=[Role.HR])
    lead = UserFactory(email="lena@example.com", name="Lena Lead", roles=[Role.LEAD])
    MembershipFactory(person=PersonFactory(user=lead, name="Lena Lead"), team=team, role=Membership.Role.LEAD)
    position = PositionFactory(
        team=team, title="Care agent", rubric_version=RubricVersionFactory(), hiring_manager=lead
    )
    existing = CandidateFactory(name=EXISTING, email=EXISTING_EMAIL, phone="+351 912 345 678")
    ApplicationFactory(position=position, candidate=existing, applied_on=timezone.localdate() - dt.timedelta(days=3))
    # A hire who started 91 days ago (the review opened yesterday), hired through the Hire action's service.
    start = timezone.localdate() - dt.timedelta(days=91)
    hired = ApplicationFactory(
        position=position, stage=Application.Stage.OFFER, candidate__name="Hugo Hired", applied_on=start
    )
    hire(
        actor=recruiter,
        application=hired,
        reason="Offer accepted",
        starts_on=start,
        email="hugo@centric.example",
        employee_number="E-91",
        exception_reason="Trial shift went well",
        today=start,
    )
    return {"recruiter": recruiter, "totp": enrol_totp(recruiter), "lead": lead, "hired": hired}


def test_recruiter_meets_a_duplicate_merges_it_refuses_a_fake_cv_and_erases(open_page, records_org, tmp_path):
    page = open_page()
    log_in(page, records_org["recruiter"].email, totp_secret=records_org["totp"])
    page.goto("/hiring/candidates/new/")
    page.get_by_label("Name").fill("Carla C.")
    page.get_by_label("Email").fill(EXISTING_EMAIL.upper())
    page.get_by_label("Consent to keep data").check()
    page.get_by_role("button", name="Save candidate").click()
    assert f"Possible duplicate of {EXISTING}" in page.locator("main").inner_text()
    assert Candidate.objects.count() == 2  # the existing one and the hire: nothing created yet
    assert_accessible(page)
    screenshot(page, "hiring-candidate-duplicate-warning")
    page.get_by_label("I checked the possible duplicates: create a new candidate anyway").check()
    page.get_by_role("button", name="Save candidate").click()
    assert page.get_by_role("heading", name="Carla C.").is_visible()

    # The new record names its twin and offers the merge.
    page.get_by_role("link", name="Merge a duplicate into this record").click()
    assert_accessible(page)
    screenshot(page, "hiring-candidate-merge")
    page.get_by_label("Duplicate record to fold into this one").select_option(label=EXISTING)
    page.get_by_role("button", name="Merge").click()
    assert "Move its applications here" in page.locator("main").inner_text()  # the box was not ticked
    page.get_by_label("Duplicate record to fold into this one").select_option(label=EXISTING)
    page.get_by_label("Move its applications here and anonymise the duplicate record.").check()
    page.get_by_role("button", name="Merge").click()
    kept = Candidate.objects.get(name="Carla C.")
    assert kept.applications.count() == 1
    assert Candidate.objects.filter(name=EXISTING).count() == 0
    assert AuditEntry.objects.filter(action__startswith="hiring.candidate.merge").exists()
    assert_accessible(page)

    # A program named like a PDF is refused by its content.
    page.get_by_role("link", name="Edit").click()
    fake = tmp_path / "cv.pdf"
    fake.write_bytes(b"MZ\x90\x00 an executable named .pdf")
    page.get_by_label("CV").set_input_files(str(fake))
    page.get_by_role("button", name="Save candidate").click()
    assert "this file's content is not one of them" in page.locator("main").inner_text()
    assert not Candidate.objects.get(pk=kept.pk).cv
    assert_accessible(page)
    screenshot(page, "hiring-candidate-fake-cv")

    # Erasing asks for the password first, like the export.
    page.goto(kept.get_absolute_url())
    page.get_by_role("link", name="Erase now…").click()
    page.wait_for_url("**/accounts/reauthenticate/**")
    assert_accessible(page)
    page.get_by_label("Password").fill("pw-for-tests-1")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"**/hiring/candidates/{kept.pk}/erase/")
    assert_accessible(page)
    screenshot(page, "hiring-candidate-erase")
    page.get_by_label("I understand this removes the candidate's personal data for good.").check()
    page.get_by_role("button", name="Erase personal data").click()
    assert "personal data was erased" in page.locator("main").inner_text()
    assert Candidate.objects.get(pk=kept.pk).anonymised_at is not None
    assert page.console_errors == []


def test_the_lead_rates_a_hire_once_the_90_day_review_is_due(open_page, records_org):
    page = open_page()
    log_in(page, records_org["lead"].email)
    hired = records_org["hired"]
    page.goto(hired.get_absolute_url())
    page.get_by_role("link", name="Rate this hire").click()
    assert_accessible(page)
    screenshot(page, "hiring-hire-review-form")
    page.get_by_role("button", name="Record review").click()
    assert page.get_by_text("This field is required.").first.is_visible()
    assert_accessible(page)
    competencies = list(hired.position.rubric_version.competencies.all())
    for competency in competencies:
        page.get_by_role("group", name=competency.name).get_by_label("4", exact=True).check()
    page.get_by_label("Comment").fill("Settled in well")
    page.get_by_role("button", name="Record review").click()
    review = HireReview.objects.get(application=hired)
    assert review.is_recorded and review.reviewed_by == records_org["lead"]
    assert sorted(review.ratings.values_list("rating", flat=True)) == [4] * len(competencies)
    assert_accessible(page)
    assert page.console_errors == []
