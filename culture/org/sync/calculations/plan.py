"""The people sync's values: the stored org as plain values, the rows' team references, the changes and the plan."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ....measurements.rules import RowError

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
