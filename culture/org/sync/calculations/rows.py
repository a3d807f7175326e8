"""The people sync's rows read and validated: field text -> one checked `PersonRow` per listed person.

Every problem is a row error (row, column, value, reason); a row with one is left out of the plan, and any
error at all keeps the plan from being applied.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ....measurements.cells import FORMULA_PREFIXES, CellError, parse_iso_date
from ....measurements.rules import RowError
from .plan import Path, PersonRow, StoredOrg, StoredTeam, TeamRef, fold, fold_path

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


class RowErrors:
    """The row errors found so far, and which rows they spoil."""

    def __init__(self) -> None:
        self.items: list[RowError] = []
        self.bad_rows: set[int] = set()

    def add(self, row: int, column: str, value: object, reason: str) -> None:
        self.items.append(RowError(row, column, "" if value is None else str(value), reason))
        self.bad_rows.add(row)


def _text(errors: RowErrors, row: int, column: str, cells: Mapping[str, str | None]) -> str | None:
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


def _date(errors: RowErrors, row: int, column: str, text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return parse_iso_date(text)
    except CellError as error:
        errors.add(row, column, text, str(error))
        return None


def _path(errors: RowErrors, row: int, text: str, separator: str) -> Path | None:
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
    errors: RowErrors, row: int, cells: Mapping[str, str | None], *, separator: str, default_effective: dt.date
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


def _resolve_team(
    errors: RowErrors,
    parsed: _Parsed,
    index: Mapping[tuple[Path, str], StoredTeam],
    labels: Mapping[str, list[StoredTeam]],
) -> TeamRef | None:
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


@dataclass(frozen=True)
class ValidRows:
    """The rows fit to diff, each row's effective date as written, and how many rows were read."""

    people: list[PersonRow]
    effective_text: dict[int, str]
    row_count: int


def read_rows(
    errors: RowErrors,
    rows: Iterable[tuple[int, Mapping[str, str | None]]],
    org: StoredOrg,
    *,
    separator: str,
    default_effective: dt.date,
) -> ValidRows:
    """Parse and check each row, then across rows (duplicates) and against the stored org (emails, managers, teams)."""
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
        team = _resolve_team(errors, parsed, index, labels)
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
    return ValidRows(people, effective_text, row_count)
