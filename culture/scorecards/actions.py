"""Review actions as tracked items: who may close one, closing it, what a review carries, overdue reminders."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.models import Notification
from core.notifications import notify
from users.roles import Role

from ..models import Membership, ReviewAction, Team


def may_complete(user, action: ReviewAction) -> bool:
    """The owner, a current lead of the action's team, or the CCO may mark it done (an administrator sees it)."""
    if not user.is_authenticated:
        return False
    if user.has_role(Role.CCO) or (action.owner.user_id is not None and action.owner.user_id == user.pk):
        return True
    return Team.objects.led_by(user).filter(pk=action.review.team_id).exists()


@transaction.atomic
def complete_action(*, actor, action_id: int) -> ReviewAction:
    """Marks an open action done (a second call is a no-op); recorded in the audit trail."""
    action = ReviewAction.objects.select_for_update().select_related("owner", "review").get(pk=action_id)
    if not may_complete(actor, action):
        raise PermissionDenied(_("Only the owner or a lead of the team marks this action done."))
    if not action.is_open:
        return action
    action.status = ReviewAction.Status.DONE
    action.done_at = timezone.now()
    action.done_by = actor
    action.save(update_fields=["status", "done_at", "done_by"])
    audit.record(
        actor=actor, action="review_action.done", obj=action, before={"status": "open"}, after={"status": "done"}
    )
    return action


def carried_actions(*, team: Team, start: dt.date) -> list[ReviewAction]:
    """Open actions from the team's reviews of periods before `start`: shown in this review until done."""
    return list(
        ReviewAction.objects.carried_into(team_id=team.pk, start=start)
        .select_related("kpi", "owner", "review__period")
        .order_by("due_date", "pk")
    )


def carried_kpi_codes(*, team: Team, start: dt.date) -> set[str]:
    """KPIs already answered by an open carried action: a red one there needs no second action."""
    return set(ReviewAction.objects.carried_into(team_id=team.pk, start=start).values_list("kpi__code", flat=True))


def reminder_key(action: ReviewAction, user_id: int) -> str:
    """One reminder per action, due date and person: moving the due date earns a new one."""
    return f"culture.action.{action.pk}.overdue.{action.due_date.isoformat()}.{user_id}"


def remind_overdue_actions(*, today: dt.date | None = None) -> int:
    """Emails each overdue open action's owner and its team's leads, once; returns how many were new."""
    today = today or timezone.localdate()
    overdue = list(
        ReviewAction.objects.open()
        .filter(due_date__lt=today)
        .select_related("owner__user", "kpi", "review__team", "review__period")
    )
    leads: dict[int, list] = {}
    for membership in (
        Membership.objects.current(today)
        .filter(
            team_id__in={a.review.team_id for a in overdue},
            role=Membership.Role.LEAD,
            person__user__isnull=False,
        )
        .select_related("person__user")
    ):
        leads.setdefault(membership.team_id, []).append(membership.person.user)
    due: dict[str, tuple] = {}
    for action in overdue:
        people = [action.owner.user, *leads.get(action.review.team_id, [])]
        for user in people:
            if user is not None and user.is_active:
                due[reminder_key(action, user.pk)] = (action, user)
    already = set(Notification.objects.filter(key__in=due).values_list("key", flat=True))
    for key, (action, user) in due.items():
        if key in already:
            continue
        with transaction.atomic():
            notify(
                recipient=user,
                key=key,
                template="culture/email/action_overdue",
                context={"action": action, "is_owner": action.owner.user_id == user.pk},
            )
    return len(due) - len(already)
