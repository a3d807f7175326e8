"""Questions about a statement ("Question this statement"): open -> answered -> resolved, every step audited."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .payouts import PayoutLine


class StatementDisputeQuerySet(models.QuerySet["StatementDispute"]):
    def visible_to(self, user) -> StatementDisputeQuerySet:
        """Executives see every dispute; anyone else those on statements they may read."""
        if not user.is_authenticated:
            return self.none()
        if user.is_executive:
            return self.all()
        return self.filter(line__in=PayoutLine.objects.visible_to(user))


class StatementDispute(models.Model):
    """A question about one payout line, answered by the compensation admin and visible to the person."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ANSWERED = "answered", _("Answered")
        RESOLVED = "resolved", _("Resolved")

    line = models.ForeignKey(PayoutLine, verbose_name=_("statement"), on_delete=models.PROTECT, related_name="+")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="+"
    )
    question = models.TextField(_("question"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    created_at = models.DateTimeField(_("raised"), auto_now_add=True)

    objects = StatementDisputeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("statement question")
        verbose_name_plural = _("statement questions")
        constraints = [
            models.CheckConstraint(condition=~models.Q(question=""), name="dispute_has_question"),
            models.CheckConstraint(
                condition=models.Q(status="open") | ~models.Q(answer=""), name="dispute_answered_has_answer"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("incentives:dispute_detail", kwargs={"pk": self.pk})
