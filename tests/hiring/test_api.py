"""The hiring API: token auth, the same scopes as the pages (404 for others), the blind rule, assigned-only POST."""

import pytest
from rest_framework.test import APIClient

from hiring.models import Scorecard
from users.tokens import issue

from .factories import ApplicationFactory, PositionFactory, submit

pytestmark = pytest.mark.django_db


def api(user=None):
    client = APIClient()
    if user is not None:
        _, key = issue(user, name="test")
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _payload(interview, recommendation="yes", **ratings):
    competencies = {c.key: c for c in interview.application.position.rubric_version.competencies.all()}
    return {
        "interview": interview.pk,
        "recommendation": recommendation,
        "ratings": [
            {"competency": competencies[k].pk, "rating": v, "evidence": f"evidence {k}"} for k, v in ratings.items()
        ],
    }


def test_anonymous_gets_401(interview_a):
    assert api().get("/api/v1/hiring/applications/").status_code == 401


def test_lead_lists_own_teams_applications_with_aggregate(lead_a, interviewer_y, interview_a, application_a, team_b):
    ApplicationFactory(position=PositionFactory(team=team_b))
    submit(interview_a, interviewer_y, empathy=5, listening=3)
    response = api(lead_a).get("/api/v1/hiring/applications/")
    assert response.status_code == 200
    [row] = response.json()["results"]
    assert row["candidate_name"] == "Carla Candidate"
    # (2 * 4 + 1 * 2) / 3 points above 1 -> 83.3
    assert row["aggregate"]["score"] == "83.3"
    assert row["aggregate"]["meets_bar"] is True


@pytest.mark.parametrize("who", ["lead_b", "employee_a"])
def test_others_get_404_for_objects_they_may_not_see(request, who, interview_a, application_a, interviewer_y):
    card = submit(interview_a, interviewer_y, empathy=4)
    client = api(request.getfixturevalue(who))
    assert client.get(f"/api/v1/hiring/applications/{application_a.pk}/").status_code == 404
    assert client.get(f"/api/v1/hiring/positions/{application_a.position.pk}/").status_code == 404
    assert client.get(f"/api/v1/hiring/interviews/{interview_a.pk}/").status_code == 404
    assert client.get(f"/api/v1/hiring/scorecards/{card.pk}/").status_code == 404
    response = client.post("/api/v1/hiring/scorecards/", _payload(interview_a, empathy=3), format="json")
    assert response.status_code == 404
    assert Scorecard.objects.count() == 1


def test_blind_interviewer_gets_no_other_scorecard_and_no_score(
    interviewer_x, interviewer_y, interview_a, application_a
):
    card = submit(interview_a, interviewer_y, empathy=5)
    client = api(interviewer_x)
    assert client.get("/api/v1/hiring/scorecards/").json()["results"] == []
    assert client.get(f"/api/v1/hiring/scorecards/{card.pk}/").status_code == 404
    aggregate = client.get(f"/api/v1/hiring/applications/{application_a.pk}/").json()["aggregate"]
    assert (aggregate["score"], aggregate["scorecard_count"]) == (None, 0)


def test_after_submitting_the_interviewer_sees_the_panel(interviewer_x, interviewer_y, interview_a, application_a):
    submit(interview_a, interviewer_y, empathy=5)
    client = api(interviewer_x)
    response = client.post("/api/v1/hiring/scorecards/", _payload(interview_a, "strong_yes", empathy=3), format="json")
    assert response.status_code == 201
    assert response.json()["interviewer"] == interviewer_x.pk
    assert len(client.get("/api/v1/hiring/scorecards/").json()["results"]) == 2
    aggregate = client.get(f"/api/v1/hiring/applications/{application_a.pk}/").json()["aggregate"]
    assert aggregate["score"] == "75.0"
    assert aggregate["has_disagreement"] is True


def test_visible_but_unassigned_user_gets_403_on_submit(lead_a, interview_a):
    response = api(lead_a).post("/api/v1/hiring/scorecards/", _payload(interview_a, empathy=3), format="json")
    assert response.status_code == 403
    assert not Scorecard.objects.exists()


def test_second_submission_over_the_api_is_a_400(interviewer_x, interview_a):
    client = api(interviewer_x)
    assert client.post("/api/v1/hiring/scorecards/", _payload(interview_a, empathy=3), format="json").status_code == 201
    response = client.post("/api/v1/hiring/scorecards/", _payload(interview_a, empathy=1), format="json")
    assert response.status_code == 400
    assert "already submitted" in str(response.json())


def test_rating_out_of_range_is_explained(interviewer_x, interview_a):
    response = api(interviewer_x).post("/api/v1/hiring/scorecards/", _payload(interview_a, empathy=7), format="json")
    assert response.status_code == 400
    assert "rating" in str(response.json())


def test_recruiter_sees_everything_and_the_schema_lists_hiring(recruiter, interview_a, application_a):
    client = api(recruiter)
    assert [row["id"] for row in client.get("/api/v1/hiring/applications/").json()["results"]] == [application_a.pk]
    assert len(client.get("/api/v1/hiring/rubric-versions/").json()["results"]) == 1
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/hiring/scorecards/" in schema.content
