"""Tables of interviews (each HTML `render_<col>` has a `value_<col>` twin for exports)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import BaseTable, DateTimeColumn
from hiring.models import Interview

from .agenda import Status, interview_status
from .filtersets import STATUS_CHOICES

STATUS_LABELS = dict(STATUS_CHOICES)
STATUS_BADGES = {
    Status.UPCOMING: "status-neutral",
    Status.DUE: "status-amber",
    Status.OVERDUE: "status-red",
    Status.SUBMITTED: "status-green",
    Status.CANCELLED: "status-neutral",
}


class InterviewTable(BaseTable):
    scheduled_at = DateTimeColumn(
        verbose_name=_("When"), format="Y-m-d H:i", linkify=lambda record: record.get_absolute_url()
    )
    candidate = tables.Column(verbose_name=_("Candidate"), accessor="application__candidate__name")
    position = tables.Column(verbose_name=_("Position"), accessor="application__position__title")
    interviewer_names = tables.Column(verbose_name=_("Interviewers"), empty_values=(), orderable=False)
    is_mine = tables.BooleanColumn(verbose_name=_("Assigned to me"))
    submitted_by_me = tables.Column(verbose_name=_("My scorecard"), empty_values=())

    class Meta(BaseTable.Meta):
        model = Interview
        fields = ("scheduled_at", "title", "candidate", "position", "interviewer_names", "is_mine", "submitted_by_me")

    def render_interviewer_names(self, record):
        return ", ".join(str(u) for u in record.interviewers.all())

    def value_interviewer_names(self, record):
        return self.render_interviewer_names(record)

    def render_submitted_by_me(self, record):
        if record.submitted_by_me:
            return format_html('<span class="badge status-green">{}</span>', _("Submitted"))
        if record.cancelled_at is not None:
            return format_html('<span class="badge status-neutral">{}</span>', _("Cancelled"))
        if record.is_mine:
            url = reverse("hiring:scorecard_create", kwargs={"pk": record.pk})
            return format_html('<a class="btn btn-sm btn-primary" href="{}">{}</a>', url, _("Fill in"))
        return "—"

    def value_submitted_by_me(self, record):
        if record.submitted_by_me:
            return "submitted"
        if record.cancelled_at is not None:
            return "cancelled"
        return "due" if record.is_mine else ""


class MyInterviewTable(InterviewTable):
    """The user's own interviews, with where each stands for them (upcoming, scorecard due or overdue, ...)."""

    status = tables.Column(verbose_name=_("Status"), empty_values=(), orderable=False)

    class Meta(InterviewTable.Meta):
        fields = ("scheduled_at", "title", "candidate", "position", "interviewer_names", "status", "submitted_by_me")
        exclude = ("is_mine",)

    def _status(self, record) -> Status:
        now = timezone.now()
        return interview_status(
            scheduled_at=record.scheduled_at,
            interview_day=timezone.localdate(record.scheduled_at),
            now=now,
            today=timezone.localdate(now),
            is_cancelled=record.cancelled_at is not None,
            has_submitted=record.submitted_by_me,
        )

    def render_status(self, record):
        status = self._status(record)
        return format_html('<span class="badge {}">{}</span>', STATUS_BADGES[status], STATUS_LABELS[status])

    def value_status(self, record):
        return self._status(record).value
