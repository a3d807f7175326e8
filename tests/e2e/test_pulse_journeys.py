"""The pulse journey (issue 16): an employee opens the personal link from the invitation email, answers the pulse
without signing in, goes on to their home, where the pulse is no longer due. axe finds nothing serious or critical
on any page visited."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from culture.models import PulseAnswer, PulseInvitation, PulseLibraryVersion, PulseQuestion
from culture.pulse.services import install_standard_library, publish_pulse

from .conftest import assert_accessible, log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

LINK = re.compile(r"https?://\S+?(/culture/pulses/answer/\S+/)")


@pytest.fixture
def open_pulse(cco, team_a, lead_a, employee_a):
    """A pulse to team A, open from today for three days: the lead and the employee are invited by email."""
    mail.outbox.clear()
    today = timezone.localdate()
    return publish_pulse(
        actor=cco,
        title="December pulse",
        library_version=install_standard_library(actor=cco),
        teams=[team_a],
        opens_on=today,
        closes_on=today + dt.timedelta(days=3),
    )


def _link_in_mail_to(email: str) -> str:
    sent = [message for message in mail.outbox if message.to == [email]]
    assert len(sent) == 1, f"one invitation for {email}: {[m.to for m in mail.outbox]}"
    assert "December pulse" in sent[0].subject
    found = LINK.search(sent[0].body)
    assert found, sent[0].body
    return found.group(1)


def test_employee_answers_the_pulse_from_the_email_link_and_lands_on_their_home(page, open_pulse, employee_a):
    link = _link_in_mail_to(employee_a.email)

    page.goto(link)  # not signed in: the signed token is the key
    assert page.get_by_role("heading", level=1).inner_text() == "December pulse"
    assert_accessible(page)
    screenshot(page, "pulse-answer-form")
    questions = list(open_pulse.library_version.questions.all())
    for question in questions:
        score = 9 if question.kind == PulseQuestion.Kind.ENPS else 4
        page.check(f"input[name='q{question.pk}'][value='{score}']")
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_url(f"**{link}")
    assert "Thank you: your answers are stored without your name." in page.inner_text("main")
    assert_accessible(page)

    page.get_by_role("link", name="Go to your home page").click()
    page.wait_for_url("**/accounts/login/**")
    page.fill("input[name=login]", employee_a.email)
    page.fill("input[name=password]", "pw-for-tests-1")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: url.rstrip("/").count("/") == 2)  # the site root: the home
    assert page.locator("[data-due-kind='culture.pulse']").count() == 0
    assert "Nothing is waiting for you." in page.inner_text("main")
    assert_accessible(page)
    screenshot(page, "pulse-answered-home")

    # Answered once, anonymously: four answers with no person, the invitation marked, the link now closed.
    assert PulseAnswer.objects.filter(pulse=open_pulse).count() == len(questions) == 4
    assert PulseInvitation.objects.get(pulse=open_pulse, person__user=employee_a).has_answered
    page.goto(link)
    assert "You have answered this pulse." in page.inner_text("main")


def test_a_signed_in_employee_answers_from_the_home_and_returns_to_it(page, open_pulse, lead_a):
    log_in(page, lead_a.email)
    due = page.locator("[data-due-kind='culture.pulse'] a")
    assert due.inner_text() == "Answer the pulse: December pulse"
    assert_accessible(page)
    due.click()
    page.wait_for_url("**/culture/pulses/answer/**")
    for question in open_pulse.library_version.questions.all():
        page.check(f"input[name='q{question.pk}'][value='3']")
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_url(lambda url: url.rstrip("/").count("/") == 2)
    assert "Thank you: your answers are stored without your name." in page.inner_text("main")
    assert page.locator("[data-due-kind='culture.pulse']").count() == 0
    assert_accessible(page)


def test_cco_edits_the_question_library_into_a_new_published_version(page, cco):
    v1 = install_standard_library(actor=cco)
    log_in(page, cco.email)
    page.goto("/culture/pulses/")
    page.get_by_role("link", name="Question library").click()
    page.wait_for_url("**/culture/pulses/library/")
    assert_accessible(page)
    page.get_by_role("link", name=str(v1.number), exact=True).click()
    page.wait_for_url(f"**{v1.get_absolute_url()}")
    assert_accessible(page)
    page.get_by_role("button", name="Copy into a new draft").click()
    page.wait_for_url("**/culture/pulses/library/*/edit/")
    assert_accessible(page)
    first = page.locator("[data-question-form='1']")
    first.get_by_label("Text").fill("I see how my work changes our customers' day.")
    page.locator("[data-question-form='3']").get_by_label("Retire").check()
    screenshot(page, "pulse-library-editor")
    page.get_by_role("button", name="Save questions").click()
    page.wait_for_url("**/culture/pulses/library/*/")
    assert "changes our customers' day" in page.inner_text("main")
    page.get_by_role("button", name="Publish this version").click()
    assert page.locator("[data-library-status]").get_attribute("data-library-status") == "published"
    assert_accessible(page)
    draft = PulseLibraryVersion.objects.get(number=2)
    assert list(draft.questions.values_list("key", flat=True)) == ["enps", "impact", "autonomy"]
