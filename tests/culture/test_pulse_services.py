"""Pulse services and pages: the library, publishing (invitations, emails, due items), answering once and
anonymously through the personal link, and the answer table's schema."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from core.due import due_for
from core.models import Notification
from culture.models import Membership, PulseAnswer, PulseInvitation, PulseLibraryVersion
from culture.pulse.services import (
    answer_url,
    install_standard_library,
    invitation_for_link,
    new_library_version,
    publish_library_version,
    publish_pulse,
    save_questions,
    submit_answers,
)
from tests.factories import MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 7)


def test_the_answer_table_links_to_no_person_and_holds_no_time():
    links = {
        field.name: field.related_model._meta.label
        for field in PulseAnswer._meta.get_fields()
        if field.is_relation and field.related_model is not None
    }
    assert links == {"pulse": "culture.Pulse", "team": "culture.Team", "question": "culture.PulseQuestion"}
    timed = [f.name for f in PulseAnswer._meta.get_fields() if isinstance(f, models.DateField | models.TimeField)]
    assert timed == []
    assert isinstance(PulseAnswer._meta.pk, models.UUIDField)  # no sequential id to order answers by


def test_the_standard_library_holds_enps_and_the_three_statements(cco):
    version = install_standard_library(actor=cco)

    assert version.is_published and install_standard_library(actor=cco) == version
    assert list(version.questions.values_list("key", "kind")) == [
        ("enps", "enps"),
        ("impact", "agreement"),
        ("autonomy", "agreement"),
        ("feedback", "agreement"),
    ]


def test_a_published_library_is_frozen_and_changes_through_a_new_version(cco):
    v1 = install_standard_library(actor=cco)
    with pytest.raises(ValidationError):
        save_questions(actor=cco, version=v1, rows=[{"key": "x", "kind": "agreement", "text": "X"}])

    v2 = new_library_version(actor=cco, version=v1)
    save_questions(actor=cco, version=v2, rows=[{"key": "speed", "kind": "agreement", "text": "We act fast."}])
    publish_library_version(actor=cco, version=v2)

    assert v2.number == 2 and v1.questions.count() == 4
    assert PulseLibraryVersion.objects.get(pk=v2.pk).questions.count() == 5


def test_publishing_refuses_a_second_enps_question(cco):
    v2 = new_library_version(actor=cco, version=install_standard_library(actor=cco))
    save_questions(actor=cco, version=v2, rows=[{"key": "enps2", "kind": "enps", "text": "Again?"}])
    with pytest.raises(ValidationError):
        publish_library_version(actor=cco, version=v2)


def _pulse(cco, teams, opens=TODAY, closes=TODAY + dt.timedelta(days=7)):
    return publish_pulse(
        actor=cco,
        title="December pulse",
        library_version=install_standard_library(actor=cco),
        teams=teams,
        opens_on=opens,
        closes_on=closes,
    )


def test_publishing_invites_each_current_member_once_and_emails_those_with_a_login(cco, team_a, team_b):
    start = TODAY - dt.timedelta(days=30)
    both = PersonFactory(user=UserFactory())
    MembershipFactory(person=both, team=team_a, start=start)
    MembershipFactory(person=both, team=team_b, start=start + dt.timedelta(days=1))
    no_login = PersonFactory(user=None)
    MembershipFactory(person=no_login, team=team_b, start=start)
    left = PersonFactory(user=UserFactory())
    MembershipFactory(person=left, team=team_a, start=start, end=TODAY - dt.timedelta(days=1))

    pulse = _pulse(cco, [team_a, team_b])

    invitations = {i.person_id: i.team_id for i in PulseInvitation.objects.filter(pulse=pulse)}
    assert invitations == {both.pk: team_a.pk, no_login.pk: team_b.pk}
    note = Notification.objects.get()
    assert note.recipient == both.user and answer_url(PulseInvitation.objects.get(person=both)) in note.body


def test_an_employee_sees_the_open_pulse_on_the_home_until_they_answer(cco, team_a, employee_a):
    today = timezone.localdate()
    pulse = _pulse(cco, [team_a], opens=today, closes=today + dt.timedelta(days=3))
    invitation = PulseInvitation.objects.get(pulse=pulse, person__user=employee_a)

    items = [item for item in due_for(employee_a) if item.kind == "culture.pulse"]
    assert [(item.url, item.due_on) for item in items] == [(answer_url(invitation), pulse.closes_on)]

    scores = {q.pk: 4 for q in pulse.library_version.questions.all()}
    submit_answers(invitation=invitation, scores=scores)
    assert [item for item in due_for(employee_a) if item.kind == "culture.pulse"] == []


def test_answering_stores_anonymous_answers_and_refuses_a_second_time(cco, team_a, employee_a):
    pulse = _pulse(cco, [team_a])
    invitation = PulseInvitation.objects.get(pulse=pulse, person__user=employee_a)
    questions = list(pulse.library_version.questions.all())
    scores = {q.pk: (9 if q.kind == "enps" else 4) for q in questions}

    submit_answers(invitation=invitation, scores=scores, today=TODAY)

    answers = list(PulseAnswer.objects.values("pulse_id", "team_id", "score"))
    assert sorted(a["score"] for a in answers) == [4, 4, 4, 9]
    assert {(a["pulse_id"], a["team_id"]) for a in answers} == {(pulse.pk, team_a.pk)}
    assert PulseInvitation.objects.get(pk=invitation.pk).has_answered
    with pytest.raises(ValidationError):
        submit_answers(invitation=invitation, scores=scores, today=TODAY)
    assert PulseAnswer.objects.count() == 4


def test_answering_refuses_a_missing_or_out_of_scale_score_and_a_closed_pulse(cco, team_a, employee_a):
    pulse = _pulse(cco, [team_a])
    invitation = PulseInvitation.objects.get(pulse=pulse, person__user=employee_a)
    questions = list(pulse.library_version.questions.all())
    with pytest.raises(ValidationError):
        submit_answers(invitation=invitation, scores={questions[0].pk: 9}, today=TODAY)
    with pytest.raises(ValidationError):
        submit_answers(invitation=invitation, scores={q.pk: 11 for q in questions}, today=TODAY)
    with pytest.raises(ValidationError):
        submit_answers(invitation=invitation, scores={q.pk: 3 for q in questions}, today=TODAY + dt.timedelta(days=8))
    assert PulseAnswer.objects.count() == 0 and not PulseInvitation.objects.get(pk=invitation.pk).has_answered


def test_a_forged_link_is_refused(cco, team_a, employee_a):
    pulse = _pulse(cco, [team_a])
    invitation = PulseInvitation.objects.get(pulse=pulse)
    assert invitation_for_link(invitation.token) is None  # unsigned
    assert invitation_for_link(invitation.token + ":forged") is None


def test_the_personal_link_answers_without_login_and_only_once(client, cco, team_a, employee_a):
    today = timezone.localdate()
    pulse = _pulse(cco, [team_a], opens=today, closes=today + dt.timedelta(days=2))
    url = answer_url(PulseInvitation.objects.get(pulse=pulse))
    questions = list(pulse.library_version.questions.all())

    incomplete = client.post(url, {f"q{questions[0].pk}": "9"})
    assert incomplete.status_code == 200 and "Choose an answer to this question." in incomplete.text
    assert f'value="9" required id="id_q{questions[0].pk}_9" checked' in incomplete.text  # the input is kept

    data = {f"q{q.pk}": ("10" if q.kind == "enps" else "5") for q in questions}
    assert client.post(url, data).status_code == 302
    again = client.get(url)
    assert "You have answered this pulse." in again.text
    assert client.post(url, data).status_code == 200 and PulseAnswer.objects.count() == 4
    assert client.get(reverse("culture:pulse_answer", kwargs={"token": "x:y"})).status_code == 404


def test_the_cco_publishes_a_pulse_from_the_form(client, cco, team_a, employee_a):
    install_standard_library(actor=cco)
    client.force_login(cco)
    form = client.get(reverse("culture:pulse_create"))
    assert form.status_code == 200
    version = PulseLibraryVersion.objects.get()
    bad = client.post(
        reverse("culture:pulse_create"),
        {
            "title": "Q",
            "library_version": version.pk,
            "teams": [team_a.pk],
            "opens_on": "2026-12-10",
            "closes_on": "2026-12-01",
        },
    )
    assert "The pulse must close on or after the day it opens." in bad.text
    ok = client.post(
        reverse("culture:pulse_create"),
        {
            "title": "Q",
            "library_version": version.pk,
            "teams": [team_a.pk],
            "opens_on": "2026-12-01",
            "closes_on": "2026-12-10",
        },
    )
    assert ok.status_code == 302
    assert PulseInvitation.objects.filter(person__user=employee_a).count() == 1
    assert client.get(ok.url).status_code == 200
    assert client.get(reverse("culture:pulse_list")).status_code == 200


def test_an_employee_may_not_publish_or_list_pulses(client, employee_a):
    client.force_login(employee_a)
    assert client.get(reverse("culture:pulse_create")).status_code == 403
    assert client.get(reverse("culture:pulse_list")).status_code == 403
    assert Membership.objects.count() == 1


def test_the_due_items_take_one_query_however_many_pulses_wait(cco, team_a, employee_a, django_assert_num_queries):
    from culture.pulse.due import due_for as pulse_due_for

    today = timezone.localdate()
    _pulse(cco, [team_a], opens=today, closes=today + dt.timedelta(days=3))
    with django_assert_num_queries(1):
        assert len(pulse_due_for(employee_a)) == 1
    for _ in range(3):
        _pulse(cco, [team_a], opens=today, closes=today + dt.timedelta(days=3))
    with django_assert_num_queries(1):
        assert len(pulse_due_for(employee_a)) == 4


def test_a_lead_sees_the_participation_of_the_teams_they_lead_only(client, cco, team_a, team_b, lead_a):
    for team in (team_a, team_b):
        for _ in range(2):
            MembershipFactory(person=PersonFactory(), team=team, start=TODAY - dt.timedelta(days=30))
    pulse = _pulse(cco, [team_a, team_b])

    invited = {team: PulseInvitation.objects.filter(pulse=pulse, team=team).count() for team in (team_a, team_b)}
    assert invited[team_b] == 2

    client.force_login(lead_a)
    page = client.get(reverse("culture:pulse_detail", kwargs={"pk": pulse.pk}))
    assert page.status_code == 200
    assert [row["team__name"] for row in page.context["participation"]] == [team_a.name]
    listed = client.get(reverse("culture:pulse_list"))
    assert [(p.pk, p.invited) for p in listed.context["table"].data] == [(pulse.pk, invited[team_a])]
    assert client.get("/api/v1/pulses/").json()["results"][0]["invited"] == invited[team_a]

    client.force_login(cco)
    page = client.get(reverse("culture:pulse_detail", kwargs={"pk": pulse.pk}))
    assert [row["team__name"] for row in page.context["participation"]] == sorted([team_a.name, team_b.name])
    assert client.get("/api/v1/pulses/").json()["results"][0]["invited"] == sum(invited.values())


def test_the_pulse_list_filters_by_opening_day_with_a_label_for_each_date(client, cco, team_a):
    early = _pulse(cco, [team_a], opens=dt.date(2026, 3, 2), closes=dt.date(2026, 3, 9))
    late = _pulse(cco, [team_a], opens=dt.date(2026, 6, 1), closes=dt.date(2026, 6, 8))
    client.force_login(cco)
    page = client.get(reverse("culture:pulse_list"), {"opens_from": "2026-04-01"})
    assert [pulse.pk for pulse in page.context["table"].data] == [late.pk]
    page = client.get(reverse("culture:pulse_list"), {"opens_until": "2026-04-01"})
    assert [pulse.pk for pulse in page.context["table"].data] == [early.pk]
    html = page.content.decode()
    for name in ("opens_from", "opens_until"):  # one input each, each with its own label (axe: label, critical)
        assert html.count(f'name="{name}"') == 1 and f'id="id_{name}"' in html and f'for="id_{name}"' in html
