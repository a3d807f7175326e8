"""Hiring for service orientation: rubrics, positions, candidates, applications, interviews and scorecards.

Visibility (DESIGN roles table): executives and HR recruiters see all of hiring; a team lead sees the
positions of teams they lead and their candidates; any user sees the interviews they are assigned to and
those candidates. Scorecards are blind: an assigned interviewer sees nobody else's scorecard of an
application until they have submitted their own for each interview they are assigned to there.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from culture.models import Person, Team

from .rubrics import Competency, RubricVersion, _sees_all


def _assigned_application_ids(user):
    return Interview.objects.filter(interviewers=user).values("application_id")


def blind_application_ids(user):
    """Applications where the user holds an interview without their own scorecard: the blind rule's scope.

    Until their scorecard is in, they see none of the panel's views there: no other scorecard, rating,
    score, recommendation or decision reason (reasons echo the panel). Whatever their role. A cancelled
    interview takes no scorecard, so it keeps nobody blind.
    """
    held = Interview.objects.filter(interviewers=user, cancelled_at__isnull=True)
    return held.exclude(scorecards__interviewer=user).values("application_id")


class PositionQuerySet(models.QuerySet["Position"]):
    def visible_to(self, user) -> PositionQuerySet:
        """All for recruiters/executives; a lead sees their teams' positions; a hiring manager their own."""
        if not user.is_authenticated:
            return self.none()
        if _sees_all(user):
            return self.all()
        return self.filter(Q(team__in=Team.objects.led_by(user)) | Q(hiring_manager=user))


class Position(models.Model):
    """An opening in a team, assessed on one pinned (published) rubric version against a bar score."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=150)
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="positions")
    rubric_version = models.ForeignKey(
        RubricVersion, verbose_name=_("rubric version"), on_delete=models.PROTECT, related_name="positions"
    )
    bar_score = models.DecimalField(
        _("bar score"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("Weighted service-orientation score (0-100) a candidate should reach."),
    )
    hiring_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hiring manager"),
        on_delete=models.PROTECT,
        related_name="managed_positions",
    )
    interviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("interview panel"), blank=True, related_name="panel_positions"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField(_("opened on"))

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "title"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.CheckConstraint(condition=Q(bar_score__gte=0) & Q(bar_score__lte=100), name="position_bar_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.team.name})"

    def get_absolute_url(self) -> str:
        return reverse("hiring:position_detail", kwargs={"pk": self.pk})


class CandidateQuerySet(models.QuerySet["Candidate"]):
    def visible_to(self, user) -> CandidateQuerySet:
        """All for recruiters/executives; else candidates of positions the user may see or interviews they hold."""
        if not user.is_authenticated:
            return self.none()
        if _sees_all(user):
            return self.all()
        apps = Application.objects.visible_to(user).values("candidate_id")
        return self.filter(pk__in=apps)

    def expired(self, today) -> CandidateQuerySet:
        return self.filter(retain_until__lt=today, anonymised_at__isnull=True)


def _cv_path(instance, filename: str) -> str:
    # A random name: the original file name often is the candidate's name.
    suffix = filename.rsplit(".", 1)[-1].lower()[:8] if "." in filename else ""
    # The suffix is user text too: letters and digits only, else none ("x./../y" must not reach storage).
    suffix = suffix if suffix.isascii() and suffix.isalnum() else "bin"
    return f"hiring/cv/{uuid.uuid4().hex}.{suffix}"


class Candidate(models.Model):
    """A person applying. Holds personal data until `retain_until`; then it is anonymised, scores kept."""

    class Source(models.TextChoices):
        CAREERS_SITE = "careers_site", _("Careers site")
        REFERRAL = "referral", _("Employee referral")
        JOB_BOARD = "job_board", _("Job board")
        AGENCY = "agency", _("Agency")
        SOCIAL = "social", _("Social media")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.CAREERS_SITE)
    has_consent = models.BooleanField(
        _("consent to keep data"), default=False, help_text=_("The candidate agreed we keep their data until the date.")
    )
    consent_recorded_at = models.DateTimeField(_("consent recorded at"), null=True, blank=True)
    retain_until = models.DateField(_("retain until"))
    notes = models.TextField(_("notes"), blank=True)
    cv = models.FileField(_("CV"), upload_to=_cv_path, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        indexes = [models.Index(fields=["retain_until"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("hiring:candidate_detail", kwargs={"pk": self.pk})

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None


class ApplicationQuerySet(models.QuerySet["Application"]):
    def visible_to(self, user) -> ApplicationQuerySet:
        """All for recruiters/executives; a lead sees their positions' applications; interviewers their own."""
        if not user.is_authenticated:
            return self.none()
        if _sees_all(user):
            return self.all()
        return self.filter(
            Q(position__in=Position.objects.visible_to(user)) | Q(pk__in=_assigned_application_ids(user))
        )


class Application(models.Model):
    """A candidate applying to a position, moving through stages; every move is a recorded Decision."""

    class Stage(models.TextChoices):
        APPLIED = "applied", _("Applied")
        SCREENING = "screening", _("Screening")
        INTERVIEW = "interview", _("Interview")
        OFFER = "offer", _("Offer")
        HIRED = "hired", _("Hired")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("candidate"), on_delete=models.CASCADE, related_name="applications"
    )
    position = models.ForeignKey(
        Position, verbose_name=_("position"), on_delete=models.PROTECT, related_name="applications"
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.APPLIED)
    applied_on = models.DateField(_("applied on"))
    hired_on = models.DateField(_("hired on"), null=True, blank=True)
    # The employee the hire became (created or linked by `hire`): the closed loop to the team's results.
    person = models.ForeignKey(
        Person,
        verbose_name=_("employee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hiring_applications",
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-applied_on", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["candidate", "position"], name="application_unique_candidate_position"),
            models.CheckConstraint(
                condition=Q(hired_on__isnull=True) | Q(stage="hired"), name="application_hired_on_only_when_hired"
            ),
        ]

    def __str__(self) -> str:
        return f"Application #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("hiring:application_detail", kwargs={"pk": self.pk})

    @property
    def is_closed(self) -> bool:
        return self.stage in CLOSED_STAGES


CLOSED_STAGES = frozenset({Application.Stage.HIRED, Application.Stage.REJECTED, Application.Stage.WITHDRAWN})


class DecisionQuerySet(models.QuerySet["Decision"]):
    def visible_to(self, user) -> DecisionQuerySet:
        """Decisions of applications whose position the user may see, unless the user is still blind there."""
        if not user.is_authenticated:
            return self.none()
        blind = Q(application_id__in=blind_application_ids(user))
        if _sees_all(user):
            return self.exclude(blind)
        return self.filter(application__position__in=Position.objects.visible_to(user)).exclude(blind)


class Decision(models.Model):
    """A person moving an application from one stage to another, with their reason. Scores never decide."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="decisions"
    )
    from_stage = models.CharField(_("from stage"), max_length=12, choices=Application.Stage.choices)
    to_stage = models.CharField(_("to stage"), max_length=12, choices=Application.Stage.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    reason = models.TextField(_("reason"))
    below_bar = models.BooleanField(
        _("below the bar"), default=False, help_text=_("The panel's score was below the position's bar.")
    )
    exception_reason = models.TextField(
        _("why the process was set aside"),
        blank=True,
        help_text=_("Required to skip the interviews or to offer or hire below the bar."),
    )

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_at", "-pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="decision_has_reason")]

    def __str__(self) -> str:
        return f"{self.from_stage} -> {self.to_stage}"


class InterviewQuerySet(models.QuerySet["Interview"]):
    def visible_to(self, user) -> InterviewQuerySet:
        """All for recruiters/executives; leads see their positions' interviews; interviewers their own."""
        if not user.is_authenticated:
            return self.none()
        if _sees_all(user):
            return self.all()
        return self.filter(
            Q(application__position__in=Position.objects.visible_to(user)) | Q(pk__in=self.assigned_to(user))
        )

    def assigned_to(self, user) -> models.QuerySet[Interview, Mapping[str, Any]]:
        return Interview.objects.filter(interviewers=user).values("pk")


class Interview(models.Model):
    """A scheduled interview of an application by one or more assigned interviewers."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="interviews"
    )
    title = models.CharField(_("title"), max_length=120, default="Service-orientation interview")
    scheduled_at = models.DateTimeField(_("scheduled at"))
    interviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("interviewers"), related_name="hiring_interviews"
    )
    # Raised on every reschedule or cancellation: calendars replace an invitation with a higher SEQUENCE.
    sequence = models.PositiveIntegerField(_("revision"), default=0)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    objects = InterviewQuerySet.as_manager()

    class Meta:
        ordering = ["scheduled_at", "pk"]
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")

    def __str__(self) -> str:
        return f"{self.title} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("hiring:interview_kit", kwargs={"pk": self.pk})


class ScorecardQuerySet(models.QuerySet["Scorecard"]):
    def visible_to(self, user) -> ScorecardQuerySet:
        """Own scorecards always; others' only where the user may see the application and is not still blind."""
        if not user.is_authenticated:
            return self.none()
        own = Q(interviewer=user)
        unblinded = ~Q(interview__application_id__in=blind_application_ids(user))
        if _sees_all(user):
            return self.filter(own | unblinded)
        submitted = Scorecard.objects.filter(interviewer=user).values("interview__application_id")
        led = Application.objects.filter(position__in=Position.objects.visible_to(user)).values("pk")
        return self.filter(
            own | (unblinded & (Q(interview__application_id__in=led) | Q(interview__application_id__in=submitted)))
        )


class Scorecard(models.Model):
    """One interviewer's submitted assessment of one interview: ratings with evidence and a recommendation."""

    class Recommendation(models.TextChoices):
        STRONG_NO = "strong_no", _("Strong no")
        NO = "no", _("No")
        YES = "yes", _("Yes")
        STRONG_YES = "strong_yes", _("Strong yes")

    interview = models.ForeignKey(
        Interview, verbose_name=_("interview"), on_delete=models.CASCADE, related_name="scorecards"
    )
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("interviewer"), on_delete=models.PROTECT, related_name="+"
    )
    recommendation = models.CharField(_("overall recommendation"), max_length=12, choices=Recommendation.choices)
    summary = models.TextField(_("summary"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    objects = ScorecardQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        constraints = [
            models.UniqueConstraint(fields=["interview", "interviewer"], name="scorecard_one_per_interviewer"),
        ]

    def __str__(self) -> str:
        return f"Scorecard #{self.pk}"


class RatingQuerySet(models.QuerySet["Rating"]):
    def visible_to(self, user) -> RatingQuerySet:
        """The ratings of the scorecards the user may see (the blind rule included)."""
        return self.filter(scorecard__in=Scorecard.objects.visible_to(user))


class Rating(models.Model):
    """A rating 1-5 (empty = not assessed) and the evidence for one competency on one scorecard."""

    scorecard = models.ForeignKey(
        Scorecard, verbose_name=_("scorecard"), on_delete=models.CASCADE, related_name="ratings"
    )
    competency = models.ForeignKey(Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    evidence = models.TextField(_("evidence"), blank=True)

    objects = RatingQuerySet.as_manager()

    class Meta:
        ordering = ["competency__order", "pk"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "competency"], name="rating_unique_competency"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | (Q(rating__gte=1) & Q(rating__lte=5)), name="rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competency_id}: {self.rating}"
