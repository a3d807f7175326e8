"""Incentive plans tied to KPIs, their payout runs, lines and corrections.

Approved and paid runs are immutable: their rows refuse `save()`, `delete()` and queryset
`update()`/`delete()`/`bulk_create()`; the only change left is approved -> paid, made by
`services.mark_payout_run_paid`. Corrections are `Adjustment` rows with a reason.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.money import POINTS
from culture.models import Department, Kpi, Membership, Period, Person, Team

from .calculations import Curve, curve_errors


class ImmutableRunError(Exception):
    """Raised when anything tries to change an approved or paid payout run."""


LOCKED_STATUSES = ("approved", "paid")


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
        parents = dict(Department.objects.values_list("pk", "parent_id"))
        departments: set[int] = set()
        for _team, department in teams:
            node = department
            while node is not None and node not in departments:  # the team's department and its ancestors
                departments.add(node)
                node = parents.get(node)
        lines = PayoutLine.objects.visible_to(user).values("run__plan_id")
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
        return self.pk is not None and self.runs.filter(status__in=LOCKED_STATUSES).exists()

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
        return self.kpi.code.upper() if self.kpi_id else "Composite"

    @property
    def lower_is_better(self) -> bool:
        return bool(self.kpi_id and self.kpi.direction == Kpi.Direction.LOWER)

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
        if (self.min_sample or self.min_response_rate_pct) and not (self.kpi_id and self.kpi.survey):
            errors["min_sample"] = "Minimum sample and response rate apply to survey KPIs (NPS, CSAT, CES) only."
        if self.min_response_rate_pct is not None and not Decimal(0) < self.min_response_rate_pct <= 100:
            errors["min_response_rate_pct"] = "The response rate is a percentage above 0 and at most 100."
        if errors:
            raise ValidationError(errors)


class PayoutRunQuerySet(models.QuerySet["PayoutRun"]):
    def visible_to(self, user) -> PayoutRunQuerySet:
        """Executives see every run; others the runs holding a line they may see."""
        if not user.is_authenticated:
            return self.none()
        if user.is_executive:
            return self.all()
        return self.filter(pk__in=PayoutLine.objects.visible_to(user).values("run_id"))

    def locked(self) -> PayoutRunQuerySet:
        return self.filter(status__in=LOCKED_STATUSES)

    def update(self, **kwargs):
        if self.locked().exists():
            raise ImmutableRunError("Approved and paid payout runs cannot be changed.")
        return super().update(**kwargs)

    def delete(self):
        if self.locked().exists():
            raise ImmutableRunError("Approved and paid payout runs cannot be deleted.")
        return super().delete()


class PayoutRun(models.Model):
    """One computation of a plan's payouts: draft (re-runnable) -> approved (immutable) -> paid."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        PAID = "paid", _("Paid")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="runs")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    currency = models.CharField(_("currency"), max_length=3)
    total = models.DecimalField(_("total"), max_digits=16, decimal_places=3, default=0)
    line_count = models.PositiveIntegerField(_("lines"), default=0)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("prepared by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("paid by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = PayoutRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("payout run")
        verbose_name_plural = _("payout runs")
        permissions = [
            ("approve_payoutrun", _("Can approve a payout run")),
            ("pay_payoutrun", _("Can mark a payout run paid")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="payout_run_approved_has_approver",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=models.F("prepared_by")),
                name="payout_run_four_eyes",
            ),
        ]

    def __str__(self) -> str:
        return f"Run #{self.pk} of {self.plan}"

    def save(self, *args, **kwargs) -> None:
        stored = self._stored_status()
        paying = stored == self.Status.APPROVED and self.status == self.Status.PAID
        if stored in LOCKED_STATUSES and not (
            paying and set(kwargs.get("update_fields") or ()) == {"status", "paid_by", "paid_at"}
        ):
            raise ImmutableRunError(f"Run #{self.pk} is {stored}: it cannot be changed; add an adjustment instead.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("incentives:run_detail", kwargs={"pk": self.pk})

    def delete(self, *args, **kwargs):
        if self._stored_status() in LOCKED_STATUSES:
            raise ImmutableRunError(f"Run #{self.pk} is approved: it cannot be deleted.")
        return super().delete(*args, **kwargs)

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED_STATUSES

    def _stored_status(self) -> str | None:
        if self.pk is None:
            return None
        return type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()


def _refuse_if_locked(run_ids) -> None:
    if PayoutRun.objects.filter(pk__in=set(run_ids), status__in=LOCKED_STATUSES).exists():
        raise ImmutableRunError("Lines of approved and paid payout runs cannot be changed.")


class RunRowQuerySet(models.QuerySet):
    """Bulk paths of rows that belong to a run (`run_id`): refused once the run is approved or paid."""

    def update(self, **kwargs):
        _refuse_if_locked(self.values_list("run_id", flat=True).distinct())
        return super().update(**kwargs)

    def delete(self):
        _refuse_if_locked(self.values_list("run_id", flat=True).distinct())
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        _refuse_if_locked(obj.run_id for obj in objs)
        return super().bulk_create(objs, *args, **kwargs)


class PayoutBreakdown(models.Model):
    """The stints behind a line, stored once per run for all its lines with the same stints and target amount.

    In a run of 10,000 people most of a team earns exactly the same, so the run stores a few hundred
    explained breakdowns instead of one explained stint per person (see README, payout benchmark).
    """

    run = models.ForeignKey(PayoutRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="breakdowns")

    objects = RunRowQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("payout breakdown")
        verbose_name_plural = _("payout breakdowns")

    def __str__(self) -> str:
        return f"Breakdown #{self.pk} of run {self.run_id}"

    def save(self, *args, **kwargs) -> None:
        _refuse_if_locked([self.run_id])
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_if_locked([self.run_id])
        return super().delete(*args, **kwargs)


class PayoutLineQuerySet(RunRowQuerySet):
    def visible_to(self, user) -> PayoutLineQuerySet:
        """Executives see all lines; leads those with a stint in a team they lead; everyone their own once approved.

        Draft lines may still change, so an employee sees their statement when the run is approved.
        """
        if not user.is_authenticated:
            return self.none()
        if user.is_executive:
            return self.all()
        led = Team.objects.led_by(user)
        own = Q(person__user=user, run__status__in=LOCKED_STATUSES)
        return self.filter(own | Q(breakdown__in=PayoutStint.objects.filter(team__in=led).values("breakdown_id")))


class PayoutLine(models.Model):
    """One person's payout in a run: the once-rounded amount and the numbers behind it."""

    # No index of its own: the unique (run, person) index serves every lookup by run.
    run = models.ForeignKey(
        PayoutRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="lines", db_index=False
    )
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(
        Team, verbose_name=_("main team"), on_delete=models.PROTECT, related_name="+", help_text=_("Most days.")
    )
    breakdown = models.ForeignKey(
        PayoutBreakdown, verbose_name=_("breakdown"), on_delete=models.RESTRICT, related_name="lines"
    )
    target_amount = models.DecimalField(_("target amount"), max_digits=12, decimal_places=2)
    proration = models.DecimalField(_("proration"), max_digits=9, decimal_places=6)
    exact_amount = models.DecimalField(_("exact amount"), max_digits=24, decimal_places=10)
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=3)

    objects = PayoutLineQuerySet.as_manager()

    class Meta:
        ordering = ["person__name", "pk"]
        verbose_name = _("payout line")
        verbose_name_plural = _("payout lines")
        constraints = [models.UniqueConstraint(fields=["run", "person"], name="payout_line_unique_person")]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.amount}"

    def save(self, *args, **kwargs) -> None:
        _refuse_if_locked([self.run_id])
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("incentives:statement", kwargs={"pk": self.pk})

    @property
    def stints(self):
        """The line's stints, one per team (shared with the run's other lines of the same breakdown)."""
        return self.breakdown.stints

    def delete(self, *args, **kwargs):
        _refuse_if_locked([self.run_id])
        return super().delete(*args, **kwargs)


class PayoutStintQuerySet(models.QuerySet["PayoutStint"]):
    def update(self, **kwargs):
        _refuse_if_locked(self.values_list("breakdown__run_id", flat=True).distinct())
        return super().update(**kwargs)

    def delete(self):
        _refuse_if_locked(self.values_list("breakdown__run_id", flat=True).distinct())
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        breakdown_ids = {obj.breakdown_id for obj in objs}
        _refuse_if_locked(PayoutBreakdown.objects.filter(pk__in=breakdown_ids).values_list("run_id", flat=True))
        return super().bulk_create(objs, *args, **kwargs)


class PayoutStint(models.Model):
    """The part of a breakdown earned in one team: days, and each component's actual, curve point, % and amount."""

    breakdown = models.ForeignKey(
        PayoutBreakdown, verbose_name=_("breakdown"), on_delete=models.CASCADE, related_name="stints"
    )
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="+")
    days = models.PositiveSmallIntegerField(_("days"))
    proration = models.DecimalField(_("proration"), max_digits=9, decimal_places=6)
    gates_met = models.BooleanField(_("gates met"))
    exact_amount = models.DecimalField(_("exact amount"), max_digits=24, decimal_places=10)
    components = models.JSONField(_("components"), default=list)

    objects = PayoutStintQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("payout stint")
        verbose_name_plural = _("payout stints")
        indexes = [models.Index(fields=["team", "breakdown"])]

    def __str__(self) -> str:
        return f"{self.breakdown_id} in {self.team_id} ({self.days} days)"

    def save(self, *args, **kwargs) -> None:
        _refuse_if_locked(PayoutBreakdown.objects.filter(pk=self.breakdown_id).values_list("run_id", flat=True))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_if_locked(PayoutBreakdown.objects.filter(pk=self.breakdown_id).values_list("run_id", flat=True))
        return super().delete(*args, **kwargs)


class AdjustmentQuerySet(models.QuerySet["Adjustment"]):
    def visible_to(self, user) -> AdjustmentQuerySet:
        if not user.is_authenticated:
            return self.none()
        if user.is_executive:
            return self.all()
        return self.filter(person__in=Person.objects.visible_to(user))

    def update(self, **kwargs):
        raise ImmutableRunError("Adjustments are append-only: add a reversing adjustment instead.")

    def delete(self):
        raise ImmutableRunError("Adjustments are append-only: add a reversing adjustment instead.")


class Adjustment(models.Model):
    """A correction to an approved run: a signed amount for a person, with the reason. Append-only."""

    run = models.ForeignKey(PayoutRun, verbose_name=_("run"), on_delete=models.PROTECT, related_name="adjustments")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=3)
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    objects = AdjustmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="adjustment_has_reason"),
            models.CheckConstraint(condition=~Q(amount=0), name="adjustment_not_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} for {self.person_id}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ImmutableRunError("Adjustments are append-only: add a reversing adjustment instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRunError("Adjustments are append-only: add a reversing adjustment instead.")
