"""Who sees what in hiring, over the pages: recruiter, CCO, lead of the position's team, interviewer, others."""

import pytest
from django.urls import reverse

from hiring.models import Application, Candidate, Scorecard
from tests.factories import UserFactory
from users.roles import Role

from .factories import ApplicationFactory, PositionFactory, submit

pytestmark = pytest.mark.django_db


def _pages(application, interview):
    position, candidate = application.position, application.candidate
    return [
        reverse("hiring:position_detail", kwargs={"pk": position.pk}),
        reverse("hiring:position_comparison", kwargs={"pk": position.pk}),
        reverse("hiring:candidate_detail", kwargs={"pk": candidate.pk}),
        reverse("hiring:application_detail", kwargs={"pk": application.pk}),
        reverse("hiring:interview_kit", kwargs={"pk": interview.pk}),
    ]


def test_anonymous_is_sent_to_login_from_every_hiring_page(client, interview_a, application_a):
    for url in [
        *_pages(application_a, interview_a),
        reverse("hiring:candidate_list"),
        reverse("hiring:interview_list"),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("who", ["recruiter", "cco", "lead_a"])
def test_recruiter_cco_and_lead_of_the_team_open_every_page(client, request, who, interview_a, application_a):
    client.force_login(request.getfixturevalue(who))
    for url in _pages(application_a, interview_a):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Carla Candidate" in response.content.decode(), url


@pytest.mark.parametrize("who", ["lead_b", "employee_a"])
def test_others_get_404_on_every_page(client, request, who, interview_a, application_a):
    client.force_login(request.getfixturevalue(who))
    for url in _pages(application_a, interview_a):
        assert client.get(url).status_code == 404, url


def test_interviewer_sees_their_candidate_and_interview_but_not_the_position(
    client, interviewer_x, interview_a, application_a
):
    client.force_login(interviewer_x)
    position_url, comparison_url, *allowed = _pages(application_a, interview_a)
    for url in allowed:
        assert client.get(url).status_code == 200, url
    assert client.get(position_url).status_code == 404
    assert client.get(comparison_url).status_code == 404


def test_interviewer_does_not_see_other_candidates_of_the_same_position(client, interviewer_x, interview_a, position_a):
    other = ApplicationFactory(position=position_a, candidate__name="Otto Other")
    client.force_login(interviewer_x)
    assert client.get(reverse("hiring:application_detail", kwargs={"pk": other.pk})).status_code == 404
    assert client.get(reverse("hiring:candidate_detail", kwargs={"pk": other.candidate.pk})).status_code == 404


def test_lists_are_scoped_for_a_lead(client, lead_a, application_a, team_b):
    ApplicationFactory(position=PositionFactory(team=team_b), candidate__name="Bea Elsewhere")
    client.force_login(lead_a)
    body = client.get(reverse("hiring:candidate_list")).content.decode()
    assert "Carla Candidate" in body
    assert "Bea Elsewhere" not in body
    positions = client.get(reverse("hiring:position_list")).context["table"].page.object_list
    assert [row.record for row in positions] == [application_a.position]


def test_employee_is_forbidden_the_hiring_lists(client, employee_a):
    client.force_login(employee_a)
    for name in ("hiring:candidate_list", "hiring:position_list", "hiring:rubric_list", "hiring:calibration"):
        assert client.get(reverse(name)).status_code == 403, name


def test_employee_sees_an_empty_interview_list_unless_assigned(client, employee_a, interview_a):
    client.force_login(employee_a)
    assert list(client.get(reverse("hiring:interview_list")).context["table"].page.object_list) == []
    interview_a.interviewers.add(employee_a)
    rows = client.get(reverse("hiring:interview_list")).context["table"].page.object_list
    assert [row.record for row in rows] == [interview_a]


def test_queryset_scopes_match_the_roles_table(recruiter, cco, lead_a, lead_b, employee_a, interviewer_x, interview_a):
    assert Candidate.objects.visible_to(recruiter).count() == 1
    assert Candidate.objects.visible_to(cco).count() == 1
    assert Candidate.objects.visible_to(lead_a).count() == 1
    assert Candidate.objects.visible_to(interviewer_x).count() == 1
    assert Candidate.objects.visible_to(lead_b).count() == 0
    assert Candidate.objects.visible_to(employee_a).count() == 0
    assert Application.objects.visible_to(UserFactory(roles=[Role.EMPLOYEE])).count() == 0


# --- the blind rule ---------------------------------------------------------------------------------------


def test_interviewer_sees_no_other_scorecard_or_score_before_submitting(
    client, interviewer_x, interviewer_y, interview_a, application_a
):
    submit(interview_a, interviewer_y, recommendation="strong_yes", evidence="Yuri saw calm", empathy=5, listening=5)
    client.force_login(interviewer_x)
    url = reverse("hiring:application_detail", kwargs={"pk": application_a.pk})
    response = client.get(url)
    body = response.content.decode()
    assert "Yuri saw calm" not in body
    assert "Strong yes" not in body
    assert response.context["scorecards"] == []
    assert response.context["aggregate"].score is None
    assert "1 scorecard hidden from you" in body
    assert list(Scorecard.objects.visible_to(interviewer_x)) == []


def test_interviewer_sees_the_panel_after_submitting_their_own(
    client, interviewer_x, interviewer_y, interview_a, application_a
):
    submit(interview_a, interviewer_y, recommendation="strong_yes", evidence="Yuri saw calm", empathy=5, listening=5)
    client.force_login(interviewer_x)
    response = client.post(
        reverse("hiring:scorecard_create", kwargs={"pk": interview_a.pk}),
        _scorecard_post(application_a, empathy=("3", "Xena heard little"), recommendation="yes"),
    )
    assert response.status_code == 302
    body = client.get(reverse("hiring:application_detail", kwargs={"pk": application_a.pk})).content.decode()
    assert "Yuri saw calm" in body
    assert "Xena heard little" in body


def test_lead_who_is_also_a_pending_interviewer_is_blind_too(client, lead_a, interviewer_y, interview_a, application_a):
    interview_a.interviewers.add(lead_a)
    submit(interview_a, interviewer_y, empathy=5)
    client.force_login(lead_a)
    response = client.get(reverse("hiring:application_detail", kwargs={"pk": application_a.pk}))
    assert response.context["scorecards"] == []
    comparison = client.get(reverse("hiring:position_comparison", kwargs={"pk": application_a.position.pk}))
    [row] = comparison.context["table"].data.data
    assert row["score"] is None
    pipeline = client.get(application_a.position.get_absolute_url()).content.decode()
    assert "0 scorecards you may see" in pipeline  # the card counts what the score is made of, not what is in


def test_lead_not_on_the_panel_sees_all_scorecards(client, lead_a, interviewer_y, interview_a, application_a):
    submit(interview_a, interviewer_y, evidence="Yuri saw calm", empathy=5)
    client.force_login(lead_a)
    assert (
        "Yuri saw calm"
        in client.get(reverse("hiring:application_detail", kwargs={"pk": application_a.pk})).content.decode()
    )


# --- assigned-only submission ------------------------------------------------------------------------------


def _scorecard_post(application, recommendation="yes", **ratings):
    competencies = {c.key: c for c in application.position.rubric_version.competencies.all()}
    data = {"recommendation": recommendation, "summary": ""}
    for key, (rating, evidence) in ratings.items():
        data[f"rating_{competencies[key].pk}"] = rating
        data[f"evidence_{competencies[key].pk}"] = evidence
    return data


def test_lead_who_can_see_the_interview_but_is_not_assigned_may_not_submit(client, lead_a, interview_a, application_a):
    client.force_login(lead_a)
    url = reverse("hiring:scorecard_create", kwargs={"pk": interview_a.pk})
    assert client.get(url).status_code == 403
    assert client.post(url, _scorecard_post(application_a, empathy=("4", "ok"))).status_code == 403
    assert not Scorecard.objects.exists()


def test_stranger_gets_404_on_the_scorecard_form(client, lead_b, interview_a):
    client.force_login(lead_b)
    assert client.get(reverse("hiring:scorecard_create", kwargs={"pk": interview_a.pk})).status_code == 404


def test_second_submission_is_refused_and_redirects(client, interviewer_x, interview_a, application_a):
    client.force_login(interviewer_x)
    url = reverse("hiring:scorecard_create", kwargs={"pk": interview_a.pk})
    client.post(url, _scorecard_post(application_a, empathy=("4", "good")))
    response = client.post(url, _scorecard_post(application_a, empathy=("1", "changed my mind")))
    assert response.status_code == 302
    assert Scorecard.objects.get().ratings.get(competency__key="empathy").rating == 4


def test_scorecard_form_keeps_input_and_explains_missing_evidence(client, interviewer_x, interview_a, application_a):
    client.force_login(interviewer_x)
    response = client.post(
        reverse("hiring:scorecard_create", kwargs={"pk": interview_a.pk}),
        _scorecard_post(application_a, recommendation="", empathy=("4", ""), listening=("2", "Kept interrupting")),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Note the evidence behind this rating." in body
    assert "Kept interrupting" in body
    assert "This field is required." in body
    assert not Scorecard.objects.exists()


def test_blind_interviewer_does_not_see_decision_reasons(
    client, recruiter, interviewer_x, interviewer_y, interview_a, application_a
):
    from hiring.candidates.services import decide

    submit(interview_a, interviewer_y, empathy=5, evidence="warm")  # an offer rests on a submitted scorecard
    decide(actor=recruiter, application=application_a, to_stage="offer", reason="Panel loved her empathy")
    client.force_login(interviewer_x)
    body = client.get(reverse("hiring:application_detail", kwargs={"pk": application_a.pk})).content.decode()
    assert "Panel loved her empathy" not in body
    client.force_login(recruiter)
    body = client.get(reverse("hiring:application_detail", kwargs={"pk": application_a.pk})).content.decode()
    assert "Panel loved her empathy" in body


def test_list_pages_say_how_many_rows_match(client, recruiter, application_a):
    client.force_login(recruiter)
    assert "1 in total" in client.get(reverse("hiring:candidate_list")).content.decode()
