import datetime as dt

import pytest

from tests.factories import UserFactory

from .factories import ApplicationFactory, InterviewFactory, PositionFactory


@pytest.fixture
def interviewer_x(mfa_off):
    return UserFactory(email="x@example.com", name="Xena Interviewer")


@pytest.fixture
def interviewer_y(mfa_off):
    return UserFactory(email="y@example.com", name="Yuri Interviewer")


@pytest.fixture
def position_a(team_a, interviewer_x, interviewer_y):
    return PositionFactory(team=team_a, title="Care agent", interviewers=[interviewer_x, interviewer_y])


@pytest.fixture
def application_a(position_a):
    return ApplicationFactory(position=position_a, candidate__name="Carla Candidate", applied_on=dt.date(2026, 2, 1))


@pytest.fixture
def interview_a(application_a, interviewer_x, interviewer_y):
    return InterviewFactory(
        application=application_a, title="Panel interview", interviewers=[interviewer_x, interviewer_y]
    )


@pytest.fixture
def reauthenticate():
    """Log a user in and pass allauth's re-authentication, as before exporting personal data."""
    from django.urls import reverse

    def _reauthenticate(client, user):
        client.force_login(user)
        response = client.post(reverse("account_reauthenticate"), {"password": "pw-for-tests-1"})
        assert response.status_code == 302
        return client

    return _reauthenticate
