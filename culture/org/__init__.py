"""The org: departments (a tree), teams, people and their memberships; their pages, API and demo data.

The lookups other apps use:

    from culture.org import department_tree   # .with_ancestors(ids), .subtree(ids), .chain(id)

The models themselves live in `culture.models` (Django loads them first), so importing this package
never reaches back into it while the models load.
"""

from __future__ import annotations

from ..models import Department, DepartmentTree, in_force_on

__all__ = ["DepartmentTree", "department_tree", "in_force_on"]


def department_tree() -> DepartmentTree:
    """The whole department tree as an id map (one query), for walks up (ancestors) or down (subtrees)."""
    return Department.objects.tree()
