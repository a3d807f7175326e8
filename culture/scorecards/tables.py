"""Tables of the scorecard pages: team scorecards side by side, targets, periods and the review status."""

from __future__ import annotations

from collections.abc import Iterable

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.tables import NUMERIC, BaseTable, DateColumn, DateTimeColumn

from ..models import Period, Target
from ..templatetags.scorecards import figure, line_value, short_name
from .calculations import KpiLine
from .status import label


class KpiColumn(tables.Column):
    """One KPI's actual, coloured by status; exports the plain number."""

    def __init__(self, line: KpiLine, **kwargs):
        self.decimals = line.decimals
        super().__init__(
            verbose_name=short_name(line),
            accessor=f"kpi_{line.kpi_code}__actual",
            order_by=(f"kpi_{line.kpi_code}__actual",),
            attrs=NUMERIC,
            default="—",
            **kwargs,
        )
        self.kpi_code = line.kpi_code
        self.key = f"kpi_{line.kpi_code}"
        self.labels: dict[tuple[str, str], str] = {}

    def render(self, value, record):
        line = record[self.key]
        return format_html(
            '<span class="status-{}" title="{}">{}</span>', line.status, self.label(line.status), line_value(line)
        )

    def label(self, status: str) -> str:
        """The status's word, translated once per language rather than once per cell."""
        key = (get_language(), status)
        if key not in self.labels:
            self.labels[key] = str(label(status))
        return self.labels[key]

    def value(self, value, record):
        return "" if value is None else value


def kpi_columns(lines: Iterable[KpiLine]) -> list[tuple[str, tables.Column]]:
    return [(f"kpi_{line.kpi_code}", KpiColumn(line)) for line in lines]


class ScorecardTable(BaseTable):
    team = tables.Column(verbose_name=_("Team"), order_by=("team__name",))
    department = tables.Column(verbose_name=_("Department"))
    composite = tables.Column(verbose_name=_("Composite"), attrs=NUMERIC, default="—")
    red = tables.Column(verbose_name=_("Off track"), attrs=NUMERIC)
    amber = tables.Column(verbose_name=_("At risk"), attrs=NUMERIC)
    green = tables.Column(verbose_name=_("On track"), attrs=NUMERIC)

    class Meta(BaseTable.Meta):
        fields = ("team", "department", "composite", "red", "amber", "green")
        order_by = ("team",)

    def render_team(self, value, record):
        url = reverse("culture:team_scorecard", args=[value.slug]) + f"?period={record['period']}"
        return format_html('<a href="{}">{}</a>', url, value.name)

    def value_team(self, value):
        return value.name

    def render_composite(self, value):
        return figure(value, 1)

    def value_composite(self, value):
        return "" if value is None else value


class TargetTable(BaseTable):
    kpi = tables.Column(verbose_name=_("KPI"), order_by=("kpi__code",))
    period = tables.Column(verbose_name=_("Period"), order_by=("period__start",))
    scope = tables.Column(verbose_name=_("Scope"), accessor="scope_label", orderable=False)
    target_value = tables.Column(attrs=NUMERIC)
    on_track_from = tables.Column(attrs=NUMERIC)
    off_track_from = tables.Column(attrs=NUMERIC)
    weight = tables.Column(attrs=NUMERIC)
    min_sample = tables.Column(attrs=NUMERIC)
    noise_by_interval = tables.BooleanColumn(verbose_name=_("Noise by interval"))
    edit = tables.Column(verbose_name="", accessor="pk", orderable=False, exclude_from_export=True)

    class Meta(BaseTable.Meta):
        model = Target
        fields = (
            "kpi",
            "period",
            "scope",
            "target_value",
            "on_track_from",
            "off_track_from",
            "weight",
            "min_sample",
            "noise_by_interval",
        )

    def render_kpi(self, value):
        return value.name

    def value_kpi(self, value):
        return value.code

    def render_period(self, value, record):
        notes = []
        if value.start > timezone.localdate():
            notes.append(str(_("future · no data yet")))
        if record.phased_from_id:
            notes.append(f"phased from {record.phased_from.period.code}")
        if not notes:
            return value.code
        return format_html('{} <span class="small text-body-secondary">({})</span>', value.code, "; ".join(notes))

    def value_period(self, value):
        return value.code

    def render_edit(self, value, record):
        if not self.context or not self.context.get("can_edit") or record.period.is_closed:
            return ""
        return format_html('<a href="{}">{}</a>', reverse("culture:target_update", args=[value]), _("Edit"))

    def _number(self, value):
        return f"{value.normalize():f}"

    render_target_value = render_on_track_from = render_off_track_from = _number


class PeriodTable(BaseTable):
    code = tables.Column(verbose_name=_("Period"), order_by=("start",))
    kind = tables.Column()
    start = DateColumn(format="Y-m-d")
    end = DateColumn(format="Y-m-d")
    status = tables.Column()
    closed_by = tables.Column(default="—")
    closed_at = DateTimeColumn(format="Y-m-d H:i", default="—")
    actions = tables.Column(verbose_name="", accessor="pk", orderable=False, exclude_from_export=True)

    class Meta(BaseTable.Meta):
        model = Period
        fields = ("code", "kind", "start", "end", "status", "closed_by", "closed_at")

    def render_code(self, value):
        url = reverse("culture:scorecard_home") + f"?period={value}"
        return format_html('<a href="{}">{}</a>', url, value)

    def value_code(self, value):
        return value

    def render_status(self, value, record):
        return format_html('<span class="badge status-{}">{}</span>', "neutral" if record.is_closed else "green", value)

    def render_actions(self, value, record):
        if record.is_closed or not self.context or not self.context.get("can_close"):
            return ""
        # The hidden period code tells a screen reader's link list which of the "Close…" links is which.
        return format_html(
            '<a class="btn btn-sm btn-outline-danger" href="{}">{}<span class="visually-hidden"> {}</span>…</a>',
            reverse("culture:period_close", args=[record.code]),
            _("Close"),
            record.code,
        )


class ReviewStatusTable(BaseTable):
    team = tables.Column(verbose_name=_("Team"), order_by=("team__name",))
    department = tables.Column(verbose_name=_("Department"))
    lead = tables.Column(verbose_name=_("Lead"), default="—")
    reviewed = tables.BooleanColumn(verbose_name=_("Reviewed"))
    submitted_at = DateTimeColumn(verbose_name=_("Submitted"), format="Y-m-d H:i", default="—")
    red = tables.Column(verbose_name=_("Red KPIs"), attrs=NUMERIC)
    red_without_action = tables.Column(verbose_name=_("Red without action"), default="—")

    class Meta(BaseTable.Meta):
        fields = ("team", "department", "lead", "reviewed", "submitted_at", "red", "red_without_action")
        order_by = ("reviewed", "team")

    def render_team(self, value, record):
        url = reverse("culture:team_scorecard", args=[value.slug]) + f"?period={record['period']}"
        return format_html('<a href="{}">{}</a>', url, value.name)

    def value_team(self, value):
        return value.name

    def render_red_without_action(self, value):
        return ", ".join(value) if value else "—"

    def value_red_without_action(self, value):
        return " ".join(value)
