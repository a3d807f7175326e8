"""One close of a period (a version): the figures frozen beside the scorecard snapshots, and its reopening."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .periods import Period


class PeriodClosingQuerySet(models.QuerySet["PeriodClosing"]):
    def current(self) -> PeriodClosingQuerySet:
        """Closings still in force (not reopened); at most one per period."""
        return self.filter(reopened_at__isnull=True)


class PeriodClosing(models.Model):
    """What one close of a period froze besides its scorecards, and how that close ended.

    `comparisons` holds the scorecards of every comparison period a document of this period shows (the
    12-period trend and last year), computed at the close, so a late row in an open earlier period cannot
    change a closed period's report. `reviews` keeps each team's review and actions as they were at the
    close. `frozen` keeps the other inputs the documents read, by the name of the app's freezer (names and the
    org tree, KPI definitions, the service-profit chain, incentive spend, hires, the value model). `checklist`
    and `reason` keep what was missing when the CCO closed anyway, and why. `checksum`
    covers the snapshot checksums and all of these: documents are archived by it. Reopening (requested
    by one executive, approved by another) moves the snapshot rows into `archived_snapshots`, so every
    version stays readable and verifiable.
    """

    period = models.ForeignKey(Period, verbose_name=_("period"), on_delete=models.PROTECT, related_name="closings")
    version = models.PositiveIntegerField(_("version"))
    closed_at = models.DateTimeField(_("closed at"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("reason for closing with open items"), blank=True)
    checklist = models.JSONField(_("open items at the close"), default=dict)
    comparisons = models.JSONField(_("frozen comparison scorecards"), default=dict)
    reviews = models.JSONField(_("reviews at the close"), default=dict)
    snapshot_checksums = models.JSONField(_("snapshot checksums"), default=dict)
    frozen = models.JSONField(_("other inputs frozen at the close"), default=dict, blank=True)
    checksum = models.CharField(_("SHA-256 of everything frozen"), max_length=64)
    archived_snapshots = models.JSONField(_("snapshots kept after reopening"), default=dict)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    reopen_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reopening requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reopen_requested_at = models.DateTimeField(_("reopening requested at"), null=True, blank=True)
    reopen_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reopening approved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)

    objects = PeriodClosingQuerySet.as_manager()

    class Meta:
        ordering = ["period", "-version"]
        verbose_name = _("period closing")
        verbose_name_plural = _("period closings")
        constraints = [
            models.UniqueConstraint(fields=["period", "version"], name="closing_unique_version"),
            models.UniqueConstraint(
                fields=["period"], condition=Q(reopened_at__isnull=True), name="closing_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} v{self.version}"

    @property
    def reopen_pending(self) -> bool:
        return self.reopen_requested_at is not None and self.reopened_at is None
