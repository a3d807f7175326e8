"""The payroll identity of an erased payee, kept with the paid runs it belongs to for the legal retention period."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from culture.models import Person

from .payouts import PayoutRun


class RetainedPayee(models.Model):
    """Who was paid in a paid run, as they were named when paid, kept after their erasure (core.erasure).

    A paid run is an accounting record: Swedish Bokföringslagen (1999:1078) 7:2 keeps it until the end of
    the seventh year after the calendar year it was paid in (`retain_until`). Only the run's payroll records
    (its lines page and payroll export) read this; everywhere else the person shows by their pseudonym.
    """

    run = models.ForeignKey(PayoutRun, verbose_name=_("run"), on_delete=models.PROTECT, related_name="retained_payees")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name when paid"), max_length=150)
    email = models.EmailField(_("email when paid"))
    employee_number = models.CharField(_("employee number when paid"), max_length=30)
    retain_until = models.DateField(_("retain until"))
    created_at = models.DateTimeField(_("erased at"), auto_now_add=True)

    class Meta:
        ordering = ["run_id", "name"]
        verbose_name = _("retained payee")
        verbose_name_plural = _("retained payees")
        constraints = [models.UniqueConstraint(fields=["run", "person"], name="retained_payee_unique_person")]

    def __str__(self) -> str:
        return f"{self.person_id} in run {self.run_id}"
