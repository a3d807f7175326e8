"""Pulse surveys: the versioned question library, pulses sent to teams, who was invited and answered
(participation), and the anonymous answers.

Anonymity is structural: `PulseAnswer` has no foreign key to a user or person and no timestamp (a random
UUID key, the pulse, the team, the question and the score only); `PulseInvitation` says who was invited and
whether they answered, and shares nothing with the answers beyond the pulse and the team, so the two
tables cannot be joined on anything finer than "this team in this pulse".
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .org import Team


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class PulseLibraryVersion(models.Model):
    """One version of the pulse question library: a draft can change; a published one is frozen."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    number = models.PositiveIntegerField(_("version"), unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("pulse library version")
        verbose_name_plural = _("pulse library versions")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False), name="pulselibrary_published_has_date"
            ),
        ]

    def __str__(self) -> str:
        return _("Pulse questions v%(number)s") % {"number": self.number}

    def get_absolute_url(self) -> str:
        return reverse("culture:pulse_library_detail", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class PulseQuestion(models.Model):
    """A question of a library version: eNPS on 0-10, or a culture statement on a 1-5 agreement scale."""

    class Kind(models.TextChoices):
        ENPS = "enps", _("eNPS (0-10)")
        AGREEMENT = "agreement", _("Agreement (1-5)")

    version = models.ForeignKey(
        PulseLibraryVersion, verbose_name=_("library version"), on_delete=models.CASCADE, related_name="questions"
    )
    key = models.SlugField(_("key"), max_length=50)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("pulse question")
        verbose_name_plural = _("pulse questions")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="pulsequestion_unique_key")]

    def __str__(self) -> str:
        return self.text

    @property
    def scale(self) -> range:
        return range(0, 11) if self.kind == self.Kind.ENPS else range(1, 6)


class PulseQuerySet(models.QuerySet["Pulse"]):
    def visible_to(self, user) -> PulseQuerySet:
        """Executives see every pulse; a lead the pulses sent to a team they lead; nobody else lists pulses."""
        if not user.is_authenticated:
            return self.none()
        if user.is_executive:
            return self.all()
        return self.filter(teams__in=Team.objects.led_by(user)).distinct()


class Pulse(models.Model):
    """A pulse survey sent to chosen teams, open from `opens_on` to `closes_on` (inclusive).

    Results are shown only once it has closed, so the set of answers behind a figure never changes while
    it is visible (a figure that moves by one answer would reveal that answer).
    """

    title = models.CharField(_("title"), max_length=150)
    library_version = models.ForeignKey(
        PulseLibraryVersion, verbose_name=_("question library version"), on_delete=models.PROTECT, related_name="pulses"
    )
    teams = models.ManyToManyField(Team, verbose_name=_("teams"), related_name="pulses")
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    repeat_every_months = models.PositiveSmallIntegerField(
        _("repeat every (months)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    follows = models.OneToOneField(
        "self",
        verbose_name=_("follows"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="successor",
        help_text=_("The pulse this one repeats (set by the schedule)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The org as it stood when the pulse was published: team id -> its department and that department's
    # ancestors, nearest first. Results group by this, never by the live tree: a team moved after the close
    # would change a department's figure by that team's respondents, and the figures before and after would
    # differ by those few people (the differencing rule holds only while a pulse's groups never change).
    org_at_publish = models.JSONField(_("departments at publishing"), default=dict, editable=False)

    objects = PulseQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-pk"]
        verbose_name = _("pulse")
        verbose_name_plural = _("pulses")
        permissions = [("view_pulseresults", _("Can see pulse results"))]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="pulse_closes_after_opening")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("culture:pulse_detail", kwargs={"pk": self.pk})


class PulseInvitation(models.Model):
    """Participation: a person was invited to a pulse (for a team) and whether they have answered.

    `token` is the random secret behind the personal link; it is never stored with an answer.
    """

    pulse = models.ForeignKey(Pulse, verbose_name=_("pulse"), on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        "culture.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="pulse_invitations"
    )
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="+")
    token = models.CharField(_("token"), max_length=64, unique=True, default=_new_token, editable=False)
    has_answered = models.BooleanField(_("answered"), default=False)

    class Meta:
        ordering = ["pulse", "team", "pk"]
        verbose_name = _("pulse invitation")
        verbose_name_plural = _("pulse invitations")
        constraints = [models.UniqueConstraint(fields=["pulse", "person"], name="pulseinvitation_once_per_pulse")]

    def __str__(self) -> str:
        return f"{self.person} / {self.pulse}"


class PulseAnswer(models.Model):
    """One anonymous answer: random id, the respondent's random response id, pulse, team, question, score.

    Deliberately no person, no user and no timestamp (see the module docstring and
    tests/culture/test_pulse_anonymity.py); a team's rows are written again, shuffled, with each answer, so the
    database's own row stamps do not join them to invitations either (culture.pulse.services.submit_answers).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.UUIDField(_("response"), db_index=True)
    pulse = models.ForeignKey(Pulse, verbose_name=_("pulse"), on_delete=models.CASCADE, related_name="answers")
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="+")
    question = models.ForeignKey(PulseQuestion, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(10)])

    class Meta:
        verbose_name = _("pulse answer")
        verbose_name_plural = _("pulse answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="pulseanswer_once_per_question"),
            models.CheckConstraint(condition=Q(score__lte=10), name="pulseanswer_score_in_range"),
        ]
        indexes = [models.Index(fields=["pulse", "team"])]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.score}"
