"""The access world's pulses: a closed pulse per team with enough anonymous answers for results to show."""

from __future__ import annotations

import datetime as dt
import uuid

from culture.models import PulseAnswer, PulseInvitation
from culture.pulse.services import install_standard_library, publish_pulse
from tests.factories import PersonFactory

CLOSES = dt.date(2026, 9, 30)
RESPONDENTS = 5


def closed_pulse(team, cco, title: str):
    """A pulse to `team` that closed on CLOSES, with RESPONDENTS anonymous answers of its own invitees."""
    pulse = publish_pulse(
        actor=cco,
        title=title,
        library_version=install_standard_library(actor=cco),
        teams=[team],
        opens_on=CLOSES - dt.timedelta(days=10),
        closes_on=CLOSES,
    )
    questions = list(pulse.library_version.questions.all())
    for n in range(RESPONDENTS):
        PulseInvitation.objects.create(pulse=pulse, person=PersonFactory(), team=team, has_answered=True)
        response = uuid.uuid4()
        PulseAnswer.objects.bulk_create(
            PulseAnswer(response=response, pulse=pulse, team=team, question=q, score=(n + 6 if q.kind == "enps" else 4))
            for q in questions
        )
    return pulse


def open_invitation(team, cco) -> PulseInvitation:
    """An invitation to a pulse open today, for a page that shows the answer form."""
    from django.utils import timezone

    today = timezone.localdate()
    pulse = publish_pulse(
        actor=cco,
        title="Open pulse",
        library_version=install_standard_library(actor=cco),
        teams=[team],
        opens_on=today,
        closes_on=today + dt.timedelta(days=5),
    )
    return pulse.invitations.first()
