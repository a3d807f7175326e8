"""The only writes of recognition: giving one, and the CCO's pick for the board report."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit

from ..models import Kpi, Membership, Person, Recognition

STORY_MIN = 20
STORY_MAX = 600


def colleagues(giver):
    """People the giver may recognise: the active members of the teams they are on now (everyone for an
    executive). Scoped like every list: another team's names are not shown to a member."""
    current = Membership.objects.current()
    if not giver.is_executive:
        current = current.filter(team_id__in=Membership.objects.current().filter(person__user=giver).values("team_id"))
    return (
        Person.objects.filter(is_active=True, pk__in=current.values("person_id")).exclude(user=giver).order_by("name")
    )


@transaction.atomic
def recognise(*, giver, person: Person, story: str, value: str = "", kpi: Kpi | None = None) -> Recognition:
    """Records a colleague's customer-centric act, counted for their current team (the earliest joined)."""
    story = story.strip()
    errors: dict[str, str] = {}
    if person.user_id is not None and person.user_id == giver.pk:
        errors["person"] = _("Recognise a colleague, not yourself.")
    elif not colleagues(giver).filter(pk=person.pk).exists():
        errors["person"] = _("You can recognise the colleagues of your own teams.")
    if not value and kpi is None:
        errors["value"] = _("Say which culture value or KPI the act served.")
    if value and value not in Recognition.Value.values:
        errors["value"] = _("Choose one of the culture values.")
    if len(story) < STORY_MIN:
        errors["story"] = _("Tell the story in at least %(min)s characters: what happened for the customer?") % {
            "min": STORY_MIN
        }
    membership = (
        Membership.objects.current()
        .filter(person=person)
        .order_by("-role", "start", "pk")
        .select_related("team")
        .first()
    )
    if membership is None or not person.is_active:
        errors["person"] = _("%(name)s is not on a team now.") % {"name": person.name}
    if errors or membership is None:
        raise ValidationError(errors)
    recognition = Recognition.objects.create(
        person=person, team=membership.team, given_by=giver, value=value, kpi=kpi, story=story[:STORY_MAX]
    )
    audit.record(actor=giver, action="recognition.give", obj=recognition, after={"person": person.pk, "value": value})
    return recognition


@transaction.atomic
def set_board_pick(*, actor, recognition_id: int, picked: bool) -> Recognition:
    """The CCO marks a story for the board report (or takes the mark off); a no-op when already so."""
    if not actor.has_perm("culture.pick_recognition"):
        raise PermissionDenied(_("Only the CCO picks stories for the board report."))
    recognition = Recognition.objects.select_for_update().get(pk=recognition_id)
    if recognition.is_board_pick != picked:
        recognition.is_board_pick = picked
        recognition.save(update_fields=["is_board_pick"])
        audit.record(
            actor=actor,
            action="recognition.board_pick" if picked else "recognition.board_unpick",
            obj=recognition,
            before={"is_board_pick": not picked},
            after={"is_board_pick": picked},
        )
    return recognition
