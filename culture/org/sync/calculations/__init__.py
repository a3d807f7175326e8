"""The people sync's plan: stored org + rows from the HR system -> a plan of changes. Pure: stdlib only.

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

`rows` reads and validates the rows, `changes` diffs them against the stored org, `plan` holds the values.
"""

from __future__ import annotations

from .changes import compute_plan
from .plan import (
    JOINER,
    KIND_LABELS,
    KINDS,
    LEAD_CHANGE,
    LEAVER,
    MANAGER_CHANGE,
    MOVE,
    NEW_DEPARTMENT,
    NEW_TEAM,
    RENAME,
    Change,
    Path,
    PersonRow,
    Plan,
    StoredMembership,
    StoredOrg,
    StoredPerson,
    StoredTeam,
    TeamRef,
    fold,
    fold_path,
)
from .rows import FIELDS, REQUIRED, ROLES

__all__ = [
    "FIELDS",
    "JOINER",
    "KINDS",
    "KIND_LABELS",
    "LEAD_CHANGE",
    "LEAVER",
    "MANAGER_CHANGE",
    "MOVE",
    "NEW_DEPARTMENT",
    "NEW_TEAM",
    "RENAME",
    "REQUIRED",
    "ROLES",
    "Change",
    "Path",
    "PersonRow",
    "Plan",
    "StoredMembership",
    "StoredOrg",
    "StoredPerson",
    "StoredTeam",
    "TeamRef",
    "compute_plan",
    "fold",
    "fold_path",
]
