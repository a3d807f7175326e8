"""People sync services: read a file or records, compute the plan (calculations), apply it all or nothing.

`sync_people_records` is the entry point for every source that is not a file (the REST endpoint, SCIM);
`sync_people_file` reads CSV/XLSX through the measurement imports' reader and calls the same code.
Applying recomputes the plan inside the transaction, after locking the periods it touches, so a period
closed (or a person changed) since the preview is seen; one bad row and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import audit

from ...measurements.reading import FileProblem, open_table
from ...measurements.rules import RowError
from ...measurements.services import default_limits
from ...models import Department, Membership, Period, Person, Team
from ..services import unique_slug
from . import calculations as calc
from .presets import Preset, get_preset

# The kinds of change as pages and messages name them (calculations is stdlib only and keeps English labels).
KIND_TITLES = {
    calc.NEW_DEPARTMENT: _("New departments"),
    calc.NEW_TEAM: _("New teams"),
    calc.JOINER: _("Joiners"),
    calc.LEAVER: _("Leavers"),
    calc.MOVE: _("Moves"),
    calc.LEAD_CHANGE: _("Lead changes"),
    calc.RENAME: _("Renamed people"),
    calc.MANAGER_CHANGE: _("Manager changes"),
}


@dataclass
class SyncResult:
    """What a sync found and (unless a dry run or invalid) did. `is_valid` False means nothing was written."""

    source: str
    filename: str = ""
    dry_run: bool = True
    file_error: str = ""
    plan: calc.Plan = field(default_factory=calc.Plan)
    applied: bool = False

    @property
    def is_valid(self) -> bool:
        return not self.file_error and self.plan.is_valid

    @property
    def error_count(self) -> int:
        return len(self.plan.errors)

    @property
    def errors(self) -> tuple[RowError, ...]:
        return self.plan.errors[: settings.CENTRIC_IMPORT_MAX_ERRORS]

    @property
    def hidden_error_count(self) -> int:
        return self.error_count - len(self.errors)

    @property
    def counts(self) -> dict[str, int]:
        return self.plan.counts()

    def summary(self) -> str:
        if self.file_error:
            return self.file_error
        rows = self.plan.row_count
        if not self.plan.is_valid:
            return gettext("%(errors)s problem(s) in %(rows)s rows; nothing was written.") % {
                "errors": self.error_count,
                "rows": rows,
            }
        parts = ", ".join(f"{count} {str(KIND_TITLES[kind]).lower()}" for kind, count in self.counts.items() if count)
        if not parts:
            return gettext("%(rows)s rows: no changes.") % {"rows": rows}
        if self.dry_run:
            return gettext("%(rows)s rows: would change %(changes)s.") % {"rows": rows, "changes": parts}
        return gettext("%(rows)s rows: changed %(changes)s.") % {"rows": rows, "changes": parts}


def _department_paths() -> dict[int, calc.Path]:
    rows = dict((pk, (name, parent)) for pk, name, parent in Department.objects.values_list("pk", "name", "parent_id"))
    paths: dict[int, calc.Path] = {}

    def path(pk: int, seen: frozenset[int] = frozenset()) -> calc.Path:
        if pk not in paths:
            name, parent = rows[pk]
            paths[pk] = (*path(parent, seen | {pk}), name) if parent is not None and parent not in seen else (name,)
        return paths[pk]

    for pk in rows:
        path(pk)
    return paths


def load_org() -> calc.StoredOrg:
    """The stored org as plain values (four queries, whatever the number of people)."""
    departments = _department_paths()
    teams = [
        calc.StoredTeam(pk, name, slug, departments[department_id], is_active)
        for pk, name, slug, department_id, is_active in Team.objects.values_list(
            "pk", "name", "slug", "department_id", "is_active"
        )
    ]
    memberships: dict[int, list[calc.StoredMembership]] = {}
    for pk, person_id, team_id, role, start, end in Membership.objects.values_list(
        "pk", "person_id", "team_id", "role", "start", "end"
    ):
        memberships.setdefault(person_id, []).append(calc.StoredMembership(pk, team_id, role, start, end))
    people = {}
    for pk, number, name, email, is_active, manager_number in Person.objects.values_list(
        "pk", "employee_number", "name", "email", "is_active", "manager__employee_number"
    ):
        people[number] = calc.StoredPerson(
            pk, number, name, email, is_active, manager_number or "", tuple(memberships.get(pk, ()))
        )
    closed = tuple(Period.objects.closed().order_by("start").values_list("start", "end"))
    return calc.StoredOrg(
        people=people,
        teams=teams,
        departments={calc.fold_path(path): pk for pk, path in departments.items()},
        closed_ranges=closed,
    )


def _plan(rows, *, separator: str, effective: dt.date | None, today: dt.date, prior_errors=()) -> calc.Plan:
    return calc.compute_plan(
        rows,
        load_org(),
        default_effective=effective or today,
        today=today,
        separator=separator,
        prior_errors=prior_errors,
    )


def _read_file(stream: BinaryIO, preset: Preset) -> tuple[list[tuple[int, dict[str, str | None]]], list[RowError]]:
    table = open_table(
        stream, columns=preset.file_columns(), required=preset.required_columns(), limits=default_limits()
    )
    present = {name.strip().lower() for name in table.header}
    fields = [(index, name, preset.header(name) in present) for index, name in enumerate(calc.FIELDS)]
    rows: list[tuple[int, dict[str, str | None]]] = []
    problems: list[RowError] = []
    for number, cells in table.rows:
        if isinstance(cells, RowError):
            problems.append(cells)
            continue
        rows.append((number, {name: cells[index] if here else None for index, name, here in fields}))
    return rows, problems


def sync_people_file(
    *,
    stream: BinaryIO,
    filename: str = "",
    actor,
    preset: str | Preset = "standard",
    separator: str | None = None,
    effective: dt.date | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> SyncResult:
    """Sync people from a CSV/XLSX export read through `preset` (`separator` overrides its path separator)."""
    chosen = get_preset(preset) if isinstance(preset, str) else preset
    result = SyncResult(source="file", filename=filename, dry_run=dry_run)
    try:
        rows, problems = _read_file(stream, chosen)
    except FileProblem as problem:
        result.file_error = str(problem)
        return result
    return _run(
        result,
        rows,
        actor=actor,
        separator=separator or chosen.separator,
        effective=effective,
        today=today,
        prior_errors=problems,
    )


def _record_cells(number: int, record: object) -> tuple[dict[str, str | None], list[RowError]]:
    if not isinstance(record, Mapping):
        return {}, [RowError(number, "(record)", str(record)[:60], "not an object with the sync fields")]
    unknown = sorted(str(key) for key in record if key not in calc.FIELDS)
    if unknown:
        return {}, [RowError(number, "(record)", ", ".join(unknown)[:60], "unknown field(s)")]
    cells: dict[str, str | None] = {}
    for name in calc.FIELDS:
        if name not in record:
            cells[name] = None
            continue
        value = record[name]
        if value is None:
            cells[name] = ""
        elif isinstance(value, dt.date):
            cells[name] = value.isoformat()
        elif isinstance(value, str | int) and not isinstance(value, bool):
            cells[name] = str(value)
        else:
            return {}, [RowError(number, name, str(value)[:60], "must be text")]
    return cells, []


def sync_people_records(
    *,
    records: Sequence[Mapping[str, Any]],
    actor,
    source: str = "api",
    separator: str = "/",
    effective: dt.date | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> SyncResult:
    """Sync people from records (dicts keyed by calculations.FIELDS); numbered 1, 2, ... in errors.

    A key left out means "the source does not say" (memberships or the manager stay as they are); a
    None or "" value clears it. Dates as ISO text or `date`. This is the call SCIM provisioning makes:
    e.g. `[{"employee_id": "E1", "name": ..., "email": ..., "end_date": today}]` deactivates E1.
    """
    rows, problems = [], []
    for number, record in enumerate(records, start=1):
        cells, errors = _record_cells(number, record)
        if errors:
            problems.extend(errors)
        else:
            rows.append((number, cells))
    result = SyncResult(source=source, dry_run=dry_run)
    return _run(result, rows, actor=actor, separator=separator, effective=effective, today=today, prior_errors=problems)


def _run(
    result: SyncResult,
    rows: list[tuple[int, dict[str, str | None]]],
    *,
    actor,
    separator: str,
    effective: dt.date | None,
    today: dt.date | None,
    prior_errors: Iterable[RowError],
) -> SyncResult:
    today = today or timezone.localdate()
    prior = list(prior_errors)
    result.plan = _plan(rows, separator=separator, effective=effective, today=today, prior_errors=prior)
    if result.dry_run or not result.plan.is_valid or result.plan.is_empty:
        return result
    with transaction.atomic():
        _lock_periods(result.plan)
        # Recomputed under the lock: a period closed, or a person changed, since the first look counts.
        result.plan = _plan(rows, separator=separator, effective=effective, today=today, prior_errors=prior)
        if result.plan.is_valid:
            apply_plan(result.plan, actor=actor, source=result.source)
            result.applied = True
    return result


def _change_days(plan: calc.Plan) -> list[dt.date]:
    days = []
    for change in plan.changes:
        if change.start is not None:
            days.append(change.start)
        days.extend(end + dt.timedelta(days=1) for _id, end in change.close)
    return days


def _lock_periods(plan: calc.Plan) -> None:
    """Lock the period rows over the plan's days: close_period locks them too, so a close waits for us."""
    days = _change_days(plan)
    if days:
        list(Period.objects.select_for_update().filter(start__lte=max(days), end__gte=min(days)).order_by("pk"))


def apply_plan(plan: calc.Plan, *, actor, source: str = "file") -> None:
    """Write a valid plan: departments, teams, people, memberships, managers; an audit entry per change.

    Call inside a transaction (the sync services do). Audit payloads carry ids, dates, roles and which
    fields changed, never names or emails (personal data stays out of the audit trail).
    """
    reason = f"people sync ({source})"
    department_ids = {calc.fold_path(path): pk for pk, path in _department_paths().items()}
    department_slugs = set(Department.objects.values_list("slug", flat=True))
    for path in plan.departments:
        department = Department.objects.create(
            name=path[-1],
            slug=unique_slug(path[-1], department_slugs, fallback="department"),
            parent_id=department_ids.get(calc.fold_path(path[:-1])),
        )
        department_ids[calc.fold_path(path)] = department.pk
        audit.record(
            actor=actor,
            action="department.create",
            obj=department,
            after={"parent": department.parent_id},
            reason=reason,
        )
    team_ids: dict[tuple[calc.Path, str], int] = {}
    team_slugs = set(Team.objects.values_list("slug", flat=True))
    for ref in plan.teams:
        team = Team.objects.create(
            name=ref.name,
            slug=unique_slug(ref.name, team_slugs, fallback="team"),
            department_id=department_ids[calc.fold_path(ref.department_path)],
        )
        team_ids[ref.key] = team.pk
        after = {"department": team.department_id}
        audit.record(actor=actor, action="team.create", obj=team, after=after, reason=reason)

    def team_id(ref: calc.TeamRef) -> int:
        return ref.id if ref.id is not None else team_ids[ref.key]

    person_ids = {change.employee_number: change.person_id for change in plan.changes if change.person_id}
    new_people = [change for change in plan.changes if change.kind == calc.JOINER and change.person_id is None]
    created = Person.objects.bulk_create(
        [
            Person(
                name=change.name,
                email=change.email,
                employee_number=change.employee_number,
                is_active=bool(change.activate),
            )
            for change in new_people
        ]
    )
    for change, person in zip(new_people, created, strict=True):
        person_ids[change.employee_number] = person.pk
    Membership.objects.bulk_create(
        [
            Membership(
                person_id=person_ids[change.employee_number],
                team_id=team_id(change.team),
                role=change.role,
                start=change.start,
                end=change.end,
            )
            for change in new_people
            if change.team is not None and change.start is not None
        ]
    )
    for change, person in zip(new_people, created, strict=True):
        joined: dict[str, Any] = {**change.after, "team": team_id(change.team) if change.team else None}
        audit.record(actor=actor, action="person.join", obj=person, after=joined, reason=reason)

    wanted = {change.manager for change in plan.changes if change.manager}
    manager_ids = dict(Person.objects.filter(employee_number__in=wanted).values_list("employee_number", "pk"))
    for change in new_people:
        if change.manager:
            Person.objects.filter(pk=person_ids[change.employee_number]).update(manager_id=manager_ids[change.manager])
    for change in plan.changes:
        if change.kind != calc.JOINER or change.person_id is not None:
            _apply_change(change, actor=actor, team_id=team_id, reason=reason, manager_ids=manager_ids)


ACTIONS = {
    calc.JOINER: "person.rejoin",
    calc.LEAVER: "person.leave",
    calc.MOVE: "person.move",
    calc.LEAD_CHANGE: "person.lead_change",
    calc.RENAME: "person.rename",
    calc.MANAGER_CHANGE: "person.manager",
}


def _apply_change(change: calc.Change, *, actor, team_id, reason: str, manager_ids: Mapping[str, int]) -> None:
    assert change.person_id is not None  # only stored people's changes come here; new joiners were created above
    person = Person.objects.select_related("user").get(pk=change.person_id)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    if change.kind == calc.RENAME:
        before = after = {"changed": change.after["changed"]}
        person.name, person.email = change.name, change.email
        person.save(update_fields=["name", "email"])
    elif change.kind == calc.MANAGER_CHANGE:
        before = {"manager": person.manager_id}
        person.manager_id = manager_ids[change.manager] if change.manager else None
        person.save(update_fields=["manager"])
        after = {"manager": person.manager_id}
    else:
        for membership_id, end in change.close:
            Membership.objects.filter(pk=membership_id).update(end=end)
        before = {"memberships": list(change.from_teams), "is_active": person.is_active}
        after = {"closed_on": [end for _id, end in change.close]}
        if change.team is not None and change.start is not None:
            # A spell closed by this change the day before it started never took effect (a lead change on the
            # day someone joined): the new spell takes its place rather than clashing with it on the same start.
            membership, _created = Membership.objects.update_or_create(
                person=person,
                team_id=team_id(change.team),
                start=change.start,
                defaults={"role": change.role, "end": None},
            )
            after.update(team=membership.team_id, role=membership.role, start=membership.start)
        if change.activate is not None and change.activate != person.is_active:
            person.is_active = change.activate
            person.save(update_fields=["is_active"])
            if person.user is not None and person.user.is_active != change.activate:
                person.user.is_active = change.activate
                person.user.save(update_fields=["is_active"])
                after["login_active"] = change.activate
        after["is_active"] = person.is_active
    audit.record(actor=actor, action=ACTIONS[change.kind], obj=person, before=before, after=after, reason=reason)
