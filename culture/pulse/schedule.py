"""Repeating pulses: when a repeating pulse's next opening day has come, publish its successor (the same
teams, questions and length), once: `follows` is one-to-one, so a second run finds the successor and stops."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Pulse
from .calculations import add_months
from .services import publish_pulse


def publish_due_repeats(*, today: dt.date | None = None) -> list[Pulse]:
    """Publish every successor whose opening day is today or past; returns those published now."""
    today = today or timezone.localdate()
    published: list[Pulse] = []
    due = Pulse.objects.filter(repeat_every_months__isnull=False, successor__isnull=True).select_related(
        "library_version"
    )
    for pulse in due.order_by("opens_on", "pk"):
        months = pulse.repeat_every_months or 0
        opens_on = add_months(pulse.opens_on, months)
        if opens_on > today:
            continue
        teams = list(pulse.teams.filter(is_active=True))
        if not teams:
            continue
        try:
            with transaction.atomic():
                successor = publish_pulse(
                    actor=pulse.created_by,
                    title=pulse.title,
                    library_version=pulse.library_version,
                    teams=teams,
                    opens_on=opens_on,
                    closes_on=opens_on + (pulse.closes_on - pulse.opens_on),
                    repeat_every_months=months,
                    follows=pulse,
                )
        except IntegrityError:  # another run published it first
            continue
        published.append(successor)
    return published
