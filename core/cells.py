"""Export values that are written one way in CSV and another in XLSX.

CSV stays in one machine format that imports back (ISO dates, dot decimals, no currency). A spreadsheet
reader expects real dates and amounts, shown the way their own spreadsheet shows them: an XLSX cell holds
the date or the number and a display format, and Excel or LibreOffice lay it out with the reader's month
names and separators. A table column's `value()` returns one of these; `str()` is the CSV text, and
`core.exports` writes the typed cell. They are not `str`, so the formula neutraliser passes them untouched
(they hold no text a spreadsheet could evaluate).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from core.money import POINTS, minor_unit


@dataclass(frozen=True, slots=True)
class ExportDate:
    """A day, or a moment shown in the site's time zone; `str()` is ISO 8601 as the CSV has always had it."""

    value: dt.date

    def __str__(self) -> str:
        return self.value.isoformat()

    def cell_value(self) -> dt.date:
        """What a spreadsheet cell can hold: a moment in local time without its zone (XLSX has none)."""
        if isinstance(self.value, dt.datetime):
            moment = timezone.localtime(self.value) if timezone.is_aware(self.value) else self.value
            return moment.replace(tzinfo=None)
        return self.value

    def number_format(self) -> str:
        # Month names and order follow the reader's spreadsheet; the codes are the same in every language.
        return "d mmm yyyy hh:mm" if isinstance(self.value, dt.datetime) else "d mmm yyyy"


@dataclass(frozen=True, slots=True)
class ExportMoney:
    """An amount already rounded to its currency's minor unit; `str()` is the plain figure ("1234.50")."""

    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return f"{self.amount:f}"

    def number_format(self) -> str:
        """Grouped digits to the minor unit with the currency code, which no reader's locale can misread."""
        places = minor_unit(self.currency)
        digits = "#,##0" + ("." + "0" * places if places else "")
        unit = "points" if self.currency == POINTS else self.currency
        return f'{digits} "{unit}";-{digits} "{unit}"'
