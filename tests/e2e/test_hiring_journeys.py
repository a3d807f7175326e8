"""A recruiter sets up a position and an interview; interviewers score blind; the recruiter compares.

Everything the journeys test is done in the browser. Fixtures create only the org, the users and a
published rubric (empathy weight 2, listening 1, ownership 1).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from culture.models import Membership
from hiring.rubrics.calculations import CompetencySpec, ScorecardInput, aggregate_application
from tests.factories import DepartmentFactory, MembershipFactory, PersonFactory, TeamFactory, UserFactory
from tests.hiring.factories import RubricVersionFactory
from users.roles import Role

from .conftest import assert_accessible, enrol_totp, log_in, screenshot
from .journey_helpers import docs_screenshot

INTERVIEW_DAY = timezone.localdate().isoformat()

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

POSITION = "Care agent"
CANDIDATE = "Carla Candidate"
# What the first interviewer writes; a blind colleague must not find any of it in a page.
FIRST_EVIDENCE = "Calmed the furious pelican-farm customer"
FIRST_SUMMARY = "Quietly unflappable under pressure, a zeppelin of patience."
DECISION_REASON = "Phone screen went well: moves on to the marmalade panel."
# Ratings by competency label; None is "Not assessed", which the score leaves out (weights renormalised).
FIRST_RATINGS = {"Empathy": 4, "Listening": 2, "Ownership": None}
SECOND_RATINGS = {"Empathy": 5, "Listening": 3, "Ownership": 4}
WEIGHTS = {"Empathy": Decimal(2), "Listening": Decimal(1), "Ownership": Decimal(1)}


def expected_score(*scorecards: dict[str, int | None]) -> Decimal:
    """The weighted score hiring/calculations.py gives for these scorecards on the fixture rubric."""
    specs = [CompetencySpec(key=name, weight=weight) for name, weight in WEIGHTS.items()]
    cards = [ScorecardInput(interviewer_id=n, ratings=ratings) for n, ratings in enumerate(scorecards)]
    score = aggregate_application(specs, cards, Decimal(60)).score
    assert score is not None
    return score


@pytest.fixture
def hiring_org():
    """A care team led by Lena, a published rubric, a recruiter with TOTP and three would-be interviewers."""
    team = TeamFactory(name="Care Lisbon", department=DepartmentFactory(name="Customer Care"))
    recruiter = UserFactory(email="rita@example.com", name="Rita Recruiter", roles=[Role.HR])
    lead = UserFactory(email="lena@example.com", name="Lena Lead", roles=[Role.LEAD])
    MembershipFactory(person=PersonFactory(user=lead, name="Lena Lead"), team=team, role=Membership.Role.LEAD)
    return {
        "team": team,
        "rubric": RubricVersionFactory(rubric__name="Service orientation"),
        "recruiter": recruiter,
        "recruiter_totp": enrol_totp(recruiter),
        "first": UserFactory(email="ari@example.com", name="Ari Interviewer", roles=[Role.EMPLOYEE]),
        "second": lead,
        "outsider": UserFactory(email="olga@example.com", name="Olga Outsider", roles=[Role.EMPLOYEE]),
    }


def recruiter_schedules_interview(page, org) -> str:
    """The recruiter creates the position, the candidate, the application and the interview; returns its URL path."""
    log_in(page, org["recruiter"].email, totp_secret=org["recruiter_totp"])
    assert page.get_by_role("heading", name="Welcome, Rita").is_visible()
    assert_accessible(page)
    main_nav = page.get_by_role("navigation", name="Main")
    main_nav.get_by_role("link", name="Hiring").click()
    page.get_by_role("navigation", name="Hiring").get_by_role("link", name="Positions").click()
    page.get_by_role("link", name="New position").click()
    assert_accessible(page)
    page.get_by_label("Title").fill(POSITION)
    page.get_by_label("Team").select_option(label="Care Lisbon")
    page.get_by_label("Rubric version").select_option(label="Service orientation v1")
    page.get_by_label("Bar score").fill("60")
    page.get_by_label("Hiring manager").select_option(label="Lena Lead")
    page.get_by_label("Interview panel").select_option(label=["Ari Interviewer", "Lena Lead"])
    assert page.get_by_label("Opened on").input_value() == timezone.localdate().isoformat(), "today is proposed"
    screenshot(page, "hiring-position-form")
    page.get_by_role("button", name="Save position").click()
    assert page.get_by_role("heading", name=POSITION).is_visible()
    assert "Panel: Ari Interviewer, Lena Lead" in page.locator("main").inner_text()
    assert_accessible(page)
    screenshot(page, "hiring-position-created")

    page.get_by_role("navigation", name="Hiring").get_by_role("link", name="Candidates").click()
    page.get_by_role("link", name="New candidate").click()
    assert_accessible(page)
    page.get_by_label("Name").fill(CANDIDATE)
    page.get_by_label("Email").fill("carla@example.org")
    page.get_by_label("Source").select_option(label="Employee referral")
    page.get_by_label("Consent to keep data").check()
    page.get_by_role("button", name="Save candidate").click()
    assert page.get_by_role("heading", name=CANDIDATE).is_visible()
    assert "given" in page.locator("dl").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Apply to a position").click()
    assert_accessible(page)
    page.get_by_label("Position").select_option(label=f"{POSITION} (Care Lisbon)")
    page.get_by_role("button", name="Create application").click()
    assert page.get_by_role("heading", name=f"{CANDIDATE} for {POSITION}").is_visible()
    assert_accessible(page)

    page.get_by_label("Move to stage").select_option(label="Interview")
    page.get_by_label("Reason").fill(DECISION_REASON)
    page.get_by_role("button", name="Record decision").click()
    assert "Stage Interview" in page.locator("main").inner_text()

    page.get_by_role("link", name="Schedule an interview").click()
    assert_accessible(page)
    # Today at midnight: not before the application (made today), and already past, so the panel can score it.
    page.get_by_label("When").fill(f"{INTERVIEW_DAY}T00:00")
    chosen = page.get_by_label("Interviewers").evaluate("s => [...s.selectedOptions].map(o => o.text)")
    assert chosen == ["Ari Interviewer", "Lena Lead"], "the position's panel is proposed"
    screenshot(page, "hiring-interview-form")
    page.get_by_role("button", name="Schedule").click()
    assert "0 of 2 scorecards in" in page.locator("main").inner_text()
    screenshot(page, "hiring-application-scheduled")
    return page.get_by_role("link", name="Service-orientation interview").get_attribute("href")


def interviewer_submits(page, ratings: dict[str, int | None], evidence: str, summary: str, name: str) -> None:
    """On the interview kit, the interviewer opens their scorecard, rates, notes evidence and submits."""
    page.get_by_role("link", name="Fill in your scorecard").click()
    assert_accessible(page)
    for label, rating in ratings.items():
        group = page.get_by_role("radiogroup", name=f"Rating for {label}")
        group.get_by_label("Not assessed" if rating is None else str(rating), exact=True).check()
        if rating is not None:
            page.get_by_label(f"Evidence for {label}").fill(f"{evidence} ({label.lower()})")
    page.get_by_role("group", name="Overall recommendation").get_by_label("Yes", exact=True).check()
    page.get_by_label("Summary").fill(summary)
    screenshot(page, f"hiring-scorecard-{name}")
    page.get_by_role("button", name="Submit scorecard").click()
    assert "Scorecard submitted" in page.locator("main").inner_text()


def test_recruiter_sets_up_an_interview_and_sees_the_weighted_score(open_page, hiring_org):
    recruiter = open_page()
    interview_url = recruiter_schedules_interview(recruiter, hiring_org)

    interviewer = open_page()
    log_in(interviewer, hiring_org["first"].email)
    interviewer.get_by_role("navigation", name="Main").get_by_role("link", name="Hiring").click()
    interviewer.get_by_role("navigation", name="Hiring").get_by_role("link", name="Interviews", exact=True).click()
    assert_accessible(interviewer)
    interviewer.get_by_role("link", name=f"{INTERVIEW_DAY} 00:00").click()
    assert interviewer.url.endswith(interview_url)
    assert interviewer.get_by_role("heading", name="Empathy").is_visible()
    assert_accessible(interviewer)
    screenshot(interviewer, "hiring-interview-kit")
    docs_screenshot(interviewer, "interviewer-kit")
    interviewer_submits(interviewer, FIRST_RATINGS, FIRST_EVIDENCE, FIRST_SUMMARY, "first")
    screenshot(interviewer, "hiring-first-interviewer-submitted")

    score = expected_score(FIRST_RATINGS)
    # (2 x (4-1) + 1 x (2-1)) / (2+1) = 7/3 points above 1 on the 1-5 scale -> 58.3 of 100; ownership not assessed.
    assert score == Decimal("58.3")
    recruiter.reload()
    text = recruiter.locator("main").inner_text()
    assert f"{score} / 100" in text
    assert "below the bar of 60.0" in text
    assert "1 of 2 scorecards in" in text
    assert FIRST_SUMMARY in text
    assert_accessible(recruiter)
    screenshot(recruiter, "hiring-application-scored")

    recruiter.get_by_role("link", name=POSITION).first.click()
    assert_accessible(recruiter)
    docs_screenshot(recruiter, "hr-pipeline")
    recruiter.get_by_role("link", name="Compare candidates").click()
    row = recruiter.locator("table tbody tr").filter(has_text=CANDIDATE)
    cells = row.locator("td").all_inner_texts()
    assert str(score) in cells
    assert "4.00" in cells and "2.00" in cells, "panel means per competency"
    assert "1 yes" in cells
    assert_accessible(recruiter)
    screenshot(recruiter, "hiring-comparison")
    assert recruiter.console_errors == []
    assert interviewer.console_errors == []


def _leaks(html: str, score: Decimal) -> list[str]:
    secrets = [FIRST_EVIDENCE, FIRST_SUMMARY, DECISION_REASON, str(score), "1 yes"]
    return [secret for secret in secrets if secret in html]


def test_second_interviewer_sees_nothing_of_the_panel_until_their_own_scorecard_is_in(
    open_page, live_server, hiring_org
):
    recruiter = open_page()
    interview_url = recruiter_schedules_interview(recruiter, hiring_org)
    first = open_page()
    log_in(first, hiring_org["first"].email)
    first.goto(interview_url)
    interviewer_submits(first, FIRST_RATINGS, FIRST_EVIDENCE, FIRST_SUMMARY, "first")
    first_score = expected_score(FIRST_RATINGS)

    second = open_page()
    log_in(second, hiring_org["second"].email)
    application_url = recruiter.url
    position_url = recruiter.get_by_role("link", name=POSITION).first.get_attribute("href")
    pages = {
        "interview list": "/hiring/interviews/",
        "interview kit": interview_url,
        "scorecard form": f"{interview_url}scorecard/",
        "application": application_url,
        "pipeline": position_url,
        "comparison": f"{position_url}compare/",
        "candidate": recruiter.get_by_role("link", name=CANDIDATE).first.get_attribute("href"),
    }
    for name, url in pages.items():
        response = second.goto(url)
        assert response.status == 200, name
        assert _leaks(second.content(), first_score) == [], name
        assert_accessible(second)
    second.goto(application_url)
    text = second.locator("main").inner_text()
    assert "stay hidden until you submit your own" in text
    assert "1 scorecard hidden from you" in text
    screenshot(second, "hiring-second-interviewer-blind")
    second.goto(position_url)
    assert "no score yet" in second.locator("main").inner_text()
    screenshot(second, "hiring-pipeline-blind")

    for endpoint in ("applications", "scorecards", "interviews", "positions", "rubric-versions"):
        response = second.request.get(f"/api/v1/hiring/{endpoint}/")
        assert response.status == 200, endpoint
        assert _leaks(response.text(), first_score) == [], endpoint
    applications = second.request.get("/api/v1/hiring/applications/").json()["results"]
    assert [a["aggregate"]["score"] for a in applications] == [None]
    assert second.request.get("/api/v1/hiring/scorecards/").json()["results"] == []
    application = second.request.get(f"/api/v1/hiring/applications/{applications[0]['id']}/")
    assert application.json()["aggregate"]["scorecard_count"] == 0
    assert _leaks(application.text(), first_score) == []
    # The recruiter sees the first scorecard's id; the blind interviewer asking for it by id gets nothing.
    first_card = recruiter.request.get("/api/v1/hiring/scorecards/").json()["results"][0]
    assert first_card["summary"] == FIRST_SUMMARY
    assert second.request.get(f"/api/v1/hiring/scorecards/{first_card['id']}/").status == 404

    second.goto(interview_url)
    interviewer_submits(second, SECOND_RATINGS, "Listened to the whole story first", "Solid hire.", "second")
    both_score = expected_score(FIRST_RATINGS, SECOND_RATINGS)
    # Panel means 4.5, 2.5 and 4 (ownership rated once): (2 x 3.5 + 1.5 + 3) / 4 = 2.875 above 1 -> 71.9 of 100.
    assert both_score == Decimal("71.9")
    text = second.locator("main").inner_text()
    assert FIRST_SUMMARY in text and FIRST_EVIDENCE in text
    assert DECISION_REASON in text
    assert f"{both_score} / 100" in text
    assert_accessible(second)
    screenshot(second, "hiring-second-interviewer-unblinded")
    second.goto(f"{position_url}compare/")
    assert str(both_score) in second.locator("table tbody tr").first.locator("td").all_inner_texts()
    applications = second.request.get("/api/v1/hiring/applications/").json()["results"]
    assert [a["aggregate"]["score"] for a in applications] == [str(both_score)]
    assert len(second.request.get("/api/v1/hiring/scorecards/").json()["results"]) == 2

    outsider = open_page()
    log_in(outsider, hiring_org["outsider"].email)
    assert outsider.goto(interview_url).status == 404
    assert_accessible(outsider)
    screenshot(outsider, "hiring-outsider-404")
    assert outsider.goto(f"{interview_url}scorecard/").status == 404
    assert outsider.request.get("/api/v1/hiring/scorecards/").json()["results"] == []
    for page in (recruiter, first, second):
        assert page.console_errors == []
    not_found = "Failed to load resource: the server responded with a status of 404 (Not Found)"
    assert outsider.console_errors == [
        f"{not_found} [{live_server.url}{path}]" for path in (interview_url, f"{interview_url}scorecard/")
    ]
