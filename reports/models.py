"""The report archive: every generated document, its parameters, state, file and checksum."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class GeneratedReportQuerySet(models.QuerySet["GeneratedReport"]):
    def visible_to(self, user) -> GeneratedReportQuerySet:
        """Executives see the whole archive; anyone else sees the reports they asked for."""
        if not user.is_authenticated:
            return self.none()
        if user.is_executive:
            return self.all()
        return self.filter(requested_by=user)

    def active(self) -> GeneratedReportQuerySet:
        return self.filter(status__in=[GeneratedReport.Status.QUEUED, GeneratedReport.Status.RUNNING])


class GeneratedReport(models.Model):
    """One requested document. queued -> running -> done | failed; a failed one can be retried.

    `request_key` identifies the request (kind + canonical parameters): a final request (a closed
    period) that is already done is served from the archive instead of being rendered again, when it
    was built from the same closing (`snapshot_checksum`), in the same language and template version.
    A copy built from other data (before the close, or from a closing since reopened) is superseded and
    never served again. `verification_code` is printed in the PDF; `checksum` is the file's SHA-256.
    `claimed_by` holds the Celery task id working on it, so a redelivered message can take over
    from a dead worker while a duplicate delivery of another message backs off.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=40)
    parameters = models.JSONField(_("parameters"), default=dict)
    request_key = models.CharField(_("request key"), max_length=64, db_index=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress %"), default=0)
    file = models.FileField(_("file"), upload_to="reports/", blank=True)
    checksum = models.CharField(_("file SHA-256"), max_length=64, blank=True)
    input_checksum = models.CharField(_("input SHA-256"), max_length=64, blank=True)
    snapshot_checksum = models.CharField(
        _("closing SHA-256"),
        max_length=64,
        blank=True,
        help_text=_("The checksum of the period's closing the document was built from; empty for live data."),
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    template_version = models.PositiveSmallIntegerField(_("template version"), default=1)
    verification_code = models.CharField(_("verification code"), max_length=16, blank=True, db_index=True)
    superseded_at = models.DateTimeField(
        _("superseded"),
        null=True,
        blank=True,
        help_text=_("When a newer version (the period's close, or its reopening) replaced this document."),
    )
    is_final = models.BooleanField(_("final"), default=False, help_text=_("Built from closed data: reusable."))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("asked by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    error = models.TextField(_("failure reason"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_by = models.CharField(_("task"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    enqueued_at = models.DateTimeField(_("queued at"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    objects = GeneratedReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("generated report")
        verbose_name_plural = _("generated reports")
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="report_progress_percent"),
            # One batch per period and kind under way at a time, even when two requests race.
            models.UniqueConstraint(
                fields=["request_key"],
                condition=models.Q(status__in=["queued", "running"], kind="team_scorecards_batch"),
                name="report_one_active_batch",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.parameters} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("reports:report_detail", kwargs={"pk": self.pk})

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED


class ValueModelQuerySet(models.QuerySet["ValueModel"]):
    def in_force(self, *, kind: str, start) -> ValueModel | None:
        """The value model that applies to a period: its own, else the latest earlier one of the same kind
        (prices are entered once and carried forward until the CCO changes them)."""
        return self.filter(period__kind=kind, period__start__lte=start).order_by("-period__start").first()


class ValueModel(models.Model):
    """The CCO's money assumptions for a period: what a customer and a contact are worth.

    Customer and contact counts come from the data (the retention base at the period's start, the self-service
    rate's contacts); `customers` is only a fallback for a company that reports no customer base.
    """

    period = models.OneToOneField(
        "culture.Period", verbose_name=_("period"), on_delete=models.PROTECT, related_name="value_model"
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    customers = models.PositiveIntegerField(
        _("customers (fallback)"),
        null=True,
        blank=True,
        help_text=_("Used only when the data has no customer base at the period's start."),
    )
    baseline_code = models.CharField(
        _("baseline period"),
        max_length=7,
        blank=True,
        help_text=_("Value since this earlier period as well as since the previous one (e.g. 2026-01); blank: none."),
    )
    revenue_per_customer = models.DecimalField(_("revenue per customer"), max_digits=12, decimal_places=2)
    cost_per_assisted_contact = models.DecimalField(_("cost per assisted contact"), max_digits=10, decimal_places=2)
    cost_per_self_service_contact = models.DecimalField(
        _("cost per self-service contact"), max_digits=10, decimal_places=2
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ValueModelQuerySet.as_manager()

    class Meta:
        ordering = ["-period__start"]
        verbose_name = _("value model")
        verbose_name_plural = _("value models")
        constraints = [
            models.CheckConstraint(condition=models.Q(revenue_per_customer__gte=0), name="value_revenue_not_negative"),
            models.CheckConstraint(
                condition=models.Q(cost_per_assisted_contact__gte=0, cost_per_self_service_contact__gte=0),
                name="value_costs_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"Value model {self.period}"


class BatchNotification(models.Model):
    """One email of a batch job to a team lead: recorded before sending and stamped after, so a rerun
    (redelivered task, retried batch) sends each email once."""

    batch = models.ForeignKey(
        GeneratedReport, verbose_name=_("batch"), on_delete=models.CASCADE, related_name="notifications"
    )
    team = models.ForeignKey("culture.Team", verbose_name=_("team"), on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    report = models.ForeignKey(
        GeneratedReport, verbose_name=_("team report"), on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["batch", "team", "recipient"]
        verbose_name = _("batch notification")
        verbose_name_plural = _("batch notifications")
        constraints = [
            models.UniqueConstraint(fields=["batch", "team", "recipient"], name="batch_notification_once"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.team_id} -> {self.recipient_id}"
