"""seed_demo's hiring part: positions, ~60 candidates with interviews, scorecards and 90-day reviews."""

import datetime as dt

import pytest
from django.core.management import call_command

from culture.models import Membership
from hiring.insights.calibration import calibration_of
from hiring.models import Application, Candidate, HireReview, Position, RubricVersion, Scorecard
from users.models import User

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_a_hiring_pipeline(capsys):
    call_command("seed_demo", teams=6, people_per_team=6)
    assert "Seeded 4 positions and 60 candidates." in capsys.readouterr().out
    assert RubricVersion.objects.get().competencies.count() == 6
    assert Position.objects.count() == 4
    assert Candidate.objects.count() == 60
    stages = set(Application.objects.values_list("stage", flat=True))
    assert stages == set(Application.Stage.values)
    assert Scorecard.objects.count() > 60
    assert HireReview.objects.count() >= 5
    lead = User.objects.get(email="lead@centric.demo")
    assert Position.objects.visible_to(lead).count() == 1
    assert User.objects.get(email="panel1@centric.demo").hiring_interviews.exists()


def test_demo_interviewers_show_up_as_lenient_and_harsh():
    call_command("seed_demo", teams=6, people_per_team=6)
    leanings = {
        c.leaning for c in calibration_of(Scorecard.objects.prefetch_related("ratings").select_related("interview"))
    }
    assert {"lenient", "harsh"} <= leanings


def test_some_demo_candidates_are_past_retention():
    call_command("seed_demo", teams=6, people_per_team=6)
    from django.utils import timezone

    assert Candidate.objects.expired(timezone.localdate()).count() == 3


def test_demo_hires_are_members_of_their_positions_team_with_a_scheduled_review():
    """The demo hires the way the Hire action does: a person in the position's team from the first day."""
    call_command("seed_demo", teams=6, people_per_team=6)
    hires = list(Application.objects.filter(stage=Application.Stage.HIRED).select_related("candidate", "position"))
    assert len(hires) == 14  # STAGE_MIX hires 14 of every 60 candidates
    for application in hires:
        assert application.person is not None, f"hire {application.pk} is nobody in the org"
        assert application.person.name == application.candidate.name
        [spell] = application.person.memberships.all()
        assert (spell.team_id, spell.role, spell.start) == (
            application.position.team_id,
            Membership.Role.MEMBER,
            application.hired_on,
        )
        review = HireReview.objects.get(application=application)
        assert review.due_on == application.hired_on + dt.timedelta(days=90)
