"""The people sync's difference: each validated row against the stored person -> the changes to make."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ....measurements.rules import RowError
from .plan import (
    JOINER,
    LEAD_CHANGE,
    LEAVER,
    MANAGER_CHANGE,
    MOVE,
    RENAME,
    Change,
    Path,
    PersonRow,
    Plan,
    StoredOrg,
    TeamRef,
    fold_path,
)
from .rows import RowErrors, read_rows


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
    errors = RowErrors()
    for error in prior_errors:
        errors.add(error.row, error.column, error.value, error.reason)
    valid = read_rows(errors, rows, org, separator=separator, default_effective=default_effective)
    row_count = valid.row_count
    people, effective_text = valid.people, valid.effective_text
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


def _closed_reason(day: dt.date, closed: Sequence[tuple[dt.date, dt.date]]) -> str:
    for start, end in closed:
        if start <= day <= end:
            return (
                f"falls in a closed period ({start.isoformat()} to {end.isoformat()}); its memberships are frozen, "
                "use an effective date in an open period"
            )
    return ""


def _diff(errors: RowErrors, row: PersonRow, org: StoredOrg, *, today: dt.date, effective_text: str) -> list[Change]:
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
