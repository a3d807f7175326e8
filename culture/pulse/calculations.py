"""Pulse maths, pure: eNPS, the culture index, and which groups' results may be shown (minimum group size and
the differencing rule). Stdlib and Decimal only; see docs/kpi-maths.md "Pulse surveys" for the definitions.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

HUNDRED = Decimal(100)


def enps(scores: Sequence[int]) -> Decimal | None:
    """100 x (promoters 9-10 - detractors 0-6) / answers, unrounded; None without answers."""
    if not scores:
        return None
    promoters = sum(1 for score in scores if score >= 9)
    detractors = sum(1 for score in scores if score <= 6)
    return HUNDRED * (promoters - detractors) / len(scores)


def culture_index(scores: Sequence[int]) -> Decimal | None:
    """Mean agreement (1-5) mapped to 0-100: (mean - 1) / 4 x 100, unrounded; None without answers."""
    if not scores:
        return None
    mean = Decimal(sum(scores)) / len(scores)
    return (mean - 1) / 4 * HUNDRED


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 -> 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def response_rate(answered: int, invited: int) -> Decimal | None:
    """100 x answered / invited; None when nobody was invited."""
    if invited == 0:
        return None
    return HUNDRED * answered / invited


@dataclass(frozen=True)
class Group:
    """A result group of one pulse: a team, a department (its whole subtree) or the company.

    `teams` are the team ids it covers; `respondents` how many responses those teams gave.
    """

    key: str  # "team:<id>", "department:<id>", "company"
    teams: frozenset[int]
    respondents: int


def residual(group: Group, shown: Iterable[Group]) -> int:
    """Respondents of `group` not covered by its largest shown proper sub-groups (the maximal ones)."""
    inside = [other for other in shown if other.teams < group.teams]
    maximal = [g for g in inside if not any(g.teams < other.teams for other in inside)]
    # maximal sub-groups of a tree are disjoint; equal team sets are the same group shown twice
    seen: set[frozenset[int]] = set()
    covered = 0
    for g in maximal:
        if g.teams not in seen:
            seen.add(g.teams)
            covered += g.respondents
    return group.respondents - covered


def shown_groups(groups: Iterable[Group], minimum: int) -> set[str]:
    """The keys of the groups whose results may be shown.

    Rule (docs/kpi-maths.md): a group is shown only with >= `minimum` respondents, and for every shown group
    the respondents not covered by its maximal shown sub-groups number 0 or >= `minimum`. While a shown group
    breaks that, its smallest maximal shown sub-group is hidden (the larger aggregate is kept). Then any
    difference of shown groups (a group minus any disjoint shown sub-groups) is 0 or >= `minimum` people.
    Groups are nested or disjoint (a tree), which the caller guarantees.
    """
    candidates = [group for group in groups if group.respondents >= minimum]
    shown = {group.key: group for group in candidates}
    changed = True
    while changed:
        changed = False
        for group in sorted(shown.values(), key=lambda g: (-len(g.teams), g.key)):
            if group.key not in shown:
                continue
            left = residual(group, shown.values())
            if 0 < left < minimum:
                inside = [g for g in shown.values() if g.teams < group.teams]
                maximal = [g for g in inside if not any(g.teams < other.teams for other in inside)]
                smallest = min(maximal, key=lambda g: (g.respondents, g.key))
                for g in [g for g in shown.values() if g.teams == smallest.teams]:
                    del shown[g.key]
                changed = True
                break
    return set(shown)


def department_groups(
    team_departments: Mapping[int, int], subtrees: Mapping[int, set[int]], respondents: Mapping[int, int]
) -> list[Group]:
    """Every team, department and the company as groups, from team -> department, department -> its subtree
    and team -> respondents (teams of the pulse only; a department without such teams is left out)."""
    groups = [Group(f"team:{team}", frozenset({team}), respondents.get(team, 0)) for team in team_departments]
    for department, subtree in subtrees.items():
        teams = frozenset(team for team, dept in team_departments.items() if dept in subtree)
        if teams:
            groups.append(Group(f"department:{department}", teams, sum(respondents.get(t, 0) for t in teams)))
    everyone = frozenset(team_departments)
    groups.append(Group("company", everyone, sum(respondents.get(t, 0) for t in everyone)))
    return groups
