"""Frozen scorecards of closed periods, and the team leads' period reviews with their actions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .kpis import Kpi
from .org import Department, Person, Team
from .periods import Period


def scorecard_teams(user) -> models.QuerySet[Team]:
    """Teams whose scorecards (and reviews) the user may see: all for executives, own teams for leads and
    employees, none for roles without the scorecard permission (HR sees team names only)."""
    if not user.is_authenticated or not user.has_perm("culture.view_scorecard"):
        return Team.objects.none()
    return Team.objects.visible_to(user)


class ScorecardSnapshotQuerySet(models.QuerySet["ScorecardSnapshot"]):
    def visible_to(self, user) -> ScorecardSnapshotQuerySet:
        """Executives see every snapshot; leads and employees only their teams'."""
        if not user.is_authenticated or not user.has_perm("culture.view_scorecard"):
            return self.none()
        if user.is_executive:
            return self.all()
        return self.filter(team__in=scorecard_teams(user))


class ScorecardSnapshot(models.Model):
    """A scorecard frozen when its period closed: every line as JSON, the composite and a payload checksum.

    One per period and scope (a team, a department or the company). Reports of a closed period read
    these rows, so they are reproducible however late data arrives.
    """

    class Level(models.TextChoices):
        TEAM = "team", _("Team")
        DEPARTMENT = "department", _("Department")
        COMPANY = "company", _("Company")

    class Definition(models.TextChoices):
        # Snapshots keep the figures of the definitions they were frozen with; the marker says which.
        POOLED = "v1-pooled", _("v1: churn and retention pooled over daily rows (before issue 12)")
        STOCK = "v2-stock", _("v2: churn and retention from the base at the period's start")

    period = models.ForeignKey(Period, verbose_name=_("period"), on_delete=models.PROTECT, related_name="snapshots")
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payload = models.JSONField(_("scorecard"))
    composite = models.DecimalField(_("composite score"), max_digits=5, decimal_places=1, null=True, blank=True)
    checksum = models.CharField(_("SHA-256 of the payload"), max_length=64)
    definition = models.CharField(
        _("KPI definitions"), max_length=12, choices=Definition.choices, default=Definition.STOCK
    )
    created_at = models.DateTimeField(_("frozen at"), auto_now_add=True)

    objects = ScorecardSnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["period", "level"]
        verbose_name = _("scorecard snapshot")
        verbose_name_plural = _("scorecard snapshots")
        permissions = [("view_scorecard", _("Can view scorecards"))]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(level="team", team__isnull=False, department__isnull=True)
                    | Q(level="department", team__isnull=True, department__isnull=False)
                    | Q(level="company", team__isnull=True, department__isnull=True)
                ),
                name="snapshot_scope_matches_level",
            ),
            models.UniqueConstraint(fields=["period", "team"], condition=Q(level="team"), name="snapshot_unique_team"),
            models.UniqueConstraint(
                fields=["period", "department"], condition=Q(level="department"), name="snapshot_unique_department"
            ),
            models.UniqueConstraint(fields=["period"], condition=Q(level="company"), name="snapshot_unique_company"),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.level} {self.object_id or ''}".strip()

    @property
    def object_id(self) -> int | None:
        return self.team_id or self.department_id


class ReviewQuerySet(models.QuerySet["Review"]):
    def visible_to(self, user) -> ReviewQuerySet:
        """Executives see every review; leads and employees the reviews of their own teams."""
        if not user.is_authenticated or not user.has_perm("culture.view_scorecard"):
            return self.none()
        if user.is_executive:
            return self.all()
        return self.filter(team__in=scorecard_teams(user))


class Review(models.Model):
    """A team lead's review of their team's scorecard for a period: one per team and period.

    Editable until the period closes; every red KPI needs a `ReviewAction`.
    """

    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="reviews")
    period = models.ForeignKey(Period, verbose_name=_("period"), on_delete=models.PROTECT, related_name="reviews")
    comment = models.TextField(_("comment"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-period__start", "team__name"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [models.UniqueConstraint(fields=["team", "period"], name="review_unique_team_period")]

    def __str__(self) -> str:
        return f"{self.team} {self.period}"


class ReviewActionQuerySet(models.QuerySet["ReviewAction"]):
    def visible_to(self, user) -> ReviewActionQuerySet:
        """Actions are seen with their review, and by their owner (who may have moved to another team)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(review__in=Review.objects.visible_to(user)) | Q(owner__user=user))

    def open(self) -> ReviewActionQuerySet:
        return self.filter(status=ReviewAction.Status.OPEN)

    def carried_into(self, *, team_id: int, start) -> ReviewActionQuerySet:
        """The team's actions from reviews of periods that began before `start` and are still open."""
        return self.open().filter(review__team_id=team_id, review__period__start__lt=start)


class ReviewAction(models.Model):
    """What the team will do about one off-track KPI (red, or amber if the lead chooses): the cause, an action,
    its owner and due date. A tracked item: open until its owner or a lead marks it done, and carried into
    the team's later reviews (shown there, never copied) until then."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    review = models.ForeignKey(Review, verbose_name=_("review"), on_delete=models.CASCADE, related_name="actions")
    kpi = models.ForeignKey(Kpi, verbose_name=_("KPI"), on_delete=models.PROTECT, related_name="+")
    comment = models.TextField(_("why it is red"))
    action = models.TextField(_("action"))
    owner = models.ForeignKey(Person, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=4, choices=Status.choices, default=Status.OPEN)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ReviewActionQuerySet.as_manager()

    class Meta:
        ordering = ["review", "kpi"]
        verbose_name = _("review action")
        verbose_name_plural = _("review actions")
        constraints = [models.UniqueConstraint(fields=["review", "kpi"], name="review_action_unique_kpi")]

    def __str__(self) -> str:
        return f"{self.review}: {self.kpi.code}"

    def get_absolute_url(self) -> str:
        return reverse("culture:action_detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
