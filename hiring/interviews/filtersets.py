"""Filters for the interviews list."""

from datetime import datetime, time, timedelta

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import ScopedFilterSet, YesNoAnyWidget
from hiring.models import Interview
from hiring.positions.filtersets import position_choices

from .agenda import INTERVIEW_LENGTH, SCORECARD_DUE_AFTER_DAYS, Status

STATUS_CHOICES = [
    (Status.UPCOMING.value, _("Upcoming")),
    (Status.DUE.value, _("Scorecard due")),
    (Status.OVERDUE.value, _("Scorecard overdue")),
    (Status.SUBMITTED.value, _("Scorecard submitted")),
    (Status.CANCELLED.value, _("Cancelled")),
]


class InterviewFilterSet(ScopedFilterSet):
    position = django_filters.ModelChoiceFilter(
        label=_("Position"), queryset=position_choices, field_name="application__position"
    )
    upcoming = django_filters.BooleanFilter(label=_("Upcoming only"), method="only_upcoming", widget=YesNoAnyWidget)

    class Meta:
        model = Interview
        fields = ["position", "upcoming"]

    def only_upcoming(self, queryset, name, value):
        return queryset.filter(scheduled_at__gte=timezone.now()) if value else queryset


def by_status(queryset, status: str, now: datetime):
    """Interviews (annotated `submitted_by_me`) in one agenda status for the user; see agenda.interview_status."""
    held = Q(scheduled_at__lte=now - INTERVIEW_LENGTH)
    # overdue: the local day of the interview is before yesterday (due the day after, see scorecard_due_on)
    yesterday = timezone.localdate(now) - timedelta(days=SCORECARD_DUE_AFTER_DAYS)
    late = Q(scheduled_at__lt=datetime.combine(yesterday, time.min, tzinfo=timezone.get_current_timezone()))
    open_ = Q(cancelled_at__isnull=True, submitted_by_me=False)
    return queryset.filter(
        {
            Status.UPCOMING: open_ & ~held,
            Status.DUE: open_ & held & ~late,
            Status.OVERDUE: open_ & held & late,
            Status.SUBMITTED: Q(submitted_by_me=True),
            Status.CANCELLED: Q(cancelled_at__isnull=False),
        }[Status(status)]
    )


class MyInterviewFilterSet(ScopedFilterSet):
    """The one filter on "My interviews": where each interview stands for the user (a dropdown)."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="with_status", empty_label=_("Any status")
    )

    class Meta:
        model = Interview
        fields = ["status"]

    def with_status(self, queryset, name, value):
        return by_status(queryset, value, timezone.now())
