"""Payroll files issued for payout runs: recorded with their checksum, stored once, never changed.

The first file of a run carries its lines and the adjustments approved by then; each later file carries
the adjustments approved since, as change rows. So the files of a run add up to lines + approved
adjustments (`reconcile_payouts` checks it to the cent).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .payouts import Adjustment, ImmutableRunError, PayoutRun


class PayrollFileQuerySet(models.QuerySet["PayrollFile"]):
    def visible_to(self, user) -> PayrollFileQuerySet:
        """Payroll files hold everyone's pay: executives and compensation approvers only."""
        if not user.is_authenticated:
            return self.none()
        if user.is_executive or user.has_perm("incentives.view_payrollfile"):
            return self.all()
        return self.none()

    def update(self, **kwargs):
        raise ImmutableRunError("Issued payroll files never change.")

    def delete(self):
        raise ImmutableRunError("Issued payroll files never change.")


class PayrollFile(models.Model):
    """One payroll file issued for a run: number `sequence` of that run, with its rows, total and checksum."""

    run = models.ForeignKey(PayoutRun, verbose_name=_("run"), on_delete=models.PROTECT, related_name="payroll_files")
    sequence = models.PositiveIntegerField(_("sequence"))
    checksum = models.CharField(_("SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"))
    total = models.DecimalField(_("total"), max_digits=16, decimal_places=3)
    includes_lines = models.BooleanField(_("includes the run's lines"), default=False)
    before_register = models.BooleanField(
        _("paid before the register"),
        default=False,
        help_text=_("Records the lines of a run paid before payroll files were recorded; never sent to payroll."),
    )
    adjustments = models.ManyToManyField(
        Adjustment, verbose_name=_("adjustments"), related_name="payroll_files", blank=True
    )
    file = models.FileField(_("file"), upload_to="payroll/")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    objects = PayrollFileQuerySet.as_manager()

    class Meta:
        ordering = ["run", "sequence"]
        verbose_name = _("payroll file")
        verbose_name_plural = _("payroll files")
        constraints = [models.UniqueConstraint(fields=["run", "sequence"], name="payroll_file_sequence_unique")]

    def __str__(self) -> str:
        return f"payroll-run-{self.run_id}-{self.sequence}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ImmutableRunError("Issued payroll files never change.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("incentives:payroll_file", kwargs={"pk": self.pk})

    def delete(self, *args, **kwargs):
        raise ImmutableRunError("Issued payroll files never change.")
