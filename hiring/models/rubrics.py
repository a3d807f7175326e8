"""Service-orientation rubrics: a rubric, its numbered versions (draft -> published, then frozen) and their
weighted competencies with anchors and questions. Visibility follows the positions that pin a version."""

from __future__ import annotations

from decimal import Decimal

from django.apps import apps
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def _sees_all(user) -> bool:
    return user.is_executive or user.is_recruiter


class RubricQuerySet(models.QuerySet["Rubric"]):
    def visible_to(self, user) -> RubricQuerySet:
        """Recruiters and executives see every rubric; leads see rubrics pinned by their teams' positions."""
        if not user.is_authenticated:
            return self.none()
        if _sees_all(user):
            return self.all()
        # by name: pipeline.py imports this module (a position pins a rubric version)
        positions = apps.get_model("hiring", "Position").objects.visible_to(user)
        return self.filter(versions__positions__in=positions).distinct()


class Rubric(models.Model):
    """A named family of rubric versions (e.g. "Service orientation")."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)

    objects = RubricQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    def __str__(self) -> str:
        return self.name


class RubricVersionQuerySet(models.QuerySet["RubricVersion"]):
    def visible_to(self, user) -> RubricVersionQuerySet:
        """Versions the user may open: all for recruiters and executives, else those their positions pin."""
        if not user.is_authenticated:
            return self.none()
        if _sees_all(user):
            return self.all()
        # by name: pipeline.py imports this module (a position pins a rubric version)
        position, interview = apps.get_model("hiring", "Position"), apps.get_model("hiring", "Interview")
        ids = position.objects.visible_to(user).values("rubric_version_id")
        ids_from_interviews = interview.objects.visible_to(user).values("application__position__rubric_version_id")
        return self.filter(Q(pk__in=ids) | Q(pk__in=ids_from_interviews))

    def published(self) -> RubricVersionQuerySet:
        return self.filter(status=RubricVersion.Status.PUBLISHED)


class RubricVersion(models.Model):
    """One version of a rubric. Drafts can be edited; a published version is immutable (new version = copy)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    rubric = models.ForeignKey(Rubric, verbose_name=_("rubric"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = RubricVersionQuerySet.as_manager()

    class Meta:
        ordering = ["rubric__name", "-number"]
        verbose_name = _("rubric version")
        verbose_name_plural = _("rubric versions")
        constraints = [
            models.UniqueConstraint(fields=["rubric", "number"], name="rubricversion_unique_number"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="rubricversion_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return _("%(rubric)s v%(number)s") % {"rubric": self.rubric.name, "number": self.number}

    def get_absolute_url(self) -> str:
        return reverse("hiring:rubric_detail", kwargs={"pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Competency(models.Model):
    """A competency of a rubric version: weight, behavioural anchors for ratings 1-5 and suggested questions."""

    version = models.ForeignKey(
        RubricVersion, verbose_name=_("rubric version"), on_delete=models.CASCADE, related_name="competencies"
    )
    key = models.SlugField(_("key"), max_length=50)
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    anchor_1 = models.TextField(_("anchor for 1"))
    anchor_2 = models.TextField(_("anchor for 2"))
    anchor_3 = models.TextField(_("anchor for 3"))
    anchor_4 = models.TextField(_("anchor for 4"))
    anchor_5 = models.TextField(_("anchor for 5"))
    questions = models.TextField(_("suggested questions"), help_text=_("One question per line."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="competency_unique_key"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="competency_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def anchors(self) -> list[tuple[int, str]]:
        return [(n, getattr(self, f"anchor_{n}")) for n in range(1, 6)]

    @property
    def question_list(self) -> list[str]:
        return [line.strip() for line in self.questions.splitlines() if line.strip()]
