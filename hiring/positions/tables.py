"""Tables of positions and the candidate comparison (each HTML `render_<col>` has a `value_<col>` twin for exports)."""

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.tables import NUMERIC, BaseTable
from hiring.models import Position


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


class ComparisonTable(BaseTable):
    """One row per application (dicts built by the view); competency columns are added per rubric."""

    candidate = tables.Column(verbose_name=_("Candidate"), linkify=lambda record: record["url"])
    stage = tables.Column(verbose_name=_("Stage"))
    scorecards = tables.Column(verbose_name=_("Scorecards"), attrs=NUMERIC)
    score = tables.Column(verbose_name=_("Score (0-100)"), attrs=NUMERIC, default="—")
    meets_bar = tables.Column(verbose_name=_("Meets bar"), empty_values=())
    disagreement = tables.Column(verbose_name=_("Panel disagrees"), empty_values=())
    recommendations = tables.Column(verbose_name=_("Recommendations"), orderable=False)
    exception = tables.Column(verbose_name=_("Below the bar because"), orderable=False, default="—")

    class Meta(BaseTable.Meta):
        fields = (
            "candidate",
            "stage",
            "scorecards",
            "score",
            "meets_bar",
            "disagreement",
            "recommendations",
            "exception",
        )
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
