"""seed_demo's pulses: closed quarterly pulses whose engagement follows the teams' customer NPS, with noise."""

import datetime as dt
import statistics

import pytest
from django.core.management import call_command
from django.db.models import Avg

from culture.models import Pulse, PulseAnswer, PulseInvitation
from culture.pulse.demo import _team_nps
from culture.pulse.results import closed_pulses
from culture.pulse.schedule import publish_due_repeats

pytestmark = pytest.mark.django_db


def test_seeded_engagement_relates_to_the_teams_customer_nps_with_noise():
    call_command("seed_demo", teams=12, people_per_team=8, months=13, seed=5)

    assert Pulse.objects.count() == 5 and closed_pulses().count() == 4
    open_pulse = Pulse.objects.exclude(pk__in=closed_pulses()).get()
    assert not PulseInvitation.objects.filter(pulse=open_pulse, has_answered=True).exists()
    engagement, customer = [], []
    for pulse in closed_pulses():
        nps = _team_nps(
            list(pulse.teams.values_list("pk", flat=True)), pulse.opens_on - dt.timedelta(days=90), pulse.opens_on
        )
        means = (
            PulseAnswer.objects.filter(pulse=pulse, question__kind="enps").values("team_id").annotate(m=Avg("score"))
        )
        for row in means:
            engagement.append(float(row["m"]))
            customer.append(nps[row["team_id"]])
    r = statistics.correlation(engagement, customer)
    assert 0.3 < r < 0.95, r  # related, and not perfectly: there is noise
    answered = PulseInvitation.objects.filter(pulse__in=closed_pulses(), has_answered=True).count()
    assert PulseAnswer.objects.filter(pulse__in=closed_pulses()).values("response").distinct().count() == answered
    assert publish_due_repeats() == []  # the seeded pulses form a chain: the schedule adds none of them again
