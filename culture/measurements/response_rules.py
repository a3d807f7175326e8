"""Validation rules for survey-response rows (one row per respondent's score). Pure: stdlib, no ORM, no settings.

The shared row checks (team, date, channel, duplicate keys) are `rules._RowValidator`'s; a response adds its
survey's scale and the respondent, who answers once per team, survey, day and channel.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import NamedTuple

from django.utils.translation import gettext as _

from .cells import CellError, check_text, parse_count
from .rules import ImportContext, RowKey, _RowValidator

RESPONSE_COLUMNS = ("team", "survey", "date", "channel", "score", "respondent", "comment")
RESPONSE_REQUIRED = ("team", "survey", "date", "score", "respondent")

SURVEY_SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}
MAX_RESPONDENT_LENGTH = 80
MAX_COMMENT_LENGTH = 2000


class ResponseRow(NamedTuple):
    """A validated survey response."""

    team_id: int
    survey: str
    date: dt.date
    channel: str
    score: int
    respondent: str
    comment: str = ""


class ResponseValidator(_RowValidator):
    """Checks survey-response rows (cells in RESPONSE_COLUMNS order) and returns ResponseRow or None."""

    def __init__(self, context: ImportContext, *, max_errors: int = 1000) -> None:
        super().__init__(context, max_errors=max_errors)
        self._has_all_responses: set[RowKey] = set()

    def check(self, row: int, cells: Sequence[str]) -> ResponseRow | None:
        self.rows_seen += 1
        errors_before = self.error_count
        team_text, survey, date_text, channel_text, score_text, respondent, *optional = cells
        comment = optional[0] if optional else ""  # the optional last column: the customer's own words
        team_id = self._team(row, team_text)
        scale = SURVEY_SCALES.get(survey)
        if scale is None:
            self.add_error(row, "survey", survey, _("unknown survey (expected nps, csat or ces)"))
        elif survey not in self.context.survey_kpis:
            self.add_error(row, "survey", survey, _("no KPI in the catalogue is fed by this survey"))
        day = self._date(row, date_text)
        channel = self._channel(row, channel_text)
        score = None
        try:
            score = parse_count(score_text) if score_text else None
        except CellError as error:
            self.add_error(row, "score", score_text, str(error))
        else:
            if score is None:
                self.add_error(row, "score", "", _("required"))
            elif scale is not None and not scale[0] <= score <= scale[1]:
                reason = _("outside the %(survey)s scale %(low)s-%(high)s")
                self.add_error(row, "score", score_text, reason % {"survey": survey, "low": scale[0], "high": scale[1]})
        if not respondent:
            self.add_error(row, "respondent", "", _("required"))
        elif len(respondent) > MAX_RESPONDENT_LENGTH:
            self.add_error(
                row,
                "respondent",
                respondent[:20] + "...",
                _("longer than %(length)s characters") % {"length": MAX_RESPONDENT_LENGTH},
            )
        else:
            try:
                check_text(respondent)
            except CellError as error:
                self.add_error(row, "respondent", respondent, str(error))
        if len(comment) > MAX_COMMENT_LENGTH:
            self.add_error(row, "comment", comment[:20] + "...", f"longer than {MAX_COMMENT_LENGTH} characters")
        if self.error_count != errors_before:
            self.bad_rows += 1
            return None
        assert team_id is not None and day is not None and channel is not None and score is not None
        key = (team_id, survey, day)
        shown = f"{team_text},{survey},{date_text},{channel},{respondent}"
        if not self._check_response_key(row, key, channel, respondent, shown):
            self.bad_rows += 1
            return None
        return ResponseRow(team_id, survey, day, channel, score, respondent, comment)

    def _check_response_key(self, row: int, day_key: RowKey, channel: str, respondent: str, shown: str) -> bool:
        first = self._keys.get((*day_key, channel, respondent))
        if first is not None:
            reason = _("the same respondent answered already in row %(row)s") % {"row": first}
            self.add_error(row, "respondent", respondent, reason)
            return False
        if channel == "all" and day_key in self._has_specific:
            self.add_error(row, "channel", channel, _("other rows give specific channels for the same day"))
            return False
        if channel != "all" and day_key in self._has_all_responses:
            self.add_error(row, "channel", channel, _("other rows give channel all for the same day"))
            return False
        self._keys[(*day_key, channel, respondent)] = row
        if channel == "all":
            self._has_all_responses.add(day_key)
        else:
            self._has_specific.setdefault(day_key, row)
        return True
