"""The debrief, pure: who said what per competency, where the panel disagrees, and whether it is complete.

No ORM, no settings: the view loads the panel through the read path and passes the threshold in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Statement:
    """One interviewer's rating (None: not assessed) and evidence on one competency."""

    interviewer: str
    rating: int | None
    evidence: str


@dataclass(frozen=True)
class DebriefRow:
    """A competency with every interviewer's statement side by side and the spread of their ratings."""

    key: str
    name: str
    statements: tuple[Statement, ...]
    spread: int | None  # max - min over the ratings given; None with fewer than two
    is_disagreement: bool


@dataclass(frozen=True)
class PanelProgress:
    """How many of the assigned scorecards are in."""

    submitted: int
    expected: int

    @property
    def waiting_for(self) -> int:
        return self.expected - self.submitted

    @property
    def is_complete(self) -> bool:
        return self.expected > 0 and self.submitted >= self.expected


def panel_progress(assignments: Iterable[tuple[int, int]], submissions: Iterable[tuple[int, int]]) -> PanelProgress:
    """(interview id, interviewer id) pairs assigned and submitted -> progress; extra submissions do not count."""
    expected = set(assignments)
    return PanelProgress(submitted=len(expected & set(submissions)), expected=len(expected))


def rating_spread(ratings: Iterable[int | None]) -> int | None:
    """Largest minus smallest rating given; None when fewer than two interviewers rated."""
    given = [r for r in ratings if r is not None]
    return max(given) - min(given) if len(given) >= 2 else None


def debrief_rows(
    competencies: Sequence[tuple[str, str]],
    statements: Iterable[tuple[str, Statement]],
    *,
    disagreement_spread: int,
) -> list[DebriefRow]:
    """(key, name) per competency in rubric order and (key, statement) pairs -> one row per competency."""
    if disagreement_spread < 1:
        raise ValueError("disagreement_spread must be at least 1")
    by_key: dict[str, list[Statement]] = {key: [] for key, _name in competencies}
    for key, statement in statements:
        if key in by_key:
            by_key[key].append(statement)
    rows = []
    for key, name in competencies:
        said = tuple(by_key[key])
        spread = rating_spread(s.rating for s in said)
        rows.append(
            DebriefRow(
                key=key,
                name=name,
                statements=said,
                spread=spread,
                is_disagreement=spread is not None and spread >= disagreement_spread,
            )
        )
    return rows
