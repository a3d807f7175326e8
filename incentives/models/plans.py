"""Incentive plans: who is eligible, per-person target overrides, and the KPI components with their payout curves."""

from __future__ import annotations

from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.money import POINTS
from culture.models import Department, Kpi, Membership, Period, Person, Team

from ..calculations import Curve, curve_errors


class PlanQuerySet(models.QuerySet["Plan"]):
    def visible_to(self, user) -> PlanQuerySet:
        """Executives see every plan; others the plans covering a team of theirs or holding a line they may see."""
        if not user.is_authenticated:
            return self.none()
        if user.is_executive:
            return self.all()
        # The user's own teams (not Team.visible_to: recruiters see every team's name, not its plans).
        own = Membership.objects.current().filter(person__user=user).values("team_id")
        teams = list(Team.objects.filter(pk__in=own).values_list("pk", "department_id"))
        # the teams' departments and their ancestors: a plan for a parent department covers its sub-departments
        departments = Department.objects.tree().with_ancestors(department for _team, department in teams)
        # by name: payouts.py imports this module (a run belongs to a plan)
        lines = apps.get_model("incentives", "PayoutLine").objects.visible_to(user).values("run__plan_id")
        everyone = Q(eligible_teams__isnull=True, eligible_departments__isnull=True)
        return self.filter(
            Q(pk__in=lines)
            | (everyone if teams else Q(pk__in=[]))
            | Q(eligible_teams__in=[pk for pk, _department in teams])
            | Q(eligible_departments__in=departments)
        ).distinct()


class Plan(models.Model):
    """An incentive plan for one period: who is eligible, how much is at stake and in what reward."""

    class RewardType(models.TextChoices):
        CASH = "cash", _("Cash")
        POINTS = "points", _("Points")
        GIFT_CARD = "gift_card", _("Gift card")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=120)
    period = models.ForeignKey(Period, verbose_name=_("period"), on_delete=models.PROTECT, related_name="+")
    reward_type = models.CharField(_("reward type"), max_length=10, choices=RewardType.choices)
    currency = models.CharField(
        _("currency"), max_length=3, default="EUR", help_text=_("ISO code for cash and gift cards; PTS for points.")
    )
    target_amount = models.DecimalField(
        _("target amount per person"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Paid in full when every component is exactly at target, for a full period."),
    )
    eligible_teams = models.ManyToManyField(Team, verbose_name=_("eligible teams"), blank=True, related_name="+")
    eligible_departments = models.ManyToManyField(
        Department,
        verbose_name=_("eligible departments"),
        blank=True,
        related_name="+",
        help_text=_("Includes their sub-departments. No team and no department: every team is eligible."),
    )
    eligible_roles = models.JSONField(
        _("eligible roles"), default=list, blank=True, help_text=_("Membership roles (member, lead); empty: all.")
    )
    status = models.CharField(_("status"), max_length=6, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-period__start", "name"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [models.CheckConstraint(condition=Q(target_amount__gte=0), name="plan_target_not_negative")]

    def __str__(self) -> str:
        return f"{self.name} ({self.period_id and self.period.code})"

    def get_absolute_url(self) -> str:
        return reverse("incentives:plan_detail", kwargs={"pk": self.pk})

    @property
    def is_locked(self) -> bool:
        """True once a run of the plan is approved or paid: its rules must keep explaining that run."""
        return self.pk is not None and self.runs.locked().exists()

    def clean(self) -> None:
        if self.reward_type == self.RewardType.POINTS and self.currency != POINTS:
            raise ValidationError({"currency": _("Points plans pay in PTS.")})
        if self.reward_type != self.RewardType.POINTS and (self.currency == POINTS or len(self.currency) != 3):
            raise ValidationError({"currency": _("Use a three-letter ISO currency code such as EUR.")})
        roles = set(self.eligible_roles or [])
        if not roles <= set(Membership.Role.values):
            raise ValidationError({"eligible_roles": _("Roles are member and lead.")})


class PlanOverride(models.Model):
    """A person's own target amount in a plan (part-timers, seniors)."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="overrides")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+")
    target_amount = models.DecimalField(
        _("target amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )

    class Meta:
        verbose_name = _("target override")
        verbose_name_plural = _("target overrides")
        constraints = [
            models.UniqueConstraint(fields=["plan", "person"], name="plan_override_unique_person"),
            models.CheckConstraint(condition=Q(target_amount__gte=0), name="plan_override_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.target_amount}"


class ComponentQuerySet(models.QuerySet["Component"]):
    def visible_to(self, user) -> ComponentQuerySet:
        """The components of the plans the user may see."""
        return self.filter(plan__in=Plan.objects.visible_to(user))


class Component(models.Model):
    """A KPI (or the composite score) at a level, with a weight, a payout curve and optional quality rules."""

    class Level(models.TextChoices):
        TEAM = "team", _("Team")
        DEPARTMENT = "department", _("Department")
        COMPANY = "company", _("Company")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="components")
    kpi = models.ForeignKey(
        Kpi,
        verbose_name=_("KPI"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the composite score (0-100)."),
    )
    level = models.CharField(_("measured at"), max_length=10, choices=Level.choices, default=Level.TEAM)
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, default=1, validators=[MinValueValidator(Decimal(0))]
    )
    threshold = models.DecimalField(_("threshold"), max_digits=14, decimal_places=4)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=4)
    stretch = models.DecimalField(_("stretch"), max_digits=14, decimal_places=4)
    threshold_payout_pct = models.DecimalField(_("payout at threshold (%)"), max_digits=6, decimal_places=2, default=50)
    stretch_payout_pct = models.DecimalField(_("payout at stretch (%)"), max_digits=6, decimal_places=2, default=150)
    cap_pct = models.DecimalField(_("cap (%)"), max_digits=6, decimal_places=2, default=150)
    is_gate = models.BooleanField(
        _("gate"), default=False, help_text=_("If this KPI misses its threshold the plan pays nothing.")
    )
    min_sample = models.PositiveIntegerField(_("minimum sample"), null=True, blank=True)
    min_response_rate_pct = models.DecimalField(
        _("minimum response rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = ComponentQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("component")
        verbose_name_plural = _("components")
        constraints = [models.CheckConstraint(condition=Q(weight__gte=0), name="component_weight_not_negative")]

    def __str__(self) -> str:
        return self.label

    @property
    def key(self) -> str:
        return str(self.pk)

    @property
    def label(self) -> str:
        return self.kpi.code.upper() if self.kpi is not None else "Composite"

    @property
    def lower_is_better(self) -> bool:
        return self.kpi is not None and self.kpi.direction == Kpi.Direction.LOWER

    def curve(self, *, lower_is_better: bool | None = None) -> Curve:
        return Curve(
            threshold=self.threshold,
            target=self.target,
            stretch=self.stretch,
            threshold_payout_pct=self.threshold_payout_pct,
            stretch_payout_pct=self.stretch_payout_pct,
            cap_pct=self.cap_pct,
            lower_is_better=self.lower_is_better if lower_is_better is None else lower_is_better,
        )

    def clean(self) -> None:
        if None in (self.threshold, self.target, self.stretch):
            return
        errors = curve_errors(self.curve())
        if (self.min_sample or self.min_response_rate_pct) and not (self.kpi is not None and self.kpi.survey):
            errors["min_sample"] = "Minimum sample and response rate apply to survey KPIs (NPS, CSAT, CES) only."
        if self.min_response_rate_pct is not None and not Decimal(0) < self.min_response_rate_pct <= 100:
            errors["min_response_rate_pct"] = "The response rate is a percentage above 0 and at most 100."
        if errors:
            raise ValidationError(errors)
