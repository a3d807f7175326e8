"""Validation rules for measurement rows (survey responses: `response_rules`). Pure: stdlib and Decimal, no ORM,
no settings.

A validator sees one row at a time (so a 3.65M-row file streams through it) and keeps the few facts
that span rows: the keys seen so far (duplicates) and which (team, KPI, day) carry channel `all` versus
specific channels (mixing them would count the same contacts twice).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.utils.translation import gettext as _

from .cells import (
    FORMULA_PREFIXES,
    PLAIN_NUMBER,
    CellError,
    parse_count,
    parse_decimal,
    parse_iso_date,
    significant_digits,
)

CHANNELS = ("all", "phone", "email", "chat", "social", "self_service", "in_person")
CHANNEL_INDEX = {name: index for index, name in enumerate(CHANNELS)}
ALL_CHANNEL = 0

MEASUREMENT_COLUMNS: tuple[str, ...] = (
    "team",
    "kpi",
    "date",
    "channel",
    "value",
    "numerator",
    "denominator",
    "sample_size",
    "sum_squares",
)
# Column order: the survey total's columns, then `sum_squares` (survey totals keep their interval), then a
# stock KPI's customer base that day instead of a value (last, so that the columns before keep their positions).
STOCK_COLUMNS = ("opening", "gained", "lost", "closing")
MEASUREMENT_COLUMNS += STOCK_COLUMNS
BASE_CELLS = len(MEASUREMENT_COLUMNS) - len(STOCK_COLUMNS)
MEASUREMENT_REQUIRED = ("team", "kpi", "date")
# A row's identity for duplicate checks: team, KPI or survey, day, then channel (and respondent).
RowKey = tuple[object, ...]


@dataclass(frozen=True, order=True)
class RowError:
    """One problem in one row: spreadsheet row number (the header is row 1), column, the value, why."""

    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.column} {self.value!r}: {self.reason}"


class MeasurementRow(NamedTuple):
    """A validated measurement, ready to write (ids resolved, numbers as Decimal)."""

    team_id: int
    kpi_id: int
    date: dt.date
    channel: str
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    sample_size: int | None
    sum_squares: Decimal | None = None
    opening: int | None = None
    gained: int | None = None
    lost: int | None = None
    closing: int | None = None


@dataclass(frozen=True)
class KpiRule:
    """What the validator needs to know about a KPI."""

    id: int
    aggregation: str
    # "share": 0 <= numerator <= denominator (percent ratios); "signed": |numerator| <= denominator (NPS).
    bounds: str = ""

    @property
    def is_ratio(self) -> bool:
        return self.aggregation == "ratio"

    @property
    def is_stock(self) -> bool:
        return self.aggregation in ("churn", "retention")

    def numerator_in_bounds(self, numerator: Decimal, denominator: Decimal) -> bool:
        if self.bounds == "share":
            return 0 <= numerator <= denominator
        if self.bounds == "signed":
            return abs(numerator) <= denominator
        return True


@dataclass(frozen=True)
class ImportContext:
    """The reference data a file is checked against, loaded once per import.

    `editable_team_ids` is None when the user may edit every team. `closed_ranges` are the inclusive
    date ranges of closed periods. `max_significant_digits` is set where the database cannot keep
    numeric(18, 6) exactly (SQLite stores a float: 15 significant digits), so that a number it would
    round is refused instead of stored as something else.
    """

    teams: dict[str, int]
    kpis: dict[str, KpiRule]
    editable_team_ids: frozenset[int] | None = None
    closed_ranges: tuple[tuple[dt.date, dt.date], ...] = ()
    survey_kpis: dict[str, int] = field(default_factory=dict)
    max_significant_digits: int | None = None

    def may_edit(self, team_id: int) -> bool:
        return self.editable_team_ids is None or team_id in self.editable_team_ids


class _RowValidator:
    """Shared machinery: error collection with a cap, date cache, team and channel checks, cross-row keys."""

    def __init__(self, context: ImportContext, *, max_errors: int = 1000) -> None:
        self.context = context
        self.max_errors = max_errors
        self.errors: list[RowError] = []
        self.error_count = 0
        self.rows_seen = 0
        self.bad_rows = 0
        self._dates: dict[str, dt.date | str] = {}
        self._keys: dict[RowKey, int] = {}
        self._has_specific: dict[RowKey, int] = {}

    @property
    def is_valid(self) -> bool:
        return self.error_count == 0

    def validated_days(self) -> list[dt.date]:
        """The distinct valid dates seen so far."""
        return [day for day in self._dates.values() if isinstance(day, dt.date)]

    def row_of(self, key: RowKey) -> int:
        """The row number of an accepted key (0 if unknown)."""
        return self._keys.get(key, 0)

    def add_error(self, row: int, column: str, value: str, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < self.max_errors:
            self.errors.append(RowError(row, column, value, reason))

    def _date(self, row: int, text: str) -> dt.date | None:
        cached = self._dates.get(text)
        if cached is None:
            try:
                day = parse_iso_date(text)
            except CellError as error:
                cached = str(error)
            else:
                cached = day
                for start, end in self.context.closed_ranges:
                    if start <= day <= end:
                        cached = _("falls in a closed period (%(start)s to %(end)s); it is frozen") % {
                            "start": start.isoformat(),
                            "end": end.isoformat(),
                        }
                        break
            self._dates[text] = cached
        if isinstance(cached, str):
            self.add_error(row, "date", text, cached)
            return None
        return cached

    def _team(self, row: int, text: str) -> int | None:
        team_id = self.context.teams.get(text)
        if team_id is not None and self.context.may_edit(team_id):
            return team_id
        if not text:
            self.add_error(row, "team", text, _("required"))
        elif text.startswith(FORMULA_PREFIXES):
            self.add_error(row, "team", text, _("looks like a spreadsheet formula"))
        else:
            # The same words for "no such team" and "not yours": a lead cannot probe for other teams.
            self.add_error(row, "team", text, _("unknown team slug, or a team you may not edit"))
        return None

    def _channel(self, row: int, text: str) -> str | None:
        if not text:
            return "all"
        if text in CHANNEL_INDEX:
            return text
        lowered = text.strip().lower().replace(" ", "_").replace("-", "_")
        hint = _("; did you mean %(channel)s?") % {"channel": lowered} if lowered in CHANNEL_INDEX else ""
        reason = _("unknown channel (expected one of %(channels)s)") % {"channels": ", ".join(CHANNELS)}
        self.add_error(row, "channel", text, reason + hint)
        return None

    def _check_key(self, row: int, day_key: RowKey, channel: str, shown: str) -> bool:
        """False (with an error) for a repeated key, or for `all` beside specific channels on one day."""
        key = (*day_key, channel)
        first = self._keys.get(key)
        if first is not None:
            self.add_error(row, "team,kpi,date,channel", shown, _("duplicate of row %(row)s") % {"row": first})
            return False
        if channel == "all":
            other = self._has_specific.get(day_key)
            if other is not None:
                reason = _("row %(row)s gives a specific channel for the same day: both would count") % {"row": other}
                self.add_error(row, "channel", channel, reason)
                return False
        else:
            other = self._keys.get((*day_key, "all"))
            if other is not None:
                reason = _("row %(row)s gives channel all for the same day: both would count") % {"row": other}
                self.add_error(row, "channel", channel, reason)
                return False
            self._has_specific.setdefault(day_key, row)
        self._keys[key] = row
        return True


class MeasurementValidator(_RowValidator):
    """Checks measurement rows (cells in MEASUREMENT_COLUMNS order) and returns MeasurementRow or None.

    `check` first tries a fast path for the common, clean row (plain numbers, known ids, a new key); any
    doubt falls through to `check_fully`, which applies every rule and names every problem.
    """

    def __init__(self, context: ImportContext, *, max_errors: int = 1000) -> None:
        super().__init__(context, max_errors=max_errors)
        self._editable = {slug: pk for slug, pk in context.teams.items() if context.may_edit(pk)}
        self._ratio_ids = {code: rule.id for code, rule in context.kpis.items() if rule.is_ratio}
        self._bounded = {code: rule for code, rule in context.kpis.items() if rule.bounds}
        self._value_ids = {code: rule.id for code, rule in context.kpis.items() if not (rule.is_ratio or rule.is_stock)}
        self._max_digits = context.max_significant_digits

    def check(self, row: int, cells: Sequence[str]) -> MeasurementRow | None:
        if any(cells[BASE_CELLS:]):
            return self.check_fully(row, cells)
        team_text, kpi_text, date_text, channel_text, value_text, num_text, den_text, size_text, squares_text = cells[
            :BASE_CELLS
        ]
        if squares_text:
            # Rare (survey totals with their sum of squares): every rule applies, on the full path.
            return self.check_fully(row, cells)
        team_id = self._editable.get(team_text)
        day = self._dates.get(date_text)
        channel = channel_text or "all"
        if (
            team_id is None
            or day.__class__ is not dt.date
            or channel not in CHANNEL_INDEX
            or (size_text and not (size_text.isascii() and size_text.isdigit() and len(size_text) < 10))
        ):
            return self.check_fully(row, cells)
        plain = PLAIN_NUMBER.fullmatch
        kpi_id = self._ratio_ids.get(kpi_text)
        value = numerator = denominator = None
        if kpi_id is not None:
            if value_text or not plain(num_text) or not plain(den_text) or den_text[0] == "-":
                return self.check_fully(row, cells)
            numerator, denominator = Decimal(num_text), Decimal(den_text)
            if not denominator and numerator:
                return self.check_fully(row, cells)
            if self._max_digits and max(significant_digits(numerator), significant_digits(denominator)) > (
                self._max_digits
            ):
                return self.check_fully(row, cells)
            bounded = self._bounded.get(kpi_text)
            if bounded is not None and not bounded.numerator_in_bounds(numerator, denominator):
                return self.check_fully(row, cells)
        else:
            kpi_id = self._value_ids.get(kpi_text)
            if kpi_id is None or num_text or den_text or not plain(value_text):
                return self.check_fully(row, cells)
            value = Decimal(value_text)
            if self._max_digits and significant_digits(value) > self._max_digits:
                return self.check_fully(row, cells)
        keys = self._keys
        key = (team_id, kpi_id, day, channel)
        if key in keys:
            return self.check_fully(row, cells)
        if channel == "all":
            if self._has_specific and (team_id, kpi_id, day) in self._has_specific:
                return self.check_fully(row, cells)
        elif (team_id, kpi_id, day, "all") in keys:
            return self.check_fully(row, cells)
        else:
            self._has_specific.setdefault((team_id, kpi_id, day), row)
        keys[key] = row
        self.rows_seen += 1
        return MeasurementRow(
            team_id, kpi_id, day, channel, value, numerator, denominator, int(size_text) if size_text else None
        )

    def check_fully(self, row: int, cells: Sequence[str]) -> MeasurementRow | None:
        """Every rule, every problem named."""
        self.rows_seen += 1
        errors_before = self.error_count
        team_text, kpi_text, date_text, channel_text, value_text, num_text, den_text, size_text, squares_text = cells[
            :BASE_CELLS
        ]
        given = tuple(cells[BASE_CELLS:])  # callers that predate the base columns pass only the cells before them
        base_texts = dict(zip(STOCK_COLUMNS, given + ("",) * (len(STOCK_COLUMNS) - len(given)), strict=True))
        base = {name: self._count(row, name, text) for name, text in base_texts.items()}
        team_id = self._team(row, team_text)
        rule = self.context.kpis.get(kpi_text)
        if rule is None:
            reason = _("required") if not kpi_text else _("unknown KPI code")
            if kpi_text.startswith(FORMULA_PREFIXES):
                reason = _("looks like a spreadsheet formula")
            self.add_error(row, "kpi", kpi_text, reason)
        day = self._date(row, date_text)
        channel = self._channel(row, channel_text)
        value = self._number(row, "value", value_text)
        numerator = self._number(row, "numerator", num_text)
        denominator = self._number(row, "denominator", den_text)
        sample_size = self._count(row, "sample_size", size_text)
        sum_squares = self._number(row, "sum_squares", squares_text)
        if rule is not None and rule.is_stock:
            self._check_base(row, base_texts, base, value_text, num_text, den_text)
            if squares_text:
                self.add_error(row, "sum_squares", squares_text, _("only survey KPIs take a sum of squares"))
        elif rule is not None:
            self._check_shape(row, rule, value_text, num_text, den_text, value, numerator, denominator)
            self._check_squares(row, rule, squares_text, sum_squares, numerator, denominator)
            for name, text in base_texts.items():
                if text:
                    self.add_error(row, name, text, _("only customer-base (churn, retention) KPIs take it"))
        if self.error_count != errors_before:
            self.bad_rows += 1
            return None
        assert team_id is not None and rule is not None and day is not None and channel is not None
        if not self._check_key(row, (team_id, rule.id, day), channel, f"{team_text},{kpi_text},{date_text},{channel}"):
            self.bad_rows += 1
            return None
        return MeasurementRow(
            team_id, rule.id, day, channel, value, numerator, denominator, sample_size, sum_squares, **base
        )

    def _check_squares(
        self,
        row: int,
        rule: KpiRule,
        text: str,
        sum_squares: Decimal | None,
        numerator: Decimal | None,
        denominator: Decimal | None,
    ) -> None:
        """A sum of squared per-response scores is never negative; for NPS (scores +1, 0, -1) it is
        promoters + detractors, so it lies between |promoters - detractors| and the responses."""
        if sum_squares is None:
            return
        if sum_squares < 0:
            self.add_error(row, "sum_squares", text, _("a sum of squares cannot be negative"))
        elif rule.bounds == "signed" and numerator is not None and denominator is not None:
            reason = _("for NPS the sum of squares is promoters + detractors: between |numerator| and the denominator")
            if not abs(numerator) <= sum_squares <= denominator:
                self.add_error(row, "sum_squares", text, reason)

    def _check_base(
        self,
        row: int,
        texts: Mapping[str, str],
        base: Mapping[str, int | None],
        value_text: str,
        num_text: str,
        den_text: str,
    ) -> None:
        """A customer-base row: gained, lost and closing (opening optional); the day's bridge must balance."""
        for name, text in (("value", value_text), ("numerator", num_text), ("denominator", den_text)):
            if text:
                self.add_error(row, name, text, _("a customer-base KPI takes opening, gained, lost and closing"))
        for name in ("gained", "lost", "closing"):
            if not texts[name]:
                self.add_error(row, name, "", _("required for a customer-base KPI"))
        opening, gained, lost, closing = (base[name] for name in STOCK_COLUMNS)
        if opening is None or gained is None or lost is None or closing is None:
            return
        if opening + gained - lost != closing:
            reason = _("opening + gained - lost is %(balance)s, not the closing base") % {
                "balance": opening + gained - lost
            }
            self.add_error(row, "closing", texts["closing"], reason)

    def _number(self, row: int, column: str, text: str) -> Decimal | None:
        if not text:
            return None
        try:
            number = parse_decimal(text)
        except CellError as error:
            self.add_error(row, column, text, str(error))
            return None
        if self._max_digits and significant_digits(number) > self._max_digits:
            reason = _("more than %(digits)s significant digits: this database would round it") % {
                "digits": self._max_digits
            }
            self.add_error(row, column, text, reason)
            return None
        return number

    def _count(self, row: int, column: str, text: str) -> int | None:
        if not text:
            return None
        try:
            return parse_count(text)
        except CellError as error:
            self.add_error(row, column, text, str(error))
            return None

    def _check_shape(
        self,
        row: int,
        rule: KpiRule,
        value_text: str,
        num_text: str,
        den_text: str,
        value: Decimal | None,
        numerator: Decimal | None,
        denominator: Decimal | None,
    ) -> None:
        """Ratio KPIs need numerator and denominator (and no value); the others need a value."""
        if rule.is_ratio:
            if value_text:
                self.add_error(row, "value", value_text, _("a ratio KPI takes numerator and denominator, not value"))
            if not num_text:
                self.add_error(row, "numerator", "", _("required for a ratio KPI"))
            if not den_text:
                self.add_error(row, "denominator", "", _("required for a ratio KPI"))
            if denominator is not None:
                if denominator < 0:
                    self.add_error(row, "denominator", den_text, _("must not be negative"))
                elif denominator == 0 and numerator is not None and numerator != 0:
                    self.add_error(row, "denominator", den_text, _("is 0 while the numerator is not"))
                elif numerator is not None and not rule.numerator_in_bounds(numerator, denominator):
                    reason = (
                        _("a share: the numerator must lie between 0 and the denominator")
                        if rule.bounds == "share"
                        else _("promoters minus detractors cannot exceed the responses in size")
                    )
                    self.add_error(row, "numerator", num_text, reason)
        else:
            if not value_text:
                reason = _("required for a %(aggregation)s KPI") % {"aggregation": rule.aggregation}
                self.add_error(row, "value", "", reason)
            if num_text:
                self.add_error(
                    row, "numerator", num_text, _("only ratio KPIs take a numerator; put the figure in value")
                )
            if den_text:
                self.add_error(row, "denominator", den_text, _("only ratio KPIs take a denominator"))
