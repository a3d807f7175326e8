"""Hiring's answer to core.due: a person's interviews today and ahead, their scorecards due, and the 90-day
reviews of hires they rate from the day each opens (interviews.due). Two queries, however much is due."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.due import DueItem

from .interviews.agenda import INTERVIEW_LENGTH, scorecard_due_on
from .interviews.due import hire_reviews_due_for
from .models import Interview, Scorecard

UPCOMING_DAYS = 14  # interviews further ahead are on "My interviews", not on the home page


def due_for(user) -> list[DueItem]:
    now = timezone.now()
    section = _("Hiring")
    items: list[DueItem] = []
    submitted = Scorecard.objects.filter(interview_id=OuterRef("pk"), interviewer_id=user.pk)
    interviews = (
        Interview.objects.filter(
            interviewers=user, cancelled_at__isnull=True, scheduled_at__lte=now + dt.timedelta(days=UPCOMING_DAYS)
        )
        .annotate(has_submitted=Exists(submitted))
        .filter(has_submitted=False)
        .select_related("application__candidate")
        .order_by("scheduled_at", "pk")
    )
    for interview in interviews:
        day = timezone.localdate(interview.scheduled_at)
        name = interview.application.candidate.name
        if now < interview.scheduled_at + INTERVIEW_LENGTH:
            title = _("Interview %(name)s at %(time)s (%(title)s)") % {
                "name": name,
                "time": timezone.localtime(interview.scheduled_at).strftime("%H:%M"),
                "title": interview.title,
            }
            items.append(DueItem("hiring.interview", title, interview.get_absolute_url(), section, day))
        else:
            title = _("Submit your scorecard for %(name)s (%(title)s)") % {"name": name, "title": interview.title}
            url = reverse("hiring:scorecard_create", kwargs={"pk": interview.pk})
            items.append(DueItem("hiring.scorecard", title, url, section, scorecard_due_on(day)))
    items.extend(hire_reviews_due_for(user))
    return items
