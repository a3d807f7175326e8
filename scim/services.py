"""SCIM resources read from and written to the org: a User is a Person (+ their login), a Group is a Team.

Every write is atomic and audited (actor: none, reason: the SCIM token's name); payloads hold ids and
flags only. Memberships are dated: a member added today starts today, a member removed today (or a person
deactivated) was last in the team yesterday; people and past memberships are never deleted, so team history
and prorated payouts stay (only a membership added and removed on the same day, never in force, goes).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify

from core.audit import record
from culture.models import Department, Membership, Person, Team
from users.roles import Role, group_name

from .models import ScimToken
from .protocol import ENTERPRISE_SCHEMA, GROUP_SCHEMA, USER_SCHEMA, ScimError, as_bool

MAX_EMPLOYEE_NUMBER = 30


def _today() -> dt.date:
    return timezone.localdate()


def _reason(token: ScimToken) -> str:
    return f"SCIM provisioning ({token.name})"


# --- reading ---------------------------------------------------------------------------------------------


def people() -> QuerySet[Person]:
    return Person.objects.select_related("manager").order_by("pk")


def teams() -> QuerySet[Team]:
    """Open teams: a closed (SCIM-deleted) team is gone for the client, its history stays in Centric."""
    return Team.objects.filter(is_active=True).order_by("pk")


def user_resource(person: Person, base_url: str) -> dict[str, Any]:
    current = Membership.objects.current().filter(person=person, team__is_active=True).select_related("team")
    enterprise: dict[str, Any] = {"employeeNumber": person.employee_number}
    if person.manager_id:
        enterprise["manager"] = {"value": str(person.manager_id), "$ref": f"{base_url}Users/{person.manager_id}"}
    return {
        "schemas": [USER_SCHEMA, ENTERPRISE_SCHEMA],
        "id": str(person.pk),
        "externalId": person.employee_number,
        "userName": person.email,
        "name": {"formatted": person.name},
        "displayName": person.name,
        "active": person.is_active,
        "emails": [{"value": person.email, "type": "work", "primary": True}],
        "groups": [
            {"value": str(m.team_id), "display": m.team.name, "$ref": f"{base_url}Groups/{m.team_id}"} for m in current
        ],
        ENTERPRISE_SCHEMA: enterprise,
        "meta": {"resourceType": "User", "location": f"{base_url}Users/{person.pk}"},
    }


def group_resource(team: Team, base_url: str, *, with_members: bool = True) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "schemas": [GROUP_SCHEMA],
        "id": str(team.pk),
        "displayName": team.name,
        "meta": {"resourceType": "Group", "location": f"{base_url}Groups/{team.pk}"},
    }
    if with_members:
        current = Membership.objects.current().filter(team=team).select_related("person").order_by("person_id")
        resource["members"] = [
            {"value": str(m.person_id), "display": m.person.name, "$ref": f"{base_url}Users/{m.person_id}"}
            for m in current
        ]
    return resource


# --- reading a client's body -----------------------------------------------------------------------------


@dataclass(frozen=True)
class UserFields:
    """What a User body sets on a person: the login address, the name, active, the employee number."""

    email: str
    name: str
    active: bool
    employee_number: str  # "" when the body gives none


def _get(body: dict[str, Any], name: str) -> Any:
    for key, value in body.items():
        if key.lower() == name.lower():
            return value
    return None


def user_fields(body: dict[str, Any]) -> UserFields:
    if not isinstance(body, dict):
        raise ScimError(400, "The body must be a JSON object.", "invalidSyntax")
    email = str(_get(body, "userName") or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ScimError(400, "userName must be the person's email address.", "invalidValue") from error
    name_part = _get(body, "name") or {}
    if not isinstance(name_part, dict):
        raise ScimError(400, "name must be an object.", "invalidValue")
    given_family = " ".join(str(part) for part in (_get(name_part, "givenName"), _get(name_part, "familyName")) if part)
    name = str(_get(name_part, "formatted") or given_family or _get(body, "displayName") or email).strip()
    active = _get(body, "active")
    enterprise = _get(body, ENTERPRISE_SCHEMA) or {}
    number = str(_get(body, "externalId") or _get(enterprise, "employeeNumber") or "").strip()
    if len(number) > MAX_EMPLOYEE_NUMBER:
        raise ScimError(400, f"externalId is longer than {MAX_EMPLOYEE_NUMBER} characters.", "invalidValue")
    return UserFields(
        email=email,
        name=name[:150],
        active=True if active is None else as_bool(active),
        employee_number=number,
    )


def member_ids(members: Any) -> set[int]:
    """The person ids of a Group body's `members`; an unknown id is refused, not ignored."""
    if members is None:
        return set()
    if not isinstance(members, list):
        raise ScimError(400, "members must be a list.", "invalidValue")
    ids: set[int] = set()
    for member in members:
        value = member.get("value") if isinstance(member, dict) else None
        if value is None or not str(value).isdigit():
            raise ScimError(400, f"Unknown member {value!r}.", "invalidValue")
        ids.add(int(value))
    known = set(Person.objects.filter(pk__in=ids).values_list("pk", flat=True))
    if unknown := sorted(ids - known):
        raise ScimError(400, f"Unknown member(s): {', '.join(map(str, unknown))}.", "invalidValue")
    return ids


# --- writing people --------------------------------------------------------------------------------------


def _check_unique(fields: UserFields, person: Person | None) -> None:
    others = Person.objects.exclude(pk=person.pk) if person else Person.objects.all()
    if others.filter(email__iexact=fields.email).exists():
        raise ScimError(409, f"A user with userName {fields.email} already exists.", "uniqueness")
    if fields.employee_number and others.filter(employee_number=fields.employee_number).exists():
        raise ScimError(409, f"A user with externalId {fields.employee_number} already exists.", "uniqueness")


def _login_for(person: Person, email: str):
    """The person's login, created (SSO only: no usable password) or an existing one of that address linked."""
    users = get_user_model().objects
    if person.user_id:
        user = person.user
        assert user is not None  # person.user_id is set
        if user.email.lower() != email and not users.filter(email__iexact=email).exclude(pk=user.pk).exists():
            user.email = email
    else:
        user = users.filter(email__iexact=email, person__isnull=True).first()
        if user is None:
            user = users.create_user(email=email, password=None)
            user.groups.add(AuthGroup.objects.get(name=group_name(Role.EMPLOYEE)))
        person.user = user
    user.name = person.name
    user.is_active = person.is_active
    user.save()
    return user


def _end(membership: Membership, today: dt.date, token: ScimToken) -> None:
    """The membership's last day becomes yesterday; one that only started today never took effect and goes."""
    after = {"person": membership.person_id, "team": membership.team_id}
    if membership.start >= today:
        record(actor=None, action="scim.membership_withdrawn", obj=membership, after=after, reason=_reason(token))
        membership.delete()
        return
    membership.end = today - dt.timedelta(days=1)
    membership.save(update_fields=["end"])
    record(
        actor=None,
        action="scim.membership_ended",
        obj=membership,
        after={**after, "end": membership.end},
        reason=_reason(token),
    )


def _end_memberships(person: Person, token: ScimToken, *, team: Team | None = None) -> None:
    today = _today()
    current = Membership.objects.current(today).filter(person=person)
    if team is not None:
        current = current.filter(team=team)
    for membership in current.select_for_update():
        _end(membership, today, token)


@transaction.atomic
def create_person(fields: UserFields, token: ScimToken) -> Person:
    _check_unique(fields, None)
    number = fields.employee_number
    while not number or Person.objects.filter(employee_number=number).exists():
        number = f"scim-{secrets.token_hex(6)}"  # the HR system's number arrives later by sync or PUT
    person = Person.objects.create(
        name=fields.name, email=fields.email, employee_number=number, is_active=fields.active
    )
    user = _login_for(person, fields.email)
    person.save(update_fields=["user"])
    record(
        actor=None,
        action="scim.person_created",
        obj=person,
        after={"person": person.pk, "user": user.pk, "active": person.is_active},
        reason=_reason(token),
    )
    return person


@transaction.atomic
def update_person(person: Person, fields: UserFields, token: ScimToken) -> Person:
    """A PUT (or a PATCH, once applied to the resource): the person takes the body's values."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    _check_unique(fields, person)
    before = {"active": person.is_active, "user": person.user_id}
    deactivating = person.is_active and not fields.active
    person.name, person.email, person.is_active = fields.name, fields.email, fields.active
    if fields.employee_number:
        person.employee_number = fields.employee_number
    user = _login_for(person, fields.email)
    person.save()
    if deactivating:
        # A leaver: never deleted; their team history ends yesterday and their login stops working.
        _end_memberships(person, token)
    record(
        actor=None,
        action="scim.person_deactivated" if deactivating else "scim.person_updated",
        obj=person,
        before=before,
        after={"active": person.is_active, "user": user.pk},
        reason=_reason(token),
    )
    return person


# --- writing teams ---------------------------------------------------------------------------------------


def _department() -> Department:
    slug = settings.CENTRIC_SCIM_DEPARTMENT
    department, _created = Department.objects.get_or_create(slug=slug, defaults={"name": "Provisioned (SCIM)"})
    return department


def _unique_slug(name: str) -> str:
    base = slugify(name)[:100] or "team"
    slug, n = base, 1
    while Team.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _display_name(body: dict[str, Any]) -> str:
    name = str(_get(body, "displayName") or "").strip()
    if not name:
        raise ScimError(400, "displayName is required.", "invalidValue")
    return name[:120]


@transaction.atomic
def set_members(team: Team, wanted: set[int], token: ScimToken) -> None:
    """The team's current members become exactly `wanted`: joiners start today, the others end yesterday."""
    today = _today()
    current = {m.person_id: m for m in Membership.objects.current(today).filter(team=team).select_for_update()}
    for person_id, membership in current.items():
        if person_id not in wanted:
            _end(membership, today, token)
    for person_id in sorted(wanted - set(current)):
        membership = Membership.objects.create(person_id=person_id, team=team, start=today, role=Membership.Role.MEMBER)
        record(
            actor=None,
            action="scim.membership_started",
            obj=membership,
            after={"person": person_id, "team": team.pk, "start": today},
            reason=_reason(token),
        )


@transaction.atomic
def create_team(body: dict[str, Any], token: ScimToken) -> Team:
    name = _display_name(body)
    if teams().filter(name__iexact=name).exists():
        raise ScimError(409, f"A group named {name!r} already exists.", "uniqueness")
    wanted = member_ids(_get(body, "members"))
    team = Team.objects.create(name=name, slug=_unique_slug(name), department=_department())
    record(actor=None, action="scim.team_created", obj=team, after={"team": team.pk}, reason=_reason(token))
    set_members(team, wanted, token)
    return team


@transaction.atomic
def update_team(team: Team, body: dict[str, Any], token: ScimToken, *, members_given: bool = True) -> Team:
    name = _display_name(body)
    if name != team.name:
        if teams().filter(name__iexact=name).exclude(pk=team.pk).exists():
            raise ScimError(409, f"A group named {name!r} already exists.", "uniqueness")
        record(
            actor=None,
            action="scim.team_renamed",
            obj=team,
            before={"team": team.pk},
            after={"team": team.pk},
            reason=_reason(token),
        )
        team.name = name
        team.save(update_fields=["name"])
    if members_given:
        set_members(team, member_ids(_get(body, "members")), token)
    return team


@transaction.atomic
def close_team(team: Team, token: ScimToken) -> None:
    """A SCIM DELETE: the team is closed and its memberships end; measurements and history stay."""
    set_members(team, set(), token)
    team.is_active = False
    team.save(update_fields=["is_active"])
    record(actor=None, action="scim.team_closed", obj=team, after={"active": False}, reason=_reason(token))


@transaction.atomic
def deactivate_person(person: Person, token: ScimToken) -> None:
    """A SCIM DELETE of a user: deactivated like a leaver, never deleted."""
    resource = {"userName": person.email, "name": {"formatted": person.name}, "active": False}
    update_person(person, user_fields(resource), token)
