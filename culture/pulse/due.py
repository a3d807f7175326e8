"""Pulse's answer to core.due: the open pulses a person was invited to and has not answered (one query)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from core.due import DueItem

from ..models import PulseInvitation
from .services import answer_url


def due_for(user) -> list[DueItem]:
    today = timezone.localdate()
    invitations = (
        PulseInvitation.objects.filter(
            person__user=user, has_answered=False, pulse__opens_on__lte=today, pulse__closes_on__gte=today
        )
        .select_related("pulse")
        .order_by("pulse__closes_on", "pk")
    )
    section = _("Culture")
    return [
        DueItem(
            "culture.pulse",
            _("Answer the pulse: %(title)s") % {"title": invitation.pulse.title},
            answer_url(invitation),
            section,
            invitation.pulse.closes_on,
        )
        for invitation in invitations
    ]
