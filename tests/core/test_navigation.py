import pytest
from django.urls import reverse

from core.context_processors import navigation

pytestmark = pytest.mark.django_db


def _sections(response):
    return {
        section["label"]: [item["label"] for item in section["items"]] for section in response.context["nav_sections"]
    }


def test_sections_follow_permissions(client, cco, employee_a):
    client.force_login(cco)
    assert _sections(client.get(reverse("home")))["Reports"] == ["Request a report", "Report archive", "Value model"]
    client.force_login(employee_a)
    assert _sections(client.get(reverse("home")))["Reports"] == ["Request a report", "Report archive"]


def test_current_page_marks_its_section_and_item(client, cco):
    client.force_login(cco)
    response = client.get(reverse("culture:team_list"))
    active = response.context["nav_active_section"]
    assert active["label"] == "Culture"
    assert [item["label"] for item in active["items"] if item["active"]] == ["Teams"]
    assert 'aria-current="page"' in response.content.decode()


def test_home_has_no_active_section(client, cco):
    client.force_login(cco)
    assert client.get(reverse("home")).context["nav_active_section"] is None


def test_anonymous_gets_no_navigation(client):
    response = client.get(reverse("account_login"))
    assert response.context["nav_sections"] == []


def test_a_page_without_its_own_entry_keeps_its_section(rf, cco):
    request = rf.get("/incentives/runs/1/")
    request.user = cco
    context = navigation(request)
    assert context["nav_active_section"]["label"] == "Incentives"
    assert not any(item["active"] for item in context["nav_active_section"]["items"])


def test_an_unknown_area_has_no_section(rf, cco):
    request = rf.get("/accounts/2fa/")
    request.user = cco
    assert navigation(request)["nav_active_section"] is None
