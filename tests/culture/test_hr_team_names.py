"""HR sees teams by name only (design: "HR recruiter: teams (names only)"): no lead, no member count."""

import csv
import io

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    team = TeamFactory(name="Harbour Desk")
    MembershipFactory(team=team, role="lead", person=PersonFactory(name="Ottilie Leadwright"))
    MembershipFactory(team=team, person=PersonFactory(name="Member Person"))
    return team


def test_hr_team_list_shows_names_without_lead_or_member_count(client, recruiter, team):
    client.force_login(recruiter)
    page = client.get(reverse("culture:team_list")).content.decode()
    assert "Harbour Desk" in page
    assert "Ottilie Leadwright" not in page
    assert ">Lead<" not in page and ">Members<" not in page


def test_hr_team_export_has_no_lead_or_member_count(client, recruiter, team):
    client.force_login(recruiter)
    response = client.get(reverse("culture:team_list"), {"_export": "csv"})
    header, row = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert "Lead" not in header and "Members" not in header
    assert "Harbour Desk" in row and "Ottilie Leadwright" not in row


def test_hr_team_detail_and_api_name_no_people(client, recruiter, team):
    client.force_login(recruiter)
    detail = client.get(team.get_absolute_url()).content.decode()
    assert "Harbour Desk" in detail and "Ottilie Leadwright" not in detail and "Member Person" not in detail
    item = client.get("/api/v1/teams/").json()["results"][0]
    assert item["name"] == "Harbour Desk"
    assert set(item) == {"slug", "name", "department", "is_active"}


def test_cco_still_sees_lead_and_member_count(client, cco, team):
    client.force_login(cco)
    page = client.get(reverse("culture:team_list")).content.decode()
    assert "Ottilie Leadwright" in page and ">Members<" in page
