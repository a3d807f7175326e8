"""Monthly rollups: the raw sums of one team's measurements for one KPI, channel and month.

Scorecards over whole months read these instead of the daily rows (`scorecards.sums`). Every write path
recomputes the touched keys in the same transaction (`measurements.rollups`); a nightly job compares them
with the daily rows. The sums do not depend on the KPI's aggregation: each KPI's reader picks its fields.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from .kpis import Channel, Kpi
from .org import Team


def _sum(label: Any, digits: int = 30) -> models.DecimalField:
    return models.DecimalField(label, max_digits=digits, decimal_places=6, null=True, blank=True)


class MonthlyRollup(models.Model):
    """Sums of the daily rows of (team, KPI, channel, month); NULL where every daily figure was empty.

    `mean_first` is sum(numerator, else value x n) and `mean_n` sum(n) over rows with a value (n =
    sample_size, 1 when empty): the two sums of a mean KPI. `first_day`/`last_day` bound the rows' dates,
    for the stock KPIs' edges.
    """

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="+")
    kpi = models.ForeignKey(Kpi, verbose_name=_("KPI"), on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    month = models.DateField(_("month"), help_text=_("The month's first day."))
    rows = models.PositiveIntegerField(_("rows"))
    value = _sum(_("sum of values"))
    mean_first = _sum(_("sum of value x n"))
    mean_n = models.PositiveBigIntegerField(_("sum of n"), default=0)
    numerator = _sum(_("sum of numerators"))
    denominator = _sum(_("sum of denominators"))
    sample_size = models.PositiveBigIntegerField(_("sum of sample sizes"), null=True, blank=True)
    sampled_rows = models.PositiveIntegerField(_("rows with a sample size"), default=0)
    sum_squares = _sum(_("sum of squares"), 32)
    squared_rows = models.PositiveIntegerField(_("rows with a sum of squares"), default=0)
    gained = models.PositiveBigIntegerField(_("customers gained"), null=True, blank=True)
    lost = models.PositiveBigIntegerField(_("customers lost"), null=True, blank=True)
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("monthly rollup")
        verbose_name_plural = _("monthly rollups")
        constraints = [
            models.UniqueConstraint(fields=["team", "kpi", "channel", "month"], name="monthly_rollup_unique_key"),
        ]
        # The read path filters on months and KPIs and groups by team: (month, kpi) leads.
        indexes = [models.Index(fields=["month", "kpi", "team"], name="monthly_rollup_read")]

    def __str__(self) -> str:
        return f"{self.team_id} {self.kpi_id} {self.channel} {self.month:%Y-%m}"
