"""Payout runs of a plan, their lines, breakdowns and stints, and corrections (adjustments).

Approved and paid runs are immutable: their rows refuse `save()`, `delete()` and queryset
`update()`/`delete()`/`bulk_create()`; the only change left is approved -> paid, made by
`services.mark_payout_run_paid`. Corrections are `Adjustment` rows with a reason.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Count, DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.aggregates import Exact, ExactSum
from culture.models import Person, Team, scorecard_teams

from .plans import Plan


class ImmutableRunError(Exception):
    """Raised when anything tries to change an approved or paid payout run."""


LOCKED_STATUSES = ("approved", "paid")


class PayoutRunQuerySet(models.QuerySet["PayoutRun"]):
    def visible_to(self, user) -> PayoutRunQuerySet:
        """Executives see every run; others the runs holding a line they may see."""
        if not user.is_authenticated:
            return self.none()
        if user.is_executive or user.has_perm("incentives.approve_payoutrun"):
            return self.all()
        return self.filter(pk__in=PayoutLine.objects.visible_to(user).values("run_id"))

    def with_adjustments(self) -> PayoutRunQuerySet:
        """Annotates `approved_adjustments` and `total_incl_adjustments` (lines + approved adjustments)."""
        approved = (
            Adjustment.objects.approved()
            .filter(run_id=OuterRef("pk"))
            .order_by()
            .values("run_id")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        money = DecimalField(max_digits=16, decimal_places=3)
        adjusted = Coalesce(Subquery(approved, output_field=money), Value(Decimal(0)), output_field=money)
        return self.annotate(approved_adjustments=Exact(adjusted, output_field=money)).annotate(
            total_incl_adjustments=Exact(F("total") + F("approved_adjustments"), output_field=money)
        )

    def awaiting_approval(self) -> PayoutRunQuerySet:
        """Calculated drafts whose preparer asked for approval."""
        return self.filter(status="draft", computed_at__isnull=False, approval_requested_at__isnull=False)

    def locked(self) -> PayoutRunQuerySet:
        return self.filter(status__in=LOCKED_STATUSES)

    def update(self, **kwargs):
        if self.locked().exists():
            raise ImmutableRunError(gettext("Approved and paid payout runs cannot be changed."))
        return super().update(**kwargs)

    def delete(self):
        if self.locked().exists():
            raise ImmutableRunError(gettext("Approved and paid payout runs cannot be deleted."))
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
    fingerprint = models.CharField(
        _("fingerprint"),
        max_length=64,
        blank=True,
        help_text=_("SHA-256 of the rules and inputs the run was calculated from; approval needs it unchanged."),
    )
    approval_requested_at = models.DateTimeField(_("approval requested"), null=True, blank=True)
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
        return _("Run #%(run)s of %(plan)s") % {"run": self.pk, "plan": self.plan}

    def save(self, *args, **kwargs) -> None:
        stored = self._stored_status()
        paying = stored == self.Status.APPROVED and self.status == self.Status.PAID
        if stored in LOCKED_STATUSES and not (
            paying and set(kwargs.get("update_fields") or ()) == {"status", "paid_by", "paid_at"}
        ):
            raise ImmutableRunError(
                gettext("Run #%(id)s is %(status)s: it cannot be changed; add an adjustment instead.")
                % {"id": self.pk, "status": str(PayoutRun.Status(stored).label).lower()}
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("incentives:run_detail", kwargs={"pk": self.pk})

    def delete(self, *args, **kwargs):
        if self._stored_status() in LOCKED_STATUSES:
            raise ImmutableRunError(gettext("Run #%(id)s is approved: it cannot be deleted.") % {"id": self.pk})
        return super().delete(*args, **kwargs)

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKED_STATUSES

    @property
    def adjustments_total(self) -> Decimal:
        """The sum of the run's approved adjustments (drafts awaiting approval do not count)."""
        found = Adjustment.objects.approved().filter(run_id=self.pk).aggregate(total=ExactSum("amount"))["total"]
        return found if found is not None else Decimal(0)

    @property
    def total_with_adjustments(self) -> Decimal:
        """What the run pays: its lines plus its approved adjustments."""
        return self.total + self.adjustments_total

    def _stored_status(self) -> str | None:
        if self.pk is None:
            return None
        return type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()


def _refuse_if_locked(run_ids) -> None:
    if PayoutRun.objects.filter(pk__in=set(run_ids), status__in=LOCKED_STATUSES).exists():
        raise ImmutableRunError(gettext("Lines of approved and paid payout runs cannot be changed."))


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
        if user.has_perm("incentives.approve_payoutrun"):
            return self.all()  # compensation approvers read every run they may approve
        own = Q(person__user=user, run__status__in=LOCKED_STATUSES)
        return self.filter(own | Q(breakdown__in=PayoutStint.objects.filter(team__in=led).values("breakdown_id")))

    def with_adjustments(self) -> PayoutLineQuerySet:
        """Annotates `adjusted` (the person's approved adjustments in the run) and `final_amount`."""
        approved = (
            Adjustment.objects.approved()
            .filter(run_id=OuterRef("run_id"), person_id=OuterRef("person_id"))
            .order_by()
            .values("run_id")
            .annotate(total=Sum("amount"))
            .values("total")
        )
        money = DecimalField(max_digits=16, decimal_places=3)
        adjusted = Coalesce(Subquery(approved, output_field=money), Value(Decimal(0)), output_field=money)
        return self.annotate(adjusted=Exact(adjusted, output_field=money)).annotate(
            final_amount=Exact(F("amount") + F("adjusted"), output_field=money)
        )


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

    def teams_hidden_from(self, user) -> list[int]:
        """Teams of this line whose figures `user` may not see: a lead reading the statement of someone who
        moved from another team sees that team's rows without figures. The person and executives see all."""
        if getattr(user, "is_executive", False) or (user.pk is not None and self.person.user_id == user.pk):
            return []
        visible = set(scorecard_teams(user).values_list("pk", flat=True))
        return sorted({s.team_id for s in self.stints.all()} - visible)

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
        if user.has_perm("incentives.approve_payoutrun"):
            return self.all()
        return self.filter(person__in=Person.objects.visible_to(user))

    @staticmethod
    def _approval_count():
        from .consent import AdjustmentApproval

        counted = (
            AdjustmentApproval.objects.filter(adjustment_id=OuterRef("pk"))
            .order_by()
            .values("adjustment_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Coalesce(Subquery(counted), Value(0))

    def with_approval_count(self) -> AdjustmentQuerySet:
        """Annotates `approval_count` (for display; filters use `approved`/`pending`)."""
        return self.annotate(approval_count=self._approval_count())

    def approved(self) -> AdjustmentQuerySet:
        """Adjustments with as many approvals as they require: the only ones that count in any total."""
        return self.alias(approvals_given=self._approval_count()).filter(approvals_given__gte=F("required_approvals"))

    def pending(self) -> AdjustmentQuerySet:
        """Drafted adjustments still waiting for (enough) approvals."""
        return self.alias(approvals_given=self._approval_count()).filter(approvals_given__lt=F("required_approvals"))

    def update(self, **kwargs):
        raise ImmutableRunError(gettext("Adjustments are append-only: add a reversing adjustment instead."))

    def delete(self):
        raise ImmutableRunError(gettext("Adjustments are append-only: add a reversing adjustment instead."))


class Adjustment(models.Model):
    """A correction to an approved run: a signed amount for a person, with a reason code and text. Append-only.

    Drafted by one person, it counts once `required_approvals` other people approved it (one; two above
    CENTRIC_ADJUSTMENT_LINE_LIMIT or CENTRIC_ADJUSTMENT_RUN_LIMIT).
    """

    class ReasonCode(models.TextChoices):
        DATA_CORRECTION = "data_correction", _("KPI data corrected after approval")
        MEMBERSHIP = "membership", _("Team membership or dates were wrong")
        OVERRIDE = "override", _("Personal target amount was wrong")
        PAYROLL_ERROR = "payroll_error", _("Payroll processing error")
        REVERSAL = "reversal", _("Reverses an earlier adjustment")
        OTHER = "other", _("Other (explained in the text)")

    run = models.ForeignKey(PayoutRun, verbose_name=_("run"), on_delete=models.PROTECT, related_name="adjustments")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=3)
    reason_code = models.CharField(
        _("reason code"), max_length=20, choices=ReasonCode.choices, default=ReasonCode.OTHER
    )
    reason = models.TextField(_("reason"))
    required_approvals = models.PositiveSmallIntegerField(_("approvals required"), default=1)
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
            # 0: recorded before approvals existed (migration 0007); new adjustments need 1 or 2. Written as a
            # bound, not IN (0, 1, 2): Django's SQLite introspection splits table SQL on ", " and breaks on a list.
            models.CheckConstraint(condition=Q(required_approvals__lte=2), name="adjustment_zero_one_or_two_approvals"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} for {self.person_id}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ImmutableRunError(gettext("Adjustments are append-only: add a reversing adjustment instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRunError(gettext("Adjustments are append-only: add a reversing adjustment instead."))
