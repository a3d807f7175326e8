"""Eligible days per person and team: each calendar day counts once. Pure: no ORM."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


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
    if len(spells) == 1:  # the common case, without walking the days
        first, last = max(spells[0].start, start), min(spells[0].end or end, end)
        return {spells[0].team_id: (last - first).days + 1} if first <= last else {}
    owner: dict[dt.date, tuple[dt.date, int]] = {}
    for spell in spells:
        first, last = max(spell.start, start), min(spell.end or end, end)
        day = first
        while day <= last:
            claim = (spell.start, spell.team_id)
            current = owner.get(day)
            if current is None or claim > current:
                owner[day] = claim
            day += dt.timedelta(days=1)
    days: dict[int, int] = {}
    for _begun, team_id in owner.values():
        days[team_id] = days.get(team_id, 0) + 1
    return days
