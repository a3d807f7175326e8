"""Org management services: departments and teams created, renamed, moved, merged, closed; team leads set.

Every write is audited (ids, dates and roles; no personal data) and runs in one transaction. Changes to
memberships are dated: they take effect on `effective` (the old membership ends the day before) and are
refused when that day falls in a closed period, like the people sync.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core import audit

from ..models import Department, Membership, Person, Team
from ..scorecards.services import ensure_period_open

DEPARTMENT_FIELDS = ["name", "slug", "parent", "is_active"]
TEAM_FIELDS = ["name", "slug", "department", "is_active"]


def unique_slug(name: str, taken: set[str], *, fallback: str) -> str:
    """A slug from `name` not in `taken` (-2, -3, ... appended); adds it to `taken`."""
    base = (slugify(name) or fallback)[:110]
    slug, counter = base, 2
    while slug in taken:
        slug, counter = f"{base}-{counter}", counter + 1
    taken.add(slug)
    return slug


def create_department(*, name: str, parent: Department | None, actor) -> Department:
    with transaction.atomic():
        slug = unique_slug(name, set(Department.objects.values_list("slug", flat=True)), fallback="department")
        department = Department.objects.create(name=name, slug=slug, parent=parent)
        audit.record(
            actor=actor, action="department.create", obj=department, after=audit.snapshot(department, DEPARTMENT_FIELDS)
        )
    return department


def update_department(*, department: Department, name: str, parent: Department | None, actor) -> Department:
    """Rename a department or move it under another parent (never under itself or its own sub-departments)."""
    with transaction.atomic():
        current = Department.objects.select_for_update().get(pk=department.pk)
        if parent is not None and parent.pk in Department.objects.tree().subtree([current.pk]):
            raise ValidationError({"parent": "A department cannot move under itself or one of its sub-departments."})
        before = audit.snapshot(current, DEPARTMENT_FIELDS)
        current.name, current.parent = name, parent
        current.save(update_fields=["name", "parent"])
        audit.record(
            actor=actor,
            action="department.update",
            obj=current,
            before=before,
            after=audit.snapshot(current, DEPARTMENT_FIELDS),
        )
    return current


def close_department(*, department: Department, actor) -> Department:
    """Close a department that holds no active team and no active sub-department."""
    with transaction.atomic():
        current = Department.objects.select_for_update().get(pk=department.pk)
        if current.teams.filter(is_active=True).exists() or current.children.filter(is_active=True).exists():
            raise ValidationError("Close or move its active teams and sub-departments first.")
        before = audit.snapshot(current, DEPARTMENT_FIELDS)
        current.is_active = False
        current.save(update_fields=["is_active"])
        audit.record(actor=actor, action="department.close", obj=current, before=before, after={"is_active": False})
    return current


def create_team(*, name: str, department: Department, actor) -> Team:
    with transaction.atomic():
        slug = unique_slug(name, set(Team.objects.values_list("slug", flat=True)), fallback="team")
        team = Team.objects.create(name=name, slug=slug, department=department)
        audit.record(actor=actor, action="team.create", obj=team, after=audit.snapshot(team, TEAM_FIELDS))
    return team


def update_team(*, team: Team, name: str, department: Department, actor) -> Team:
    """Rename a team or move it to another department (its slug, measurements and members stay)."""
    with transaction.atomic():
        current = Team.objects.select_for_update().get(pk=team.pk)
        before = audit.snapshot(current, TEAM_FIELDS)
        current.name, current.department = name, department
        current.save(update_fields=["name", "department"])
        audit.record(
            actor=actor, action="team.update", obj=current, before=before, after=audit.snapshot(current, TEAM_FIELDS)
        )
    return current


def close_team(*, team: Team, actor, on: dt.date) -> Team:
    """Mark a team inactive; refused while anyone is (or will be) a member on or after `on`: merge it instead."""
    with transaction.atomic():
        current = Team.objects.select_for_update().get(pk=team.pk)
        if current.memberships.overlapping(on, dt.date.max).exists():
            raise ValidationError("The team still has members on that day: merge it into another team instead.")
        current.is_active = False
        current.save(update_fields=["is_active"])
        closed = {"is_active": False, "on": on}
        audit.record(actor=actor, action="team.close", obj=current, before={"is_active": True}, after=closed)
    return current


def _hand_over(membership: Membership, *, team: Team, role: str, effective: dt.date) -> Membership:
    """End `membership` the day before `effective` and open its successor; one starting later is re-pointed."""
    if membership.start >= effective:
        membership.team, membership.role = team, role
        membership.save(update_fields=["team", "role"])
        return membership
    successor = Membership.objects.create(
        person_id=membership.person_id, team=team, role=role, start=effective, end=membership.end
    )
    membership.end = effective - dt.timedelta(days=1)
    membership.save(update_fields=["end"])
    return successor


def merge_teams(*, source: Team, target: Team, effective: dt.date, actor) -> Team:
    """Move every membership of `source` in force on or after `effective` to `target`, then close `source`."""
    if source.pk == target.pk:
        raise ValidationError({"target": "A team cannot merge into itself."})
    ensure_period_open(effective)
    with transaction.atomic():
        teams = {t.pk: t for t in Team.objects.select_for_update().filter(pk__in=[source.pk, target.pk])}
        source, target = teams[source.pk], teams[target.pk]
        if not target.is_active:
            raise ValidationError({"target": "The target team is closed."})
        moved = []
        for membership in source.memberships.overlapping(effective, dt.date.max).order_by("pk"):
            moved.append(_hand_over(membership, team=target, role=membership.role, effective=effective).pk)
        source.is_active = False
        source.save(update_fields=["is_active"])
        audit.record(
            actor=actor,
            action="team.merge",
            obj=source,
            before={"is_active": True},
            after={"is_active": False, "into": target.pk, "effective": effective, "memberships": moved},
        )
    return target


def set_team_lead(*, team: Team, person: Person, effective: dt.date, actor) -> Membership:
    """Make `person` the team's lead from `effective`; the previous lead stays in the team as a member."""
    ensure_period_open(effective)
    with transaction.atomic():
        team = Team.objects.select_for_update().get(pk=team.pk)
        if not team.is_active:
            raise ValidationError("The team is closed.")
        open_in_team = team.memberships.filter(end__isnull=True).order_by("pk")
        previous = [m.person_id for m in open_in_team if m.role == Membership.Role.LEAD and m.person_id != person.pk]
        for membership in open_in_team:
            if membership.role == Membership.Role.LEAD and membership.person_id != person.pk:
                _hand_over(membership, team=team, role=Membership.Role.MEMBER, effective=effective)
        own = [m for m in open_in_team if m.person_id == person.pk]
        if any(m.role == Membership.Role.LEAD for m in own):
            lead = next(m for m in own if m.role == Membership.Role.LEAD)
        elif own:
            lead = _hand_over(own[0], team=team, role=Membership.Role.LEAD, effective=effective)
        else:
            lead = Membership.objects.create(person=person, team=team, role=Membership.Role.LEAD, start=effective)
        audit.record(
            actor=actor,
            action="team.lead",
            obj=team,
            before={"leads": previous},
            after={"lead": person.pk, "effective": effective, "membership": lead.pk},
        )
    return lead


def add_to_team(
    *, team: Team, email: str, start: dt.date, actor, name: str = "", employee_number: str = "", reason: str = ""
) -> Membership:
    """Give the person with this email (created when there is none) a member spell in `team` from `start`.

    A person already in another team moves (the open spell there ends the day before `start`); one already
    in this team on `start` keeps their spell (running it twice changes nothing). A new person needs the
    HR system's employee number, so the people sync later matches them instead of adding a twin.
    """
    email = email.strip()
    if not email:
        raise ValidationError({"email": _("An email is needed to find or create the person.")})
    ensure_period_open(start)
    with transaction.atomic():
        team = Team.objects.select_for_update().get(pk=team.pk)
        if not team.is_active:
            raise ValidationError(_("The team is closed."))
        person = Person.objects.select_for_update().filter(email__iexact=email).first()
        created = person is None
        if person is None:
            employee_number = employee_number.strip()
            if not employee_number:
                raise ValidationError({"employee_number": _("Nobody has this email yet: give the employee number.")})
            if Person.objects.filter(employee_number=employee_number).exists():
                raise ValidationError({"employee_number": _("This employee number belongs to someone else.")})
            person = Person.objects.create(name=name.strip() or email, email=email, employee_number=employee_number)
        elif not person.is_active:
            person.is_active = True
            person.save(update_fields=["is_active"])
        in_team = person.memberships.filter(team=team).overlapping(start, start).first()
        if in_team is not None:
            return in_team
        for spell in person.memberships.filter(end__isnull=True).exclude(team=team).order_by("pk"):
            if spell.start >= start:
                raise ValidationError(_("The person's current team spell starts on or after that day."))
            spell.end = start - dt.timedelta(days=1)
            spell.save(update_fields=["end"])
        membership = Membership.objects.create(person=person, team=team, role=Membership.Role.MEMBER, start=start)
        audit.record(
            actor=actor,
            action="person.join" if created else "person.move",
            obj=person,
            after={"team": team.pk, "start": start, "membership": membership.pk, "created": created},
            reason=reason,
        )
    return membership
