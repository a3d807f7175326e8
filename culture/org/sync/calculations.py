"""The people sync's difference: stored org + rows from the HR system -> a plan of changes. Pure: stdlib only.

The file (or API payload) is the HR system's view of the people it lists; people it does not list are
left alone, so a partial export is safe. Per listed person the plan holds what would change:

- joiner: a new person (or a leaver coming back), with a membership from the start date (new people) or
  the effective date (returning people);
- leaver: an end date on or before today; their memberships end on it, the person is deactivated (and
  their login); an end date still ahead only ends the memberships on that day (deactivation follows in
  the first sync after it);
- move / lead change: another team, or another role in the same team: the open membership ends the day
  before the effective date and a new one starts on it;
- rename (name or email), manager change; new departments and teams the rows need.

A blank team leaves the person's memberships as they are; a blank manager clears the manager, while a
missing manager column (or key) leaves it. Every change that moves a membership date is checked against
closed periods: a day in a closed period is refused with the row, column, value and reason.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ...measurements.cells import FORMULA_PREFIXES, CellError, parse_iso_date
from ...measurements.rules import RowError

FIELDS = (
    "employee_id",
    "name",
    "email",
    "department",
    "team",
    "role",
    "manager_id",
    "start_date",
    "end_date",
    "effective_date",
)
REQUIRED = ("employee_id", "name", "email")
ROLES = ("member", "lead")

MAX_LENGTHS = {"employee_id": 30, "name": 150, "email": 254, "team": 120}
MAX_DEPARTMENT_NAME = 120
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

JOINER = "joiner"
LEAVER = "leaver"
MOVE = "move"
LEAD_CHANGE = "lead_change"
RENAME = "rename"
MANAGER_CHANGE = "manager_change"
NEW_DEPARTMENT = "new_department"
NEW_TEAM = "new_team"
KINDS = (NEW_DEPARTMENT, NEW_TEAM, JOINER, LEAVER, MOVE, LEAD_CHANGE, RENAME, MANAGER_CHANGE)
KIND_LABELS = {
    NEW_DEPARTMENT: "New departments",
    NEW_TEAM: "New teams",
    JOINER: "Joiners",
    LEAVER: "Leavers",
    MOVE: "Moves",
    LEAD_CHANGE: "Lead changes",
    RENAME: "Renamed people",
    MANAGER_CHANGE: "Manager changes",
}

Path = tuple[str, ...]


def fold(text: str) -> str:
    """The matching form of a name: case and surrounding space do not make a different team."""
    return " ".join(text.split()).casefold()


def fold_path(path: Iterable[str]) -> Path:
    return tuple(fold(part) for part in path)


@dataclass(frozen=True)
class StoredMembership:
    id: int
    team_id: int
    role: str
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True)
class StoredPerson:
    id: int
    employee_number: str
    name: str
    email: str
    is_active: bool
    manager_number: str  # "" when none
    memberships: tuple[StoredMembership, ...] = ()


@dataclass(frozen=True)
class StoredTeam:
    id: int
    name: str
    slug: str
    department_path: Path  # display names, root first
    is_active: bool


@dataclass(frozen=True)
class StoredOrg:
    """What is stored, as plain values: people by employee number, teams, departments by folded path."""

    people: Mapping[str, StoredPerson]
    teams: Sequence[StoredTeam]
    departments: Mapping[Path, int]
    closed_ranges: tuple[tuple[dt.date, dt.date], ...] = ()

    def team_index(self) -> dict[tuple[Path, str], StoredTeam]:
        return {(fold_path(team.department_path), fold(team.name)): team for team in self.teams}

    def teams_by_label(self) -> dict[str, list[StoredTeam]]:
        """Name or slug -> teams, for rows that give a team without its department."""
        index: dict[str, list[StoredTeam]] = defaultdict(list)
        for team in self.teams:
            index[fold(team.name)].append(team)
            if fold(team.slug) != fold(team.name):
                index[fold(team.slug)].append(team)
        return index

    def email_owners(self) -> dict[str, str]:
        return {fold(person.email): number for number, person in self.people.items()}


@dataclass(frozen=True)
class TeamRef:
    """A team a row names: an existing one (`id`) or a new one to create under `department_path`."""

    department_path: Path
    name: str
    id: int | None = None

    @property
    def label(self) -> str:
        return " / ".join((*self.department_path, self.name))

    @property
    def key(self) -> tuple[Path, str]:
        return fold_path(self.department_path), fold(self.name)


@dataclass(frozen=True)
class PersonRow:
    """One validated row. `manager` None: leave the manager as it is; "": no manager."""

    row: int
    employee_number: str
    name: str
    email: str
    team: TeamRef | None
    role: str
    manager: str | None
    start: dt.date | None
    end: dt.date | None
    effective: dt.date


@dataclass(frozen=True)
class Change:
    """One change to one person. `close`: (membership id, new end); `start`/`end`: the new membership."""

    kind: str
    row: int
    employee_number: str
    name: str
    person_id: int | None = None
    email: str = ""
    team: TeamRef | None = None
    role: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    close: tuple[tuple[int, dt.date], ...] = ()
    from_teams: tuple[int, ...] = ()
    activate: bool | None = None  # True: (re)activate, False: deactivate, None: as is
    manager: str | None = None
    before: Mapping[str, Any] = field(default_factory=dict)
    after: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Plan:
    """Everything a sync would do, in the order to do it; `errors` non-empty means it must not be applied."""

    departments: tuple[Path, ...] = ()
    teams: tuple[TeamRef, ...] = ()
    changes: tuple[Change, ...] = ()
    errors: tuple[RowError, ...] = ()
    row_count: int = 0

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def is_empty(self) -> bool:
        return not (self.departments or self.teams or self.changes)

    def counts(self) -> dict[str, int]:
        """Kind -> number of changes, every kind present (zeros included), in display order."""
        found = Counter(change.kind for change in self.changes)
        found[NEW_DEPARTMENT] = len(self.departments)
        found[NEW_TEAM] = len(self.teams)
        return {kind: found[kind] for kind in KINDS}

    def by_kind(self) -> dict[str, list[Change]]:
        grouped: dict[str, list[Change]] = {kind: [] for kind in KINDS}
        for change in self.changes:
            grouped[change.kind].append(change)
        return grouped


class _Errors:
    def __init__(self) -> None:
        self.items: list[RowError] = []
        self.bad_rows: set[int] = set()

    def add(self, row: int, column: str, value: object, reason: str) -> None:
        self.items.append(RowError(row, column, "" if value is None else str(value), reason))
        self.bad_rows.add(row)


def _closed_reason(day: dt.date, closed: Sequence[tuple[dt.date, dt.date]]) -> str:
    for start, end in closed:
        if start <= day <= end:
            return (
                f"falls in a closed period ({start.isoformat()} to {end.isoformat()}); its memberships are frozen, "
                "use an effective date in an open period"
            )
    return ""


def _text(errors: _Errors, row: int, column: str, cells: Mapping[str, str | None]) -> str | None:
    value = cells.get(column)
    if value is None:
        return None
    value = value.strip()
    if value.startswith(FORMULA_PREFIXES) and column != "department":
        errors.add(row, column, value, "looks like a spreadsheet formula; text cells may not start with = + - @")
        return None
    limit = MAX_LENGTHS.get(column)
    if limit and len(value) > limit:
        errors.add(row, column, value[:60], f"longer than {limit} characters")
        return None
    return value


def _date(errors: _Errors, row: int, column: str, text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return parse_iso_date(text)
    except CellError as error:
        errors.add(row, column, text, str(error))
        return None


def _path(errors: _Errors, row: int, text: str, separator: str) -> Path | None:
    parts = [part.strip() for part in text.split(separator)] if separator else [text.strip()]
    if any(not part for part in parts):
        errors.add(row, "department", text, f"an empty department name in the path (separator {separator!r})")
        return None
    for part in parts:
        if part.startswith(FORMULA_PREFIXES):
            errors.add(row, "department", text, "looks like a spreadsheet formula; names may not start with = + - @")
            return None
        if len(part) > MAX_DEPARTMENT_NAME:
            errors.add(row, "department", text[:60], f"a department name longer than {MAX_DEPARTMENT_NAME} characters")
            return None
    return tuple(parts)


@dataclass(frozen=True)
class _Parsed:
    row: int
    employee_number: str
    name: str
    email: str
    department: Path | None
    team: str
    role: str
    manager: str | None
    start: dt.date | None
    end: dt.date | None
    effective: dt.date
    effective_text: str


def _parse(
    errors: _Errors, row: int, cells: Mapping[str, str | None], *, separator: str, default_effective: dt.date
) -> _Parsed | None:
    before = len(errors.items)
    number = _text(errors, row, "employee_id", cells) or ""
    name = _text(errors, row, "name", cells) or ""
    email = _text(errors, row, "email", cells) or ""
    for column, value in (("employee_id", number), ("name", name), ("email", email)):
        if not value and not any(e.row == row and e.column == column for e in errors.items[before:]):
            errors.add(row, column, value, "required")
    if email and not _EMAIL.fullmatch(email):
        errors.add(row, "email", email, "not an email address")
    department_text = _text(errors, row, "department", cells) or ""
    department = _path(errors, row, department_text, separator) if department_text else None
    team = _text(errors, row, "team", cells) or ""
    role_text = (_text(errors, row, "role", cells) or "").lower()
    role = role_text or "member"
    if role not in ROLES:
        errors.add(row, "role", role_text, "unknown role (expected member or lead)")
    manager = _text(errors, row, "manager_id", cells)
    if manager is not None and manager == number and number:
        errors.add(row, "manager_id", manager, "a person cannot be their own manager")
    start = _date(errors, row, "start_date", cells.get("start_date"))
    end = _date(errors, row, "end_date", cells.get("end_date"))
    effective_text = (cells.get("effective_date") or "").strip()
    effective = _date(errors, row, "effective_date", effective_text) if effective_text else default_effective
    if start and end and end < start:
        errors.add(row, "end_date", end.isoformat(), f"before the start date {start.isoformat()}")
    if department and not team:
        errors.add(row, "team", "", "required when a department is given")
    if len(errors.items) > before or effective is None:
        return None
    return _Parsed(
        row,
        number,
        name,
        email,
        department,
        team,
        role,
        manager,
        start,
        end,
        effective,
        effective_text or effective.isoformat(),
    )


def _resolve_team(errors: _Errors, parsed: _Parsed, org: StoredOrg, index, labels) -> TeamRef | None:
    if not parsed.team:
        return None
    if parsed.department is not None:
        stored = index.get((fold_path(parsed.department), fold(parsed.team)))
        if stored is None:
            return TeamRef(parsed.department, parsed.team)
        if not stored.is_active:
            errors.add(parsed.row, "team", parsed.team, "this team is closed; reopen it in the app or use another team")
            return None
        return TeamRef(stored.department_path, stored.name, stored.id)
    matches = [team for team in labels.get(fold(parsed.team), []) if team.is_active]
    if len(matches) == 1:
        team = matches[0]
        return TeamRef(team.department_path, team.name, team.id)
    reason = (
        "more than one team has this name; give the department"
        if matches
        else "unknown team; give its department to create it"
    )
    errors.add(parsed.row, "team", parsed.team, reason)
    return None


def compute_plan(
    rows: Iterable[tuple[int, Mapping[str, str | None]]],
    org: StoredOrg,
    *,
    default_effective: dt.date,
    today: dt.date,
    separator: str = "/",
    prior_errors: Iterable[RowError] = (),
) -> Plan:
    """The changes that would make the stored org agree with `rows` ((row number, field -> text) pairs).

    A field missing from a row's mapping (None) means the source does not carry it. `prior_errors` are
    the reader's own row errors (a wrong number of cells), reported with the rest.
    """
    errors = _Errors()
    for error in prior_errors:
        errors.add(error.row, error.column, error.value, error.reason)
    parsed_rows: list[_Parsed] = []
    row_count = len(errors.bad_rows)
    for row, cells in rows:
        row_count += 1
        parsed = _parse(errors, row, cells, separator=separator, default_effective=default_effective)
        if parsed is not None:
            parsed_rows.append(parsed)

    first_number: dict[str, int] = {}
    first_email: dict[str, int] = {}
    unique_rows: list[_Parsed] = []
    for parsed in parsed_rows:
        seen = first_number.setdefault(parsed.employee_number, parsed.row)
        if seen != parsed.row:
            errors.add(parsed.row, "employee_id", parsed.employee_number, f"duplicate of row {seen}")
            continue
        seen = first_email.setdefault(fold(parsed.email), parsed.row)
        if seen != parsed.row:
            errors.add(parsed.row, "email", parsed.email, f"the same email as row {seen}")
            continue
        unique_rows.append(parsed)

    owners = org.email_owners()
    index, labels = org.team_index(), org.teams_by_label()
    listed = set(first_number)
    people: list[PersonRow] = []
    for parsed in unique_rows:
        owner = owners.get(fold(parsed.email))
        if owner is not None and owner != parsed.employee_number:
            errors.add(parsed.row, "email", parsed.email, f"already the email of employee {owner}")
            continue
        if parsed.manager and parsed.manager not in org.people and parsed.manager not in listed:
            reason = "no person with this employee id, stored or in the file"
            errors.add(parsed.row, "manager_id", parsed.manager, reason)
            continue
        bad = len(errors.items)
        team = _resolve_team(errors, parsed, org, index, labels)
        if len(errors.items) > bad:
            continue
        people.append(
            PersonRow(
                parsed.row,
                parsed.employee_number,
                parsed.name,
                parsed.email,
                team,
                parsed.role,
                parsed.manager,
                parsed.start,
                parsed.end,
                parsed.effective,
            )
        )

    effective_text = {parsed.row: parsed.effective_text for parsed in parsed_rows}
    changes: list[Change] = []
    for person in people:
        changes.extend(_diff(errors, person, org, today=today, effective_text=effective_text[person.row]))

    if errors.items:
        return Plan(errors=tuple(sorted(errors.items)), row_count=row_count)
    new_teams: dict[tuple[Path, str], TeamRef] = {}
    for change in changes:
        if change.team is not None and change.team.id is None:
            new_teams.setdefault(change.team.key, change.team)
    new_departments: dict[Path, Path] = {}
    for team in new_teams.values():
        for depth in range(1, len(team.department_path) + 1):
            path = team.department_path[:depth]
            if fold_path(path) not in org.departments:
                new_departments.setdefault(fold_path(path), path)
    return Plan(
        departments=tuple(sorted(new_departments.values(), key=lambda path: (len(path), fold_path(path)))),
        teams=tuple(new_teams.values()),
        changes=tuple(changes),
        row_count=row_count,
    )


def _diff(errors: _Errors, row: PersonRow, org: StoredOrg, *, today: dt.date, effective_text: str) -> list[Change]:
    stored = org.people.get(row.employee_number)
    closed = org.closed_ranges
    is_leaver = row.end is not None and row.end <= today

    def make(kind: str, **fields: Any) -> Change:
        return Change(kind, row.row, row.employee_number, row.name, **fields)

    team_label = row.team.label if row.team else ""

    if stored is None:
        start = row.start or row.effective
        if row.end is not None and row.end < start:
            errors.add(row.row, "end_date", row.end.isoformat(), f"before the start {start.isoformat()}")
            return []
        if row.team is not None:
            reason = _closed_reason(start, closed)
            if reason:
                column = "start_date" if row.start else "effective_date"
                errors.add(row.row, column, start.isoformat(), reason)
                return []
        after = {"team": team_label, "role": row.role, "start": start, "end": row.end, "is_active": not is_leaver}
        return [
            make(
                JOINER,
                email=row.email,
                team=row.team,
                role=row.role,
                start=start if row.team else None,
                end=row.end,
                activate=not is_leaver,
                manager=row.manager or "",
                after=after,
            )
        ]

    changes: list[Change] = []
    if (stored.name, stored.email) != (row.name, row.email):
        pairs = (("name", stored.name, row.name), ("email", stored.email, row.email))
        changed = [column for column, old, new in pairs if old != new]
        changes.append(
            make(
                RENAME,
                person_id=stored.id,
                email=row.email,
                before={"name": stored.name, "email": stored.email, "changed": changed},
                after={"name": row.name, "email": row.email, "changed": changed},
            )
        )
    if row.manager is not None and row.manager != stored.manager_number:
        changes.append(
            make(
                MANAGER_CHANGE,
                person_id=stored.id,
                manager=row.manager,
                before={"manager": stored.manager_number},
                after={"manager": row.manager},
            )
        )

    if row.end is not None:
        open_after = [m for m in stored.memberships if m.end is None or m.end > row.end]
        for membership in open_after:
            if membership.start > row.end:
                errors.add(
                    row.row,
                    "end_date",
                    row.end.isoformat(),
                    f"a membership starting on {membership.start.isoformat()} begins after this end date",
                )
                return changes
        deactivate = stored.is_active and is_leaver
        if open_after:
            reason = _closed_reason(row.end + dt.timedelta(days=1), closed)
            if reason:
                errors.add(row.row, "end_date", row.end.isoformat(), reason)
                return changes
        if open_after or deactivate:
            changes.append(
                make(
                    LEAVER,
                    person_id=stored.id,
                    end=row.end,
                    close=tuple((m.id, row.end) for m in open_after),
                    from_teams=tuple(m.team_id for m in open_after),
                    activate=False if deactivate else None,
                    before={"is_active": stored.is_active, "memberships": [m.id for m in open_after]},
                    after={"is_active": stored.is_active and not deactivate, "end": row.end},
                )
            )
        return changes

    open_now = [m for m in stored.memberships if m.end is None]
    returning = not stored.is_active
    if row.team is None:
        if returning:
            changes.append(
                make(
                    JOINER,
                    person_id=stored.id,
                    activate=True,
                    before={"is_active": False},
                    after={"is_active": True},
                )
            )
        return changes
    current = {(m.team_id, m.role) for m in open_now}
    if row.team.id is not None and current == {(row.team.id, row.role)}:
        if returning:
            changes.append(
                make(
                    JOINER,
                    person_id=stored.id,
                    activate=True,
                    before={"is_active": False},
                    after={"is_active": True},
                )
            )
        return changes
    on = row.effective
    for membership in open_now:
        if membership.start >= on:
            errors.add(
                row.row,
                "effective_date",
                effective_text,
                f"the current membership started on {membership.start.isoformat()}; a change must take effect after it",
            )
            return changes
    reason = _closed_reason(on, closed)
    if reason:
        errors.add(row.row, "effective_date", effective_text, reason)
        return changes
    if returning or not open_now:
        kind = JOINER
    elif row.team.id is not None and all(m.team_id == row.team.id for m in open_now):
        kind = LEAD_CHANGE
    else:
        kind = MOVE
    changes.append(
        make(
            kind,
            person_id=stored.id,
            team=row.team,
            role=row.role,
            start=on,
            close=tuple((m.id, on - dt.timedelta(days=1)) for m in open_now),
            from_teams=tuple(m.team_id for m in open_now),
            activate=True if returning else None,
            before={"memberships": [[m.team_id, m.role] for m in open_now], "is_active": stored.is_active},
            after={"team": team_label, "role": row.role, "start": on, "is_active": True},
        )
    )
    return changes
