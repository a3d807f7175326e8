"""Recognition: a colleague's short story of a customer-centric act, tied to a culture value or a KPI."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .kpis import Kpi
from .org import Membership, Person, Team


class RecognitionQuerySet(models.QuerySet["Recognition"]):
    def visible_to(self, user) -> RecognitionQuerySet:
        """Executives see every story; others those of the teams they belong to or lead now (HR sees team names
        only: the stories of its own team, if any), and the stories they gave or received."""
        if not user.is_authenticated:
            return self.none()
        if user.is_executive:
            return self.all()
        own = Membership.objects.current().filter(person__user=user).values("team_id")
        return self.filter(Q(team_id__in=own) | Q(person__user=user) | Q(given_by=user))


class Recognition(models.Model):
    """One person recognising a colleague: the act as a short story, the value or KPI it served, and whether
    the CCO picked it for the board report. Counted for the team the colleague belonged to at the time."""

    class Value(models.TextChoices):
        OWNERSHIP = "ownership", _("Owns the customer's problem end to end")
        EMPATHY = "empathy", _("Listens and understands the customer")
        EFFORTLESS = "effortless", _("Makes it easy for the customer")
        EXTRA_MILE = "extra_mile", _("Goes the extra mile")
        VOICE = "voice", _("Brings the customer's voice into the team")

    person = models.ForeignKey(
        Person, verbose_name=_("colleague"), on_delete=models.PROTECT, related_name="recognitions"
    )
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="recognitions")
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("given by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    value = models.CharField(_("culture value"), max_length=12, choices=Value.choices, blank=True)
    kpi = models.ForeignKey(
        Kpi, verbose_name=_("KPI"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    story = models.TextField(_("story"))
    is_board_pick = models.BooleanField(_("picked for the board report"), default=False)
    created_at = models.DateTimeField(_("given at"), auto_now_add=True)

    objects = RecognitionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        permissions = [("pick_recognition", _("Can pick recognition stories for the board report"))]
        constraints = [
            models.CheckConstraint(condition=~Q(value="") | Q(kpi__isnull=False), name="recognition_has_value_or_kpi"),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.created_at:%Y-%m-%d})" if self.created_at else str(self.person)

    @property
    def served(self) -> str:
        """The value or KPI the act served, for display."""
        return self.get_value_display() if self.value else (self.kpi.name if self.kpi else "")
