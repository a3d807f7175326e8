"""Recognition: anyone recognises a colleague (form, validation), shown on the team page and the colleague's
home, counted per team, picked for the board report by the CCO only."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core.models import AuditEntry
from culture.models import Membership, Recognition
from culture.recognition.services import recognise, set_board_pick
from tests.conftest import _person_in

pytestmark = pytest.mark.django_db

STORY = "Stayed late to rebook a stranded customer's flight and called them back."


def test_a_colleague_recognises_another_for_their_current_team(lead_a, employee_a, team_a):
    story = recognise(giver=lead_a, person=employee_a.person, story=STORY, value="ownership")

    assert (story.team, story.given_by, story.served) == (team_a, lead_a, "Owns the customer's problem end to end")
    assert AuditEntry.objects.filter(action="recognition.give").count() == 1


def test_recognition_needs_a_value_or_kpi_a_story_and_someone_else(lead_a, employee_a):
    with pytest.raises(ValidationError) as caught:
        recognise(giver=employee_a, person=employee_a.person, story="short", value="")

    assert set(caught.value.message_dict) == {"person", "value", "story"}
    assert not Recognition.objects.exists()


def test_the_form_keeps_the_input_and_explains_each_error(client, employee_a, lead_a):
    client.force_login(employee_a)

    response = client.post(reverse("culture:recognition_create"), {"person": lead_a.person.pk, "story": "Too short"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "Too short" in body
    assert "Say which culture value or KPI the act served." in body
    assert "Ensure this value has at least 20 characters" in body
    assert not Recognition.objects.exists()


def test_posting_the_form_recognises_and_the_story_shows_on_team_page_and_home(client, employee_a, lead_a, team_a):
    client.force_login(lead_a)
    response = client.post(
        reverse("culture:recognition_create"), {"person": employee_a.person.pk, "value": "empathy", "story": STORY}
    )
    assert response.status_code == 302

    team_page = client.get(reverse("culture:team_detail", args=[team_a.slug])).content.decode()
    client.force_login(employee_a)
    home = client.get(reverse("home")).content.decode()

    assert STORY.replace("'", "&#x27;") in team_page and "Recognition (1 story)" in team_page
    assert 'data-home-panel="culture.recognition"' in home and STORY.replace("'", "&#x27;") in home


def test_the_list_counts_stories_per_team_and_exports(client, cco, lead_a, employee_a, team_a, team_b):
    colleague_b = _person_in(team_b, Membership.Role.MEMBER, "b.member@example.com")
    lead_b = _person_in(team_b, Membership.Role.LEAD, "b.lead@example.com")
    recognise(giver=lead_a, person=employee_a.person, story=STORY, value="empathy")
    recognise(giver=employee_a, person=lead_a.person, story=STORY, value="voice")
    recognise(giver=lead_b, person=colleague_b.person, story=STORY, value="voice")
    client.force_login(cco)

    page = client.get(reverse("culture:recognition_list")).content.decode()
    csv = b"".join(client.get(reverse("culture:recognition_list") + "?_export=csv").streaming_content).decode()

    assert 'data-team-count="Team A">Team A: 2' in page
    assert 'data-team-count="Team B">Team B: 1' in page
    assert csv.count("\n") == 4  # header + 3 stories


def test_a_member_recognises_only_colleagues_of_their_teams_and_sees_only_their_stories(
    client, cco, lead_a, employee_a, team_b
):
    colleague_b = _person_in(team_b, Membership.Role.MEMBER, "b.member@example.com")
    with pytest.raises(ValidationError, match="colleagues of your own teams"):
        recognise(giver=lead_a, person=colleague_b.person, story=STORY, value="voice")
    recognise(giver=cco, person=colleague_b.person, story="Betaonly " + STORY, value="voice")
    recognise(giver=lead_a, person=employee_a.person, story="Alphaonly " + STORY, value="voice")
    client.force_login(employee_a)

    page = client.get(reverse("culture:recognition_list")).content.decode()
    form = client.get(reverse("culture:recognition_create")).content.decode()

    assert "Alphaonly" in page and "Betaonly" not in page
    assert lead_a.person.name in form and colleague_b.person.name not in form


def test_only_the_cco_picks_stories_for_the_board_report(client, cco, lead_a, employee_a):
    story = recognise(giver=lead_a, person=employee_a.person, story=STORY, value="voice")
    with pytest.raises(PermissionDenied):
        set_board_pick(actor=lead_a, recognition_id=story.pk, picked=True)
    client.force_login(lead_a)
    assert client.post(reverse("culture:recognition_pick", args=[story.pk])).status_code == 403

    client.force_login(cco)
    assert (
        "Pick this story for the board report?"
        in client.get(reverse("culture:recognition_pick", args=[story.pk])).content.decode()
    )
    client.post(reverse("culture:recognition_pick", args=[story.pk]))

    story.refresh_from_db()
    assert story.is_board_pick is True
    assert AuditEntry.objects.filter(action="recognition.board_pick").count() == 1
