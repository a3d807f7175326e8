"""Who had a hand in a payout run (segregation of duties) and who approved each adjustment.

A run's contributors are everyone who prepared it, recalculated it, or changed its plan's rules,
eligibility or overrides since the plan's last approved run; none of them may approve it
(`services.approve_payout_run`). Adjustment approvals are append-only rows: an adjustment counts
once it has as many approvals as it requires (one, or two above the limits in settings).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .payouts import Adjustment, ImmutableRunError, PayoutRun


class RunContributor(models.Model):
    """One person's part in a run: prepared it, recalculated it, or changed its plan's rules."""

    class Kind(models.TextChoices):
        PREPARED = "prepared", _("prepared the run")
        RECALCULATED = "recalculated", _("recalculated the run")
        CHANGED_RULES = "changed_rules", _("changed the plan's rules, eligibility or overrides")

    run = models.ForeignKey(PayoutRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="contributors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("what"), max_length=16, choices=Kind.choices)
    at = models.DateTimeField(_("first at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("run contributor")
        verbose_name_plural = _("run contributors")
        constraints = [models.UniqueConstraint(fields=["run", "user", "kind"], name="run_contributor_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} run {self.run_id}"


class AdjustmentApprovalQuerySet(models.QuerySet["AdjustmentApproval"]):
    def update(self, **kwargs):
        raise ImmutableRunError(gettext("Adjustment approvals are append-only."))

    def delete(self):
        raise ImmutableRunError(gettext("Adjustment approvals are append-only."))


class AdjustmentApproval(models.Model):
    """One approver's consent to an adjustment (never its drafter). Append-only."""

    adjustment = models.ForeignKey(
        Adjustment, verbose_name=_("adjustment"), on_delete=models.PROTECT, related_name="approvals"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"), auto_now_add=True)

    objects = AdjustmentApprovalQuerySet.as_manager()

    class Meta:
        ordering = ["approved_at", "pk"]
        verbose_name = _("adjustment approval")
        verbose_name_plural = _("adjustment approvals")
        constraints = [
            models.UniqueConstraint(fields=["adjustment", "approved_by"], name="adjustment_approval_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.approved_by_id} approved adjustment {self.adjustment_id}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ImmutableRunError(gettext("Adjustment approvals are append-only."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRunError(gettext("Adjustment approvals are append-only."))
