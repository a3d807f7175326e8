"""After the decision: interview scorecard drafts (an interviewer's notes, theirs alone until submitted) and
the 90-day hire review, scheduled when the hire is made and recorded by the team's lead once due."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .pipeline import Application, Interview, Position, Scorecard
from .rubrics import Competency, _sees_all


class ScorecardDraftQuerySet(models.QuerySet["ScorecardDraft"]):
    def visible_to(self, user) -> ScorecardDraftQuerySet:
        """A draft is its author's alone: nobody else sees it, whatever their role."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(interviewer=user)


class ScorecardDraft(models.Model):
    """An interviewer's notes for an interview kept as a draft; submitting turns it into the Scorecard.

    `entries` maps a competency id (as text) to {"rating": 1-5 or null, "evidence": text}.
    """

    interview = models.ForeignKey(
        Interview, verbose_name=_("interview"), on_delete=models.CASCADE, related_name="scorecard_drafts"
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("interviewer"), on_delete=models.CASCADE, related_name="+"
    )
    recommendation = models.CharField(
        _("overall recommendation"), max_length=12, choices=Scorecard.Recommendation.choices, blank=True
    )
    summary = models.TextField(_("summary"), blank=True)
    entries = models.JSONField(_("notes per competency"), default=dict, blank=True)
    saved_at = models.DateTimeField(_("saved at"), auto_now=True)

    objects = ScorecardDraftQuerySet.as_manager()

    class Meta:
        ordering = ["-saved_at", "pk"]
        verbose_name = _("scorecard draft")
        verbose_name_plural = _("scorecard drafts")
        constraints = [
            models.UniqueConstraint(fields=["interview", "interviewer"], name="scorecarddraft_one_per_interviewer"),
        ]

    def __str__(self) -> str:
        return f"Scorecard draft #{self.pk}"


class HireReviewQuerySet(models.QuerySet["HireReview"]):
    def visible_to(self, user) -> HireReviewQuerySet:
        if not user.is_authenticated:
            return self.none()
        if _sees_all(user):
            return self.all()
        return self.filter(application__position__in=Position.objects.visible_to(user))

    def recorded(self) -> HireReviewQuerySet:
        return self.filter(reviewed_on__isnull=False)

    def pending(self) -> HireReviewQuerySet:
        return self.filter(reviewed_on__isnull=True)


class HireReview(models.Model):
    """A lead's rating of a hire on the same rubric, 90 days after the start: quality of hire.

    Scheduled (due_on set, not yet reviewed) in the same transaction as the hire; recorded once due.
    """

    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="hire_review"
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    objects = HireReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        verbose_name = _("90-day review")
        verbose_name_plural = _("90-day reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(reviewed_on__isnull=True) | Q(reviewed_by__isnull=False), name="hirereview_recorded_by"
            ),
        ]

    def __str__(self) -> str:
        return f"90-day review #{self.pk}"

    @property
    def is_recorded(self) -> bool:
        return self.reviewed_on is not None

    def is_open(self, today: dt.date) -> bool:
        """Due (or overdue) and not yet recorded: the only time the review form is offered."""
        return not self.is_recorded and self.due_on is not None and today >= self.due_on


class HireRating(models.Model):
    """The 90-day rating 1-5 of a hire on one competency."""

    review = models.ForeignKey(HireReview, verbose_name=_("review"), on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey(Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(_("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        ordering = ["competency__order", "pk"]
        verbose_name = _("90-day rating")
        verbose_name_plural = _("90-day ratings")
        constraints = [
            models.UniqueConstraint(fields=["review", "competency"], name="hirerating_unique_competency"),
            models.CheckConstraint(condition=Q(rating__gte=1) & Q(rating__lte=5), name="hirerating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.competency_id}: {self.rating}"
