"""A CCO logs in, finds the teams, sorts, filters and exports; a lead cannot open another team."""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import DepartmentFactory, MembershipFactory, TeamFactory

from .conftest import assert_accessible, log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def org():
    care = DepartmentFactory(name="Customer Care")
    teams = [TeamFactory(name=f"Care {city}", department=care) for city in ("Lisbon", "Oslo", "Porto")]
    for size, team in enumerate(teams, start=1):
        MembershipFactory(team=team, role="lead")
        MembershipFactory.create_batch(size, team=team)
    TeamFactory(name="Sales Berlin")
    return teams


def test_cco_sorts_filters_and_exports_teams(page, cco, org):
    log_in(page, cco.email)
    assert page.url.endswith("/")
    assert_accessible(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Culture").click()
    page.get_by_role("navigation", name="Culture").get_by_role("link", name="Teams").click()
    page.wait_for_url("**/culture/teams/")
    assert page.get_by_role("heading", name="Teams").is_visible()
    assert "4 in total" in page.content()
    assert_accessible(page)

    # Each click loads a new page: the assertions below wait for it (Playwright's expect retries).
    page.get_by_role("link", name="Members").click()
    page.wait_for_url("**sort=member_count**")
    page.get_by_role("link", name="Members").click()
    page.wait_for_url("**sort=-member_count**")
    expect(page.locator("table tbody tr").first).to_contain_text("Care Porto")

    page.fill("input[name=q]", "os")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**q=os**")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Care Oslo")
    screenshot(page, "cco-teams-filtered")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV").click()
    content = Path(download_info.value.path()).read_text(encoding="utf-8")
    exported = list(csv.reader(io.StringIO(content)))
    assert [row[0] for row in exported[1:]] == ["Care Oslo"]

    page.get_by_role("link", name="Care Oslo").click()
    expect(page.get_by_role("heading", name="Care Oslo")).to_be_visible()
    assert page.get_by_role("navigation", name="breadcrumb").inner_text().split() == ["Home", "Teams", "Care", "Oslo"]
    assert_accessible(page)
    assert page.console_errors == []


def test_lead_sees_own_team_and_gets_404_for_another(page, lead_a, team_a, team_b):
    log_in(page, lead_a.email)
    page.goto("/culture/teams/")
    assert page.locator("table tbody tr").count() == 1
    response = page.goto(f"/culture/teams/{team_b.slug}/")
    assert response.status == 404
    response = page.goto(f"/culture/teams/{team_a.slug}/")
    assert response.status == 200
    screenshot(page, "lead-own-team")


def test_login_page_is_accessible_and_explains_a_wrong_password(page, cco):
    page.goto("/accounts/login/")
    assert_accessible(page)
    page.fill("input[name=login]", cco.email)
    page.fill("input[name=password]", "wrong")
    page.click("button[type=submit]")
    assert "not correct" in page.content()
    assert page.input_value("input[name=login]") == cco.email
