"""Eligible days per person and team: each calendar day counts once. Pure: no ORM."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Spell:
    """One membership of a person in a team: first and last day (None: still a member)."""

    team_id: int
    start: dt.date
    end: dt.date | None


def days_by_team(spells: Iterable[Spell], start: dt.date, end: dt.date) -> dict[int, int]:
    """Eligible days per team in [start, end]; each calendar day counts once per person.

    Spells in one team that touch or overlap (member until the 20th, lead from the 20th) count their
    common days once. A day in two teams belongs to the spell that began last (the day of a move counts
    for the new team; ties go to the higher team id), so the days of all teams never exceed the period.
    """
    spells = list(spells)
    if len(spells) == 1:  # the common case
        first, last = max(spells[0].start, start), min(spells[0].end or end, end)
        return {spells[0].team_id: (last - first).days + 1} if first <= last else {}
    clipped = [(max(s.start, start), min(s.end or end, end), (s.start, s.team_id)) for s in spells]
    clipped = [(first, last, claim) for first, last, claim in clipped if first <= last]
    # Between consecutive boundaries the same spells cover every day: the latest-begun one owns them all.
    bounds = sorted({first for first, _last, _claim in clipped} | {last + ONE_DAY for _first, last, _claim in clipped})
    days: dict[int, int] = {}
    for left, right in itertools.pairwise(bounds):
        claims = [claim for first, last, claim in clipped if first <= left and right - ONE_DAY <= last]
        if claims:
            team_id = max(claims)[1]
            days[team_id] = days.get(team_id, 0) + (right - left).days
    return days
