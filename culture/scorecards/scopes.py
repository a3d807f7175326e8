"""Scorecard levels and the org as id maps: which target scopes apply to a team or a department."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import Department, DepartmentTree, Team

TEAM, DEPARTMENT, COMPANY = "team", "department", "company"
LEVELS = (TEAM, DEPARTMENT, COMPANY)


@dataclass(frozen=True)
class OrgTree:
    """Teams and departments as id maps (two queries), for target resolution and roll-ups."""

    team_department: dict[int, int]
    departments: DepartmentTree
    active_teams: frozenset[int]

    @property
    def department_parent(self) -> dict[int, int | None]:
        return self.departments.parents

    def department_chain(self, department_id: int) -> list[int]:
        """The department and its ancestors, nearest first."""
        return self.departments.chain(department_id)

    def scopes(self, level: str, object_id: int | None) -> list[tuple[str, int | None]]:
        """Target scopes to try, most specific first."""
        if level == TEAM:
            assert object_id is not None
            department = self.team_department[object_id]
            return [(TEAM, object_id), *((DEPARTMENT, d) for d in self.department_chain(department)), (COMPANY, None)]
        if level == DEPARTMENT:
            assert object_id is not None
            return [*((DEPARTMENT, d) for d in self.department_chain(object_id)), (COMPANY, None)]
        return [(COMPANY, None)]

    def departments_under(self) -> dict[int, set[int]]:
        """Department id -> its own id and the ids of all its sub-departments."""
        return self.departments.subtrees()


def load_org() -> OrgTree:
    """Read the org's ids (two queries)."""
    teams = Team.objects.values_list("pk", "department_id", "is_active")
    return OrgTree(
        team_department={pk: department for pk, department, _active in teams},
        departments=Department.objects.tree(),
        active_teams=frozenset(pk for pk, _department, active in teams if active),
    )
