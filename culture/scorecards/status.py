"""The one status rule: bands, the score, composite labels and the words people read. Pure: no ORM.

Each threshold is named by the band it starts, and its own value belongs to that band:

- **on track** at or better than "on track from" (G itself is on track);
- **off track** at or worse than "off track from" (R itself is off track);
- **at risk** strictly between the two.

"Better" follows the KPI's direction, so a lower-is-better KPI is the mirror image, and negative values
(an NPS of -20) need nothing special. The target lies inside the on-track band. Status is judged on the
exact actual, never on the rounded one a page shows (74.95 against "on track from 75.0" is at risk).

The API keeps the codes (green, amber, red, neutral, noise); people read `STATUS_LABELS`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ZERO = Decimal(0)
HUNDRED = Decimal(100)
SCORE_PLACES = Decimal("0.1")
FULL_SCORE, NO_SCORE = Decimal("100.0"), Decimal("0.0")
# The composite (0-100) is labelled by the same rule as a higher-is-better KPI with these thresholds.
COMPOSITE_ON_TRACK_FROM = Decimal(80)
COMPOSITE_OFF_TRACK_FROM = Decimal(50)


class Status(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NEUTRAL = "neutral"
    NOISE = "noise"


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


# gettext_lazy: read in the language of whoever sees the page or PDF.
STATUS_LABELS: dict[str, str | Promise] = {
    Status.GREEN: _("On track"),
    Status.AMBER: _("At risk"),
    Status.RED: _("Off track"),
    Status.NEUTRAL: _("Not rated"),
    Status.NOISE: _("Within noise"),
}
# Statuses the composite leaves out: nothing to judge (neutral) or too uncertain to judge (noise).
UNRATED = frozenset({Status.NEUTRAL, Status.NOISE})


def label(status: str) -> str | Promise:
    """The word people read for a status code ("On track" for green)."""
    return STATUS_LABELS.get(status or Status.NEUTRAL, status)


def is_at_least_as_good(actual: Decimal, bound: Decimal, direction: str) -> bool:
    """True when `actual` is at or better than `bound` for a KPI of this direction."""
    return actual <= bound if direction == Direction.LOWER else actual >= bound


def band(actual: Decimal, on_track_from: Decimal, off_track_from: Decimal, direction: str) -> Status:
    """Green, amber or red for an exact actual. On track is tested first, so if both thresholds are equal
    (refused for new targets, see `thresholds_problem`) the shared value reads on track."""
    if is_at_least_as_good(actual, on_track_from, direction):
        return Status.GREEN
    if is_at_least_as_good(off_track_from, actual, direction):
        return Status.RED
    return Status.AMBER


def score(actual: Decimal | None, target: Decimal, off_track_from: Decimal, direction: str) -> Decimal | None:
    """0-100, monotonic in the actual: 100 at or better than the target, 0 at or worse than "off track
    from", linear between. Rounded half up to 0.1, except that a score strictly between 0 and 100 never
    shows as 0.0 or 100.0: a score of 0.0 always means off track and 100.0 always means the target is met."""
    if actual is None:
        return None
    if is_at_least_as_good(actual, target, direction):
        return FULL_SCORE
    if is_at_least_as_good(off_track_from, actual, direction):
        return NO_SCORE
    exact = HUNDRED * (actual - off_track_from) / (target - off_track_from)
    shown = exact.quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)
    return min(max(shown, SCORE_PLACES), FULL_SCORE - SCORE_PLACES)


def composite_status(composite: Decimal | None) -> Status:
    """A composite score's label by the same rule: on track from 80, off track from 50, neutral without one."""
    if composite is None:
        return Status.NEUTRAL
    return band(composite, COMPOSITE_ON_TRACK_FROM, COMPOSITE_OFF_TRACK_FROM, Direction.HIGHER)


def thresholds_problem(direction: str, target: Decimal, on_track_from: Decimal, off_track_from: Decimal) -> str | None:
    """Why target and thresholds are out of order for this direction (None when they are fine): the target
    must be on track, and "off track from" strictly worse than "on track from" so that no value is both."""
    if direction == Direction.LOWER:
        if not target <= on_track_from < off_track_from:
            return (
                'For a lower-is-better KPI the target must be at most "on track from", '
                'and "on track from" below "off track from".'
            )
    elif not target >= on_track_from > off_track_from:
        return (
            'For a higher-is-better KPI the target must be at least "on track from", '
            'and "on track from" above "off track from".'
        )
    return None
