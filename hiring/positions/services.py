"""Writes to positions: create and edit, with their interviewers.

Each function takes keyword-only arguments, runs in one transaction and leaves an audit entry whose
payload holds ids and codes only, never a candidate's personal data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import record, snapshot

from ..models import (
    Position,
)

POSITION_FIELDS = ("title", "team", "rubric_version", "bar_score", "hiring_manager", "status", "opened_on")
# A position is opened on a day that has come, within the retention of any application it could hold.
MAX_OPENED_YEARS_BACK = 5


def check_opened_on(opened_on: dt.date, today: dt.date) -> None:
    """The opening day is not in the future and not implausibly old (an opening in 2099 or 1999 is a typo)."""
    try:
        earliest = today.replace(year=today.year - MAX_OPENED_YEARS_BACK)
    except ValueError:  # 29 February, in a year without one
        earliest = today.replace(year=today.year - MAX_OPENED_YEARS_BACK, day=28)
    if opened_on > today:
        raise ValidationError({"opened_on": _("The opening date cannot be in the future.")})
    if opened_on < earliest:
        raise ValidationError(
            {"opened_on": _("The opening date is before %(earliest)s.") % {"earliest": earliest.isoformat()}}
        )


# --- positions and candidates -------------------------------------------------------------------------


def sorted_ids(objs: Iterable) -> list[int]:
    """Primary keys in order, for audit snapshots of many-to-many fields."""
    return sorted(o.pk for o in objs)


def save_position(
    *, actor, data: Mapping[str, Any], interviewers: Iterable, position: Position | None = None
) -> Position:
    """Create or update a position; it must pin a published rubric version."""
    rubric_version = data["rubric_version"]
    if not rubric_version.is_published:
        raise ValidationError({"rubric_version": _("Pin a published rubric version.")})
    with transaction.atomic():
        stored_opened_on = None
        if position is None:
            position = Position(**{k: data[k] for k in POSITION_FIELDS if k in data})
            before = None
        else:
            position = Position.objects.select_for_update().get(pk=position.pk)
            stored_opened_on = position.opened_on
            before = {
                **snapshot(position, list(POSITION_FIELDS)),
                "interviewers": sorted_ids(position.interviewers.all()),
            }
            if (
                position.rubric_version_id != rubric_version.pk
                and position.applications.filter(interviews__scorecards__isnull=False).exists()
            ):
                raise ValidationError({"rubric_version": _("Scorecards exist for this position; keep its rubric.")})
            for name in POSITION_FIELDS:
                if name in data:
                    setattr(position, name, data[name])
        # Checked when set or changed (against the stored day; a form has already written its instance): an
        # old position keeps its day through unrelated edits.
        if position.opened_on != stored_opened_on:
            check_opened_on(position.opened_on, timezone.localdate())
        position.full_clean()
        position.save()
        position.interviewers.set(interviewers)
        after = {**snapshot(position, list(POSITION_FIELDS)), "interviewers": sorted_ids(interviewers)}
        record(actor=actor, action="hiring.position.saved", obj=position, before=before, after=after)
    return position
