"""Reading one cell of an import file: numbers, counts, dates and text, strictly. Pure: stdlib and Decimal.

A cell that cannot be used raises `CellError`; its message is the reason shown to the user, marked for
translation (Django's `gettext`, the only thing here from Django).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

FORMULA_PREFIXES = ("=", "+", "-", "@")
MAX_INTEGER_DIGITS = 12  # numeric(18, 6)
MAX_DECIMAL_PLACES = 6

PLAIN_NUMBER = re.compile(r"-?\d{1,12}(?:\.\d{1,6})?", re.ASCII)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_DECIMAL_COMMA = re.compile(r"-?\d+,\d+", re.ASCII)
_THOUSANDS_OR_DECIMAL = re.compile(r"-?\d{1,3},\d{3}", re.ASCII)
# Python's Decimal also reads "1_000" and non-ASCII digits; a file may only use plain ASCII numbers.
_NUMBER_SYNTAX = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
_NOT_FINITE = {"nan", "snan", "inf", "infinity"}
# Without re.ASCII, \d also matches Arabic-Indic or full-width digits, which int() reads: ASCII digits only.
_COUNT = re.compile(r"\d{1,9}", re.ASCII)
_WHOLE_WITH_ZEROS = re.compile(r"\d+\.0*", re.ASCII)
# Control and invisible format characters (C0, DEL, C1, zero-width, bidi marks): an exporter that strips
# them would turn "\x01=HYPERLINK(...)" into a live formula, and they are never part of an identifier.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")


class CellError(ValueError):
    """A cell that cannot be used; the message is the reason shown to the user."""


def check_text(text: str) -> str:
    """Text cells must not look like spreadsheet formulas (they would run when someone exports them)."""
    if text.startswith(FORMULA_PREFIXES):
        raise CellError(_("looks like a spreadsheet formula; text cells may not start with = + - @"))
    if _CONTROL.search(text):
        raise CellError(_("contains a control or invisible character; remove it"))
    return text


def parse_decimal(text: str) -> Decimal:
    """A plain decimal number with a dot, at most 12 integer digits and 6 decimals; never a float."""
    if PLAIN_NUMBER.fullmatch(text):
        return Decimal(text)
    if text.startswith(("=", "@")):
        raise CellError(_("looks like a spreadsheet formula; write the number itself"))
    if _THOUSANDS_OR_DECIMAL.fullmatch(text):
        # 1,290 is 1.29 with a decimal comma and 1290 with a comma between thousands: never suggest either.
        raise CellError(_("reads as a decimal comma or as thousands: choose the file's decimal separator on upload"))
    if _DECIMAL_COMMA.fullmatch(text):
        hint = _("decimal comma: write %(number)s (a dot is the decimal separator)")
        raise CellError(hint % {"number": text.replace(",", ".")})
    if "," in text or " " in text or "'" in text or "_" in text:
        raise CellError(_("thousands separators are not accepted; write digits only, with a dot for decimals"))
    if text.lstrip("+-").lower() in _NOT_FINITE:
        raise CellError(_("NaN and Infinity are not numbers we can store"))
    if not _NUMBER_SYNTAX.fullmatch(text):
        raise CellError(_("not a number: use the digits 0-9, an optional minus sign and a dot for decimals"))
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise CellError(_("not a number")) from None
    if not number.is_finite():
        raise CellError(_("NaN and Infinity are not numbers we can store"))
    _sign, digits, exponent = number.normalize().as_tuple()
    assert isinstance(exponent, int)
    if exponent < -MAX_DECIMAL_PLACES:
        raise CellError(_("more than %(places)s decimal places") % {"places": MAX_DECIMAL_PLACES})
    if len(digits) + exponent > MAX_INTEGER_DIGITS:
        hint = _("too large: at most %(digits)s digits before the decimal point")
        raise CellError(hint % {"digits": MAX_INTEGER_DIGITS})
    written_exponent = number.as_tuple().exponent
    assert isinstance(written_exponent, int)
    return number if written_exponent >= -MAX_DECIMAL_PLACES else number.normalize()


def significant_digits(number: Decimal) -> int:
    """Digits without leading or trailing zeros: 120.500 has 4."""
    return len(number.normalize().as_tuple().digits)


def parse_count(text: str) -> int:
    """A whole number >= 0 (sample sizes, scores)."""
    if _COUNT.fullmatch(text):
        return int(text)
    if text.startswith("-") and _COUNT.fullmatch(text[1:]):
        raise CellError(_("must not be negative"))
    if _WHOLE_WITH_ZEROS.fullmatch(text):  # 12.0 from a spreadsheet is still twelve
        return int(text.split(".")[0])
    raise CellError(_("not a whole number"))


def parse_iso_date(text: str) -> dt.date:
    """YYYY-MM-DD only: 01/02/2026 means different days in different countries."""
    if not _ISO_DATE.fullmatch(text):
        raise CellError(_("not an ISO date (YYYY-MM-DD)"))
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CellError(_("no such day")) from None
