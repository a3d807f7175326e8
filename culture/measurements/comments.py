"""Recent customer comments per team, masked for display: one query for any number of teams."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from ..models import SurveyResponse
from .masking import mask_contact_details

RECENT_DAYS = 90
PER_TEAM = 3


@dataclass(frozen=True)
class CustomerComment:
    """A customer's comment as staff see it: email addresses and phone numbers masked."""

    team_id: int
    date: dt.date
    survey: str
    score: int
    text: str


def recent_comments(
    team_ids: Collection[int], *, per_team: int = PER_TEAM, today: dt.date | None = None
) -> dict[int, list[CustomerComment]]:
    """The latest comments of each team over the last RECENT_DAYS, newest first, at most `per_team` each."""
    if not team_ids:
        return {}
    since = (today or timezone.localdate()) - dt.timedelta(days=RECENT_DAYS)
    rows = (
        SurveyResponse.objects.filter(team_id__in=team_ids, date__gte=since)
        .exclude(comment="")
        .annotate(rank=Window(RowNumber(), partition_by=[F("team_id")], order_by=[F("date").desc(), F("pk").desc()]))
        .filter(rank__lte=per_team)
        .order_by("team_id", "-date", "-pk")
        .values_list("team_id", "date", "survey", "score", "comment")
    )
    found: dict[int, list[CustomerComment]] = {}
    for team_id, day, survey, score, comment in rows:
        found.setdefault(team_id, []).append(
            CustomerComment(team_id, day, survey, score, mask_contact_details(comment))
        )
    return found
