"""Calendar invitations (.ics) for interviews: one stable UID per interview, SEQUENCE raised on every
change, METHOD:CANCEL on cancellation, times in the company's time zone (settings.TIME_ZONE) with its
VTIMEZONE, so a calendar shows 10:00 as 10:00 on either side of a daylight-saving change."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.utils import timezone

from .agenda import INTERVIEW_LENGTH


def interview_uid(interview) -> str:
    host = settings.CENTRIC_BASE_URL.split("://", 1)[-1].split("/", 1)[0] or "centric"
    return f"hiring-interview-{interview.pk}@{host}"


def interview_ics(interview, *, cancel: bool = False) -> str:
    """The interview as an iCalendar text: METHOD:REQUEST, or METHOD:CANCEL (STATUS:CANCELLED)."""
    zone = ZoneInfo(settings.TIME_ZONE)
    start = timezone.localtime(interview.scheduled_at, zone)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Centric//Hiring//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancel else "REQUEST")
    event = icalendar.Event()
    event.add("uid", interview_uid(interview))
    event.add("sequence", interview.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start)
    event.add("dtend", start + INTERVIEW_LENGTH)
    event.add("summary", interview.title)
    event.add("status", "CANCELLED" if cancel else "CONFIRMED")
    event.add("url", settings.CENTRIC_BASE_URL.rstrip("/") + interview.get_absolute_url())
    for user in interview.interviewers.all():
        event.add("attendee", f"mailto:{user.email}")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()


def ics_attachment(interview, *, cancel: bool = False) -> dict[str, str]:
    method = "CANCEL" if cancel else "REQUEST"
    return {
        "filename": f"interview-{interview.pk}.ics",
        "content": interview_ics(interview, cancel=cancel),
        "mimetype": f"text/calendar; method={method}",
    }
