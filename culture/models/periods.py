"""Reporting periods (open or closed) and the targets set for them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..scorecards.periods import PeriodKind, parse_period
from .kpis import Kpi
from .org import Department, Team


class PeriodQuerySet(models.QuerySet["Period"]):
    def closed(self) -> PeriodQuerySet:
        return self.filter(status=Period.Status.CLOSED)

    def covering(self, day: dt.date) -> PeriodQuerySet:
        return self.filter(start__lte=day, end__gte=day)

    def get_or_create_for_code(self, code: str) -> tuple[Period, bool]:
        """The Period row for a code such as `2026-Q3`; ValueError for a malformed code."""
        span = parse_period(code)
        return self.get_or_create(code=span.code, defaults={"kind": span.kind, "start": span.start, "end": span.end})


class Period(models.Model):
    """A month, quarter or year. Closing it freezes its scorecards; later writes into it are refused."""

    class Kind(models.TextChoices):
        MONTH = PeriodKind.MONTH.value, _("Month")
        QUARTER = PeriodKind.QUARTER.value, _("Quarter")
        YEAR = PeriodKind.YEAR.value, _("Year")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    code = models.CharField(_("code"), max_length=7, unique=True)
    kind = models.CharField(_("kind"), max_length=7, choices=Kind.choices)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("closed by"), null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "kind"]
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        permissions = [("close_period", _("Can close a period"))]
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="period_end_after_start")]

    def __str__(self) -> str:
        return self.code

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class TargetQuerySet(models.QuerySet["Target"]):
    def visible_to(self, user) -> TargetQuerySet:
        """Executives see every target; others the targets applying to the scorecards they may see: the
        company's, those of their teams' departments and the departments above, and their teams' own."""
        if not user.is_authenticated:
            return self.none()
        if user.is_executive:
            return self.all()
        company = Q(team__isnull=True, department__isnull=True)
        if not user.has_perm("culture.view_scorecard"):
            return self.filter(company)
        teams = list(Team.objects.visible_to(user).values_list("pk", "department_id"))
        departments = Department.objects.tree().with_ancestors(department for _team, department in teams)
        return self.filter(company | Q(department__in=departments) | Q(team__in=[pk for pk, _dept in teams]))


class Target(models.Model):
    """What a KPI should reach in a period, at company, department or team scope (the most specific wins).

    Each threshold is named by the band it starts and its own value belongs to that band: on track at
    or better than `on_track_from`, off track at or worse than `off_track_from`, at risk strictly
    between ("better" follows the KPI's direction; `culture.scorecards.status`). Below `min_sample`
    responses, or with `noise_by_interval` when the survey's 95 % interval straddles a threshold, the
    status is "within noise", so a small team does not turn red on chance. `weight` counts in the
    composite score.
    """

    kpi = models.ForeignKey(Kpi, verbose_name=_("KPI"), on_delete=models.PROTECT, related_name="targets")
    period = models.ForeignKey(Period, verbose_name=_("period"), on_delete=models.PROTECT, related_name="targets")
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.CASCADE, related_name="targets"
    )
    target_value = models.DecimalField(_("target"), max_digits=14, decimal_places=4)
    on_track_from = models.DecimalField(_("on track from"), max_digits=14, decimal_places=4)
    off_track_from = models.DecimalField(_("off track from"), max_digits=14, decimal_places=4)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=1)
    min_sample = models.PositiveIntegerField(_("minimum sample"), default=0)
    planned_volume = models.DecimalField(
        _("planned volume"),
        max_digits=18,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_(
            "Planned denominator (ratio KPIs) or sample (mean KPIs): weighs this month in its quarter and year."
        ),
    )
    phased_from = models.ForeignKey(
        "self",
        verbose_name=_("phased from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="phased_months",
        help_text=_("The annual target this month's target was phased from; empty when set for the month itself."),
    )
    noise_by_interval = models.BooleanField(_("within noise when the interval straddles a threshold"), default=False)

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["period", "kpi"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(team__isnull=True) | Q(department__isnull=True), name="target_one_scope"
            ),
            models.CheckConstraint(condition=Q(weight__gte=0), name="target_weight_not_negative"),
            models.UniqueConstraint(
                fields=["kpi", "period"],
                condition=Q(team__isnull=True, department__isnull=True),
                name="target_unique_company",
            ),
            models.UniqueConstraint(
                fields=["kpi", "period", "department"], condition=Q(department__isnull=False), name="target_unique_dept"
            ),
            models.UniqueConstraint(
                fields=["kpi", "period", "team"], condition=Q(team__isnull=False), name="target_unique_team"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpi.code} {self.period} {self.scope_label}"

    @property
    def scope_label(self) -> str:
        if self.team_id:
            return str(self.team)
        if self.department_id:
            return str(self.department)
        return str(_("Company"))


class SeasonalProfile(models.Model):
    """Twelve monthly weights (January first) that phase an annual target into months."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    weights = models.JSONField(_("weights"), help_text=_("Twelve non-negative weights, January first, as strings."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("seasonal profile")
        verbose_name_plural = _("seasonal profiles")

    def __str__(self) -> str:
        return self.name

    @property
    def decimal_weights(self) -> list[Decimal]:
        return [Decimal(str(weight)) for weight in self.weights]
