"""Period codes (`2026-09`, `2026-Q3`, `2026`): parsing and navigation. Pure: no ORM."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


@dataclass(frozen=True)
class PeriodSpan:
    """A calendar period: its code, kind and inclusive date range."""

    code: str
    kind: PeriodKind
    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_period(code: str) -> PeriodSpan:
    """`2026-09` -> September 2026, `2026-Q3` -> July-September, `2026` -> the year. ValueError otherwise."""
    text = code.strip().upper()
    if match := _MONTH.match(text):
        year, month = int(match[1]), int(match[2])
        return PeriodSpan(f"{year}-{month:02d}", PeriodKind.MONTH, dt.date(year, month, 1), _month_end(year, month))
    if match := _QUARTER.match(text):
        year, quarter = int(match[1]), int(match[2])
        first = 3 * quarter - 2
        return PeriodSpan(
            f"{year}-Q{quarter}", PeriodKind.QUARTER, dt.date(year, first, 1), _month_end(year, first + 2)
        )
    if match := _YEAR.match(text):
        year = int(match[1])
        return PeriodSpan(str(year), PeriodKind.YEAR, dt.date(year, 1, 1), dt.date(year, 12, 31))
    raise ValueError(f"'{code}' is not a period: use 2026-09 (month), 2026-Q3 (quarter) or 2026 (year).")


def shift_period(span: PeriodSpan, steps: int) -> PeriodSpan:
    """The period `steps` periods of the same kind later (negative: earlier)."""
    if span.kind is PeriodKind.YEAR:
        return parse_period(str(span.start.year + steps))
    months = 1 if span.kind is PeriodKind.MONTH else 3
    index = span.start.year * 12 + span.start.month - 1 + steps * months
    year, month0 = divmod(index, 12)
    if span.kind is PeriodKind.MONTH:
        return parse_period(f"{year}-{month0 + 1:02d}")
    return parse_period(f"{year}-Q{month0 // 3 + 1}")


def previous_period(span: PeriodSpan) -> PeriodSpan:
    return shift_period(span, -1)


def same_period_last_year(span: PeriodSpan) -> PeriodSpan:
    steps = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.YEAR: 1}[span.kind]
    return shift_period(span, -steps)


def periods_containing(day: dt.date) -> list[str]:
    """Codes of the month, quarter and year that contain `day`."""
    return [f"{day.year}-{day.month:02d}", f"{day.year}-Q{(day.month - 1) // 3 + 1}", str(day.year)]


def months_of(span: PeriodSpan) -> list[str]:
    """Codes of the months a period covers, in order (a month covers itself)."""
    first = parse_period(f"{span.start.year}-{span.start.month:02d}")
    count = (span.end.year - span.start.year) * 12 + span.end.month - span.start.month + 1
    return [shift_period(first, step).code for step in range(count)]
