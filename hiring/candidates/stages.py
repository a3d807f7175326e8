"""The stage machine of an application: which moves are routine and which set the process aside.

Pure (no ORM): `decide` asks it, the decision form explains it, tests check it exactly.
"""

from __future__ import annotations

APPLIED, SCREENING, INTERVIEW, OFFER, HIRED, REJECTED, WITHDRAWN = (
    "applied",
    "screening",
    "interview",
    "offer",
    "hired",
    "rejected",
    "withdrawn",
)
CLOSED = frozenset({HIRED, REJECTED, WITHDRAWN})

# Routine moves: forward one step (screening may be skipped), one step back, or out (rejected, withdrawn).
ROUTINE: dict[str, frozenset[str]] = {
    APPLIED: frozenset({SCREENING, INTERVIEW, REJECTED, WITHDRAWN}),
    SCREENING: frozenset({APPLIED, INTERVIEW, REJECTED, WITHDRAWN}),
    INTERVIEW: frozenset({SCREENING, OFFER, REJECTED, WITHDRAWN}),
    OFFER: frozenset({INTERVIEW, HIRED, REJECTED, WITHDRAWN}),
    HIRED: frozenset(),
    REJECTED: frozenset(),
    WITHDRAWN: frozenset(),
}
# Moves that skip the interviews: allowed only with a written reason for setting the process aside.
EXCEPTIONAL: dict[str, frozenset[str]] = {
    APPLIED: frozenset({OFFER, HIRED}),
    SCREENING: frozenset({OFFER, HIRED}),
    INTERVIEW: frozenset({HIRED}),
}
# Offering or hiring rests on submitted scorecards; without any, it is an exception too.
NEEDS_SCORECARDS = frozenset({OFFER, HIRED})


def is_allowed(from_stage: str, to_stage: str) -> bool:
    return to_stage in ROUTINE.get(from_stage, frozenset()) or to_stage in EXCEPTIONAL.get(from_stage, frozenset())


def needs_exception_reason(from_stage: str, to_stage: str, *, scorecards: int, meets_bar: bool | None) -> list[str]:
    """Why this move needs a written exception reason: 'skips' (stages or interviews), 'below_bar'; [] if none."""
    why = []
    if to_stage in EXCEPTIONAL.get(from_stage, frozenset()) or (to_stage in NEEDS_SCORECARDS and scorecards == 0):
        why.append("skips")
    if to_stage in NEEDS_SCORECARDS and meets_bar is False:
        why.append("below_bar")
    return why
