"""Hiring's answer to core.due: a person's interviews today and ahead, their scorecards due, and the 90-day
reviews of hires they rate (the team's lead or the hiring manager). Three queries, however much is due."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.due import DueItem
from culture.models import Team

from .interviews.agenda import INTERVIEW_LENGTH, scorecard_due_on
from .interviews.services import HIRE_REVIEW_AFTER_DAYS
from .models import Application, HireReview, Interview, Scorecard

UPCOMING_DAYS = 14  # interviews further ahead are on "My interviews", not on the home page
REVIEW_NOTICE_DAYS = 14  # a 90-day review shows this long before it opens


def due_for(user) -> list[DueItem]:
    now = timezone.now()
    today = timezone.localdate(now)
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
    hired_by = today + dt.timedelta(days=REVIEW_NOTICE_DAYS) - dt.timedelta(days=HIRE_REVIEW_AFTER_DAYS)
    reviews = (
        Application.objects.filter(stage=Application.Stage.HIRED, hired_on__lte=hired_by)
        .filter(Q(position__hiring_manager=user) | Q(position__team__in=Team.objects.led_by(user)))
        .exclude(Exists(HireReview.objects.filter(application_id=OuterRef("pk"))))
        .select_related("candidate")
        .order_by("hired_on", "pk")
    )
    for application in reviews:
        if application.hired_on is None:  # a hire always has the date (a constraint); for the type checker
            continue
        title = _("90-day review of %(name)s") % {"name": application.candidate.name}
        url = reverse("hiring:hirereview_create", kwargs={"pk": application.pk})
        due_on = application.hired_on + dt.timedelta(days=HIRE_REVIEW_AFTER_DAYS)
        items.append(DueItem("hiring.hire_review", title, url, section, due_on))
    return items
