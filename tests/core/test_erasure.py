"""Erasure by pseudonym (core.erasure): the pure helpers, the service's rules, the command and the admin action.

The walk over every domain URL after an erasure is tests/access/test_erasure_walk.py.
"""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from core.erasure import (
    ErasureError,
    erase_person,
    pseudonym_email,
    pseudonym_name,
    pseudonym_token,
    registered,
    scrub_json,
    scrub_text,
)
from core.models import AuditEntry, Notification
from culture.models import Kpi, Person, Review, ReviewAction
from incentives.calculations import retention_end
from reports.models import GeneratedReport
from reports.services import request_key
from tests.factories import PersonFactory, TeamFactory, UserFactory
from tests.hiring.factories import CandidateFactory, InterviewFactory
from tests.incentives.factories import PeriodFactory
from users.models import ApiToken
from users.tokens import issue

# --- pure helpers ---------------------------------------------------------------------------------------


def test_pseudonym_is_stable_per_key_and_differs_between_keys():
    assert pseudonym_token("user:7", "secret") == pseudonym_token("user:7", "secret")
    assert pseudonym_token("user:7", "secret") != pseudonym_token("user:8", "secret")
    assert re.fullmatch(r"[0-9a-f]{10}", pseudonym_token("user:7", "secret"))
    assert pseudonym_name("7f3a9c01bd") == "Erased person 7f3a9c01bd"
    assert pseudonym_email("7f3a9c01bd") == "erased-7f3a9c01bd@erased.invalid"


def test_scrub_replaces_whole_words_in_any_case_longest_first():
    text = "Anna Berg wrote to anna.berg@example.com; ANNA BERG agreed. Annabel stays."
    scrubbed = scrub_text(text, ["Anna Berg", "anna.berg@example.com", "Anna"], "X")
    assert scrubbed == "X wrote to X; X agreed. Annabel stays."


def test_scrub_leaves_text_without_secrets_and_empty_secrets_alone():
    assert scrub_text("Nothing here", ["Anna"], "X") == "Nothing here"
    assert scrub_text("Anna", ["", "  "], "X") == "Anna"


def test_scrub_json_reaches_nested_strings_and_keys():
    value = {"by Anna": ["Anna said", 3, {"to": "anna@x.se"}], "n": None}
    assert scrub_json(value, ["Anna", "anna@x.se"], "X") == {"by X": ["X said", 3, {"to": "X"}], "n": None}


@given(
    text=st.text(alphabet="ab .@", max_size=40),
    secret=st.text(alphabet="ab", min_size=1, max_size=4),
)
def test_no_whole_word_occurrence_survives_a_scrub(text, secret):
    scrubbed = scrub_text(text, [secret], "Z")
    assert not re.search(rf"(?<!\w){re.escape(secret)}(?!\w)", scrubbed, re.IGNORECASE)


def test_paid_runs_are_kept_until_the_end_of_the_seventh_year_after_payment():
    assert retention_end(dt.date(2026, 1, 31)) == dt.date(2033, 12, 31)
    assert retention_end(dt.date(2026, 12, 31)) == dt.date(2033, 12, 31)


def test_every_app_holding_personal_data_registers_hooks():
    assert {"users", "culture", "incentives", "hiring"} <= set(registered())


# --- the service ----------------------------------------------------------------------------------------


@pytest.fixture
def admin(db, mfa_off):
    return UserFactory(email="adam@example.com", name="Adam Admin", is_staff=True, is_superuser=True)


@pytest.fixture
def anna(db):
    user = UserFactory(email="anna@example.com", name="Anna Berg")
    EmailAddress.objects.create(user=user, email="anna.private@example.org", verified=True, primary=False)
    person = PersonFactory(user=user, name="Anna Berg", email="anna.berg@hr.example.com", employee_number="E-77")
    return user, person


@pytest.mark.django_db
def test_needs_a_reason_an_actor_and_somebody_to_erase(admin, anna):
    with pytest.raises(ErasureError):
        erase_person(email="anna@example.com", actor=admin, reason="  ")
    with pytest.raises(ErasureError):
        erase_person(email="anna@example.com", actor=None, reason="Request 1")
    with pytest.raises(ErasureError):
        erase_person(email="nobody@example.com", actor=admin, reason="Request 1")
    with pytest.raises(ErasureError):
        erase_person(email="adam@example.com", actor=admin, reason="Request 1")
    assert not AuditEntry.objects.filter(action="person.erase").exists()


@pytest.mark.django_db
def test_erases_login_employee_record_addresses_tokens_and_admin_log(admin, anna):
    user, person = anna
    token, _key = issue(user, name="laptop")
    LogEntry.objects.log_action(
        user_id=admin.pk,
        content_type_id=ContentType.objects.get_for_model(person).pk,
        object_id=person.pk,
        object_repr="Anna Berg",
        action_flag=CHANGE,
        change_message="Renamed Anna Berg",
    )
    erasure = erase_person(email="anna.private@example.org", actor=admin, reason="Request 1")
    user.refresh_from_db()
    person.refresh_from_db()
    assert (user.name, user.email, user.is_active) == (erasure.pseudonym, erasure.pseudonym_email, False)
    assert (person.name, person.email, person.is_active) == (erasure.pseudonym, erasure.pseudonym_email, False)
    assert person.employee_number == "E-77"  # HR's own id, not a name: the people sync still matches on it
    assert not EmailAddress.objects.filter(user=user).exists()
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    log = LogEntry.objects.get()
    assert (log.object_repr, log.change_message) == (erasure.pseudonym, f"Renamed {erasure.pseudonym}")
    assert erasure.pseudonym == pseudonym_name(pseudonym_token(f"user:{user.pk}", settings.SECRET_KEY))


@pytest.mark.django_db
def test_erasing_twice_keeps_the_same_pseudonym_and_changes_nothing_more(admin, anna):
    user, _person = anna
    first = erase_person(email="anna@example.com", actor=admin, reason="Request 1")
    second = erase_person(email=first.pseudonym_email, actor=admin, reason="Request 1, again")
    assert second.pseudonym == first.pseudonym
    user.refresh_from_db()
    assert user.email == first.pseudonym_email
    assert AuditEntry.objects.filter(action="person.erase").count() == 2


@pytest.mark.django_db
def test_an_employee_record_without_a_login_is_erased_too(admin):
    person = PersonFactory(name="Nils Nolog", email="nils@example.com")
    erasure = erase_person(email="nils@example.com", actor=admin, reason="Request 2")
    person.refresh_from_db()
    assert person.name == erasure.pseudonym
    entry = AuditEntry.objects.get(action="person.erase")
    assert (entry.object_type, entry.object_id) == ("culture.person", str(person.pk))
    assert entry.after["people"] == [person.pk] and entry.after["users"] == []


@pytest.mark.django_db
def test_the_person_as_a_candidate_is_anonymised_by_hirings_own_rules(admin, anna):
    candidate = CandidateFactory(name="Anna Berg", email="anna@example.com", notes="Strong")
    erase_person(email="anna@example.com", actor=admin, reason="Request 3")
    candidate.refresh_from_db()
    assert candidate.is_anonymised and candidate.email == "" and "Anna" not in candidate.name


@pytest.mark.django_db
def test_an_erased_interviewers_drafts_go_and_drafts_about_them_are_scrubbed(admin, anna):
    from hiring.models import ScorecardDraft

    user, _person = anna
    colleague = UserFactory(email="carl@example.com", name="Carl Ek")
    interview = InterviewFactory(interviewers=[user, colleague])
    ScorecardDraft.objects.create(interview=interview, interviewer=user, summary="My own notes")
    other = ScorecardDraft.objects.create(
        interview=interview,
        interviewer=colleague,
        summary="Anna Berg asked the best question",
        entries={"1": {"rating": 4, "evidence": "Agreed with anna@example.com"}},
    )
    erasure = erase_person(email="anna@example.com", actor=admin, reason="Request 4")
    assert not ScorecardDraft.objects.filter(interviewer=user).exists()
    other.refresh_from_db()
    assert other.summary == f"{erasure.pseudonym} asked the best question"
    assert other.entries == {"1": {"rating": 4, "evidence": f"Agreed with {erasure.pseudonym}"}}
    assert erasure.changed["hiring.scorecarddraft"] == 2  # one deleted, one scrubbed


# --- the command ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_command_asks_for_the_address_again_and_stops_when_it_differs(admin, anna, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "someone@else.example")
    with pytest.raises(CommandError, match="Not confirmed"):
        call_command("erase_person", "anna@example.com", reason="Request 4", actor="adam@example.com")
    assert Person.objects.get(pk=anna[1].pk).name == "Anna Berg"


@pytest.mark.django_db
def test_command_erases_after_confirmation_and_reports_what_changed(admin, anna, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "anna@example.com")
    out = StringIO()
    call_command("erase_person", "anna@example.com", reason="Request 5", actor="adam@example.com", stdout=out)
    assert "1 login(s) and 1 employee record(s)" in out.getvalue()
    assert "Erased as Erased person" in out.getvalue() and "users.user 1" in out.getvalue()
    assert AuditEntry.objects.get(action="person.erase").actor == admin


@pytest.mark.django_db
def test_command_refuses_an_actor_who_is_not_an_administrator(anna):
    UserFactory(email="plain@example.com")
    with pytest.raises(CommandError, match="not an active administrator"):
        call_command("erase_person", "anna@example.com", reason="R", actor="plain@example.com", no_input=True)


# --- the admin action -----------------------------------------------------------------------------------


def _action(client, url_name: str, pk: int, **extra):
    data = {"action": "erase_personal_data", "_selected_action": [pk], **extra}
    return client.post(reverse(url_name), data)


@pytest.mark.django_db
def test_admin_action_asks_first_then_needs_a_reason_then_erases(client, admin, anna):
    user, person = anna
    client.force_login(admin)
    page = _action(client, "admin:users_user_changelist", user.pk)
    assert page.status_code == 200 and b"This cannot be undone" in page.content and b"Anna Berg" in page.content
    missing = _action(client, "admin:users_user_changelist", user.pk, confirm="yes", reason=" ")
    assert missing.status_code == 200 and b"Say why this person is erased." in missing.content
    user.refresh_from_db()
    assert user.name == "Anna Berg"
    done = _action(client, "admin:culture_person_changelist", person.pk, confirm="yes", reason="Request 6")
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.name.startswith("Erased person ") and not user.is_active
    entry = AuditEntry.objects.get(action="person.erase")
    assert (entry.actor, entry.reason) == (admin, "Request 6")


# --- the report archive ---------------------------------------------------------------------------------


def _report(kind: str, parameters: dict) -> GeneratedReport:
    report = GeneratedReport(
        kind=kind,
        parameters=parameters,
        request_key=request_key(kind, parameters),
        status=GeneratedReport.Status.DONE,
        progress=100,
    )
    report.file.save(f"{kind}.pdf", ContentFile(b"%PDF-1.7 Anna Berg"))
    return report


@pytest.mark.django_db
def test_archived_documents_that_print_an_action_owner_are_removed_for_overlapping_periods(
    admin, anna, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = str(tmp_path)
    _user, person = anna
    month = PeriodFactory(code="2026-09", kind="month", start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 30))
    PeriodFactory(code="2026-Q3", kind="quarter", start=dt.date(2026, 7, 1), end=dt.date(2026, 9, 30))
    PeriodFactory(code="2026-10", kind="month", start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31))
    team = TeamFactory()
    review = Review.objects.create(team=team, period=month, comment="Red FCR")
    ReviewAction.objects.create(
        review=review,
        kpi=Kpi.objects.get(code="fcr"),
        comment="Backlog",
        action="Triage",
        owner=person,
        due_date=dt.date(2026, 10, 15),
    )
    gone = [
        _report("team_scorecard", {"team": team.slug, "period": "2026-09"}),
        _report("board_report", {"period": "2026-Q3"}),
        _report("team_scorecards_batch", {"period": "2026-09"}),
    ]
    kept = _report("board_report", {"period": "2026-10"})
    stored = [report.file.name for report in gone]
    with django_capture_on_commit_callbacks(execute=True):
        erasure = erase_person(email="anna@example.com", actor=admin, reason="Request 7")
    assert list(GeneratedReport.objects.values_list("pk", flat=True)) == [kept.pk]
    assert erasure.changed["reports.generatedreport"] == 3
    assert not any(default_storage.exists(name) for name in stored)


@pytest.mark.django_db
def test_mail_to_the_person_is_blanked_and_never_sent_and_mail_about_them_is_scrubbed(admin, anna):
    user, _person = anna
    to_anna = Notification.objects.create(
        key="t.1", recipient=user, email="anna@example.com", language="en", subject="Hi Anna Berg", body="Dear Anna"
    )
    about = Notification.objects.create(
        key="t.2", recipient=admin, email="adam@example.com", language="en", subject="Anna Berg left", body="x"
    )
    erasure = erase_person(email="anna@example.com", actor=admin, reason="Request 8")
    to_anna.refresh_from_db()
    about.refresh_from_db()
    assert (to_anna.email, to_anna.subject, to_anna.body) == (erasure.pseudonym_email, erasure.pseudonym, "")
    assert to_anna.status == Notification.Status.FAILED
    assert (about.subject, about.status) == (f"{erasure.pseudonym} left", Notification.Status.PENDING)
