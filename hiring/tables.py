"""Hiring tables: every HTML `render_<col>` has a `value_<col>` twin so exports stay clean."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import NUMERIC, BaseTable, DateColumn, DateTimeColumn

from .models import Candidate, Interview, Position, RubricVersion


class RubricVersionTable(BaseTable):
    rubric = tables.Column(
        verbose_name=_("Rubric"), accessor="rubric__name", linkify=lambda record: record.get_absolute_url()
    )
    number = tables.Column(verbose_name=_("Version"), attrs=NUMERIC)
    status = tables.Column(verbose_name=_("Status"))
    competency_count = tables.Column(verbose_name=_("Competencies"), attrs=NUMERIC)
    position_count = tables.Column(verbose_name=_("Positions"), attrs=NUMERIC)
    published_at = DateTimeColumn(verbose_name=_("Published"), format="Y-m-d", default="—")

    class Meta(BaseTable.Meta):
        model = RubricVersion
        fields = ("rubric", "number", "status", "competency_count", "position_count", "published_at")


class PositionTable(BaseTable):
    title = tables.Column(linkify=True)
    team = tables.Column(verbose_name=_("Team"), accessor="team__name")
    rubric_version = tables.Column(
        verbose_name=_("Rubric"), order_by=("rubric_version__rubric__name", "rubric_version__number")
    )
    bar_score = tables.Column(verbose_name=_("Bar"), attrs=NUMERIC)
    hiring_manager = tables.Column(verbose_name=_("Hiring manager"))
    application_count = tables.Column(verbose_name=_("Applications"), attrs=NUMERIC)
    open_count = tables.Column(verbose_name=_("In progress"), attrs=NUMERIC)

    class Meta(BaseTable.Meta):
        model = Position
        fields = (
            "title",
            "team",
            "status",
            "rubric_version",
            "bar_score",
            "hiring_manager",
            "application_count",
            "open_count",
            "opened_on",
        )


class CandidateTable(BaseTable):
    name = tables.Column(linkify=True)
    email = tables.Column()
    application_count = tables.Column(verbose_name=_("Applications"), attrs=NUMERIC)
    has_consent = tables.BooleanColumn(verbose_name=_("Consent"))
    retain_until = DateColumn(format="Y-m-d")
    anonymised_at = DateTimeColumn(verbose_name=_("Anonymised"), format="Y-m-d", default="—")

    class Meta(BaseTable.Meta):
        model = Candidate
        fields = (
            "name",
            "email",
            "phone",
            "source",
            "application_count",
            "has_consent",
            "retain_until",
            "anonymised_at",
        )


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
        if record.is_mine:
            url = reverse("hiring:scorecard_create", kwargs={"pk": record.pk})
            return format_html('<a class="btn btn-sm btn-primary" href="{}">{}</a>', url, _("Fill in"))
        return "—"

    def value_submitted_by_me(self, record):
        return "submitted" if record.submitted_by_me else ("due" if record.is_mine else "")


class ComparisonTable(BaseTable):
    """One row per application (dicts built by the view); competency columns are added per rubric."""

    candidate = tables.Column(verbose_name=_("Candidate"), linkify=lambda record: record["url"])
    stage = tables.Column(verbose_name=_("Stage"))
    scorecards = tables.Column(verbose_name=_("Scorecards"), attrs=NUMERIC)
    score = tables.Column(verbose_name=_("Score (0-100)"), attrs=NUMERIC, default="—")
    meets_bar = tables.Column(verbose_name=_("Meets bar"), empty_values=())
    disagreement = tables.Column(verbose_name=_("Panel disagrees"), empty_values=())
    recommendations = tables.Column(verbose_name=_("Recommendations"), orderable=False)

    class Meta(BaseTable.Meta):
        fields = ("candidate", "stage", "scorecards", "score", "meets_bar", "disagreement", "recommendations")
        order_by = ("-score",)

    def render_meets_bar(self, value):
        if value is None:
            return "—"
        css, label = ("status-green", _("yes")) if value else ("status-red", _("no"))
        return format_html('<span class="badge {}">{}</span>', css, label)

    def value_meets_bar(self, value):
        return "" if value is None else ("yes" if value else "no")

    def render_disagreement(self, value):
        if not value:
            return "—"
        return format_html(
            '<span class="badge status-amber" title="{}">{}</span>', _("Ratings differ by 2+ points"), ", ".join(value)
        )

    def value_disagreement(self, value):
        return ", ".join(value)


def competency_column(name: str) -> tables.Column:
    return tables.Column(verbose_name=name, attrs=NUMERIC, default="—")


class CalibrationTable(BaseTable):
    interviewer = tables.Column(verbose_name=_("Interviewer"))
    applications = tables.Column(verbose_name=_("Candidates"), attrs=NUMERIC)
    compared_ratings = tables.Column(verbose_name=_("Ratings compared"), attrs=NUMERIC)
    mean_distance = tables.Column(verbose_name=_("Mean distance from panel"), attrs=NUMERIC)
    mean_offset = tables.Column(verbose_name=_("Mean offset (+ lenient, - harsh)"), attrs=NUMERIC)
    leaning = tables.Column(verbose_name=_("Leaning"))

    class Meta(BaseTable.Meta):
        fields = ("interviewer", "applications", "compared_ratings", "mean_distance", "mean_offset", "leaning")
        order_by = ("-mean_distance",)
        empty_text = _("No interviewer shares a panel with another yet.")
