"""A file's locale: its text encoding, decimal and thousands separators and date order. Pure: stdlib only.

Nothing here guesses silently. Either the user chose a setting, or it is *proposed* from the file with the
evidence that decided it ("semicolon-separated, 214 values with a decimal comma, no dots"); when the file
can be read two ways ("1,290" is 1.29 or 1290) and nothing else in it decides, the proposal is ambiguous
and the import is refused until the user picks. Once the locale is fixed, `normal_number` and `normal_date`
turn every cell into the one machine form the row rules read (`402.5`, `2026-12-01`).
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from .cells import CellError

DECIMALS = (".", ",")
THOUSANDS = ("", ",", ".", " ")
DATE_ORDERS = ("ymd", "dmy", "mdy")
ENCODINGS = ("utf-8", "cp1252")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "": "workbook"}

_SPACES = "\u00a0\u202f"  # Excel writes a no-break space (Swedish: narrow no-break space) between thousands
_DOT_DECIMAL = re.compile(r"-?\d*\.(?:\d{1,2}|\d{4,})", re.ASCII)
_COMMA_DECIMAL = re.compile(r"-?\d*,(?:\d{1,2}|\d{4,})", re.ASCII)
_COMMA_THREE = re.compile(r"-?\d{1,3},\d{3}", re.ASCII)  # 1,290: one point two nine, or twelve hundred ninety
_DOT_THREE = re.compile(r"-?\d{1,3}\.\d{3}", re.ASCII)
_DOT_THEN_COMMA = re.compile(r"-?\d{1,3}(?:\.\d{3})+,\d+", re.ASCII)  # 1.234,5
_COMMA_THEN_DOT = re.compile(r"-?\d{1,3}(?:,\d{3})+\.\d+", re.ASCII)  # 1,234.5
_SPACE_GROUPS = re.compile(r"-?\d{1,3}(?: \d{3})+(?:[.,]\d+)?", re.ASCII)
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_ISO_DATETIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?", re.ASCII
)
_NUMERIC_DAY = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d{4})", re.ASCII)
_TIME_PART = re.compile(r"(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?", re.ASCII)


@dataclass(frozen=True)
class FileLocale:
    """How a file writes numbers and dates, and which encoding its bytes are in."""

    decimal: str = "."
    thousands: str = ""
    date_order: str = "ymd"
    encoding: str = "utf-8"


@dataclass(frozen=True)
class LocaleChoice:
    """What the user chose; an empty field means "propose it from the file"."""

    decimal: str = ""
    date_order: str = ""
    encoding: str = ""


@dataclass(frozen=True)
class Proposal:
    """The locale to read the file with, the evidence for each part, and what is still undecided."""

    locale: FileLocale
    evidence: tuple[str, ...]
    undecided: tuple[str, ...] = ()

    @property
    def is_decided(self) -> bool:
        return not self.undecided


# --- encoding ------------------------------------------------------------------------------------------


def detect_encoding(head: bytes) -> tuple[str, str]:
    """The encoding of a text file from its first bytes, and why: a BOM, valid UTF-8, else Windows-1252."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", "UTF-8 (the file starts with a byte-order mark)"
    if head.isascii():
        return "utf-8", "UTF-8 (plain ASCII so far)"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)  # a character cut at the end of the sample is not an error
    except UnicodeDecodeError as error:
        return (
            "cp1252",
            f"Windows-1252 proposed: the bytes are not UTF-8 (byte {error.start + 1} is 0x{head[error.start]:02x})",
        )
    return "utf-8", "UTF-8 (every byte sequence is valid UTF-8)"


# --- numbers -------------------------------------------------------------------------------------------


def _plain(text: str) -> str:
    for space in _SPACES:
        text = text.replace(space, " ")
    return text.strip()


def propose_numbers(values: Iterable[str], *, delimiter: str, chosen: str = "") -> tuple[str, str, str, bool]:
    """(decimal, thousands, evidence, decided) from a file's number cells.

    Decided when a value can be read only one way (402,5; 12.75; 1.234,5); a file whose only evidence is
    "1,290" or "1.290" is undecided. A file of whole numbers is decided: the separators do not matter.
    With a `chosen` decimal separator the other one (or a space) groups thousands where the file does.
    """
    commas = dots = comma_three = dot_three = spaces = dot_groups = comma_groups = 0
    for raw in values:
        text = _plain(raw)
        if not text:
            continue
        if _SPACE_GROUPS.fullmatch(text):
            spaces += 1
            text = text.replace(" ", "")
        if _DOT_THEN_COMMA.fullmatch(text):
            dot_groups += 1
        elif _COMMA_THEN_DOT.fullmatch(text):
            comma_groups += 1
        elif _COMMA_DECIMAL.fullmatch(text):
            commas += 1
        elif _DOT_DECIMAL.fullmatch(text):
            dots += 1
        elif _COMMA_THREE.fullmatch(text):
            comma_three += 1
        elif _DOT_THREE.fullmatch(text):
            dot_three += 1
    separated = f"{DELIMITER_NAMES.get(delimiter, delimiter)}-separated"
    thousands = " " if spaces else ""
    if chosen:
        grouped = (dot_groups or dot_three) if chosen == "," else (comma_groups or comma_three)
        other = "." if chosen == "," else ","
        counts = f"{commas + dot_groups} with a decimal comma, {dots + comma_groups} with a decimal dot"
        counts += f", {comma_three + dot_three} like 1,290" if comma_three + dot_three else ""
        return chosen, other if grouped else thousands, f"{separated}, {counts}", True
    comma_side, dot_side = commas + dot_groups, dots + comma_groups
    if comma_side and dot_side:
        evidence = (
            f"{separated}: {comma_side} values with a decimal comma and {dot_side} with a decimal dot; "
            "the file mixes both"
        )
        return ".", "", evidence, False
    if comma_side:
        thousands = "." if dot_groups or dot_three else thousands
        parts = [f"{commas + dot_groups} values with a decimal comma"]
        parts.append(f"{dot_groups + dot_three} with a dot between thousands" if dot_groups + dot_three else "no dots")
        if comma_three:
            parts.append(f"{comma_three} like 1,290 read as decimals")
        return ",", thousands, f"{separated}, " + ", ".join(parts), True
    if dot_side:
        thousands = "," if comma_groups or comma_three else thousands
        parts = [f"{dots + comma_groups} values with a decimal dot"]
        parts.append(
            f"{comma_groups + comma_three} with a comma between thousands"
            if comma_groups + comma_three
            else "no commas"
        )
        if dot_three:
            parts.append(f"{dot_three} like 1.290 read as decimals")
        return ".", thousands, f"{separated}, " + ", ".join(parts), True
    if comma_three or dot_three:
        example = "1,290" if comma_three else "1.290"
        evidence = (
            f"{separated}, {comma_three + dot_three} values such as {example} that read as a decimal or as "
            "thousands, and nothing else decides"
        )
        return ".", "", evidence, False
    return ".", thousands, f"{separated}, whole numbers only: no decimal separator needed", True


def normal_number(text: str, locale: FileLocale) -> str:
    """A number cell in the machine form (a dot for decimals, no grouping); raises CellError with a hint
    in the file's own convention."""
    text = _plain(text)
    if not text or (text.isascii() and text.lstrip("-").isdigit()):
        return text
    decimal, thousands = locale.decimal, locale.thousands
    other = "," if decimal == "." else "."
    if " " in text:
        if thousands == " " and _SPACE_GROUPS.fullmatch(text):
            text = text.replace(" ", "")
        else:
            raise CellError("spaces inside a number; write digits only")
    if thousands and thousands != " " and thousands in text:
        pattern = rf"-?\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+(?:{re.escape(decimal)}\d+)?"
        if not re.fullmatch(pattern, text, re.ASCII):
            raise CellError(f"the thousands separator '{thousands}' must group three digits")
        text = text.replace(thousands, "")
    if other in text:
        name = "a decimal comma" if decimal == "," else "a decimal dot"
        example = "402,5" if decimal == "," else "402.5"
        raise CellError(f"numbers here use {name} (write e.g. {example}); '{other}' is not a decimal separator here")
    return text.replace(",", ".") if decimal == "," else text


# --- dates ---------------------------------------------------------------------------------------------


def propose_date_order(values: Iterable[str]) -> tuple[str, str, bool]:
    """(order, evidence, decided) from a file's date cells: ISO dates decide, and so does a day over 12."""
    iso = day_first = month_first = unclear = 0
    for raw in values:
        text = raw.strip()
        if _ISO_DAY.match(text):
            iso += 1
            continue
        match = _NUMERIC_DAY.match(text)
        if match is None:
            continue
        first, second = int(match.group(1)), int(match.group(3))
        if first > 12 >= second:
            day_first += 1
        elif second > 12 >= first:
            month_first += 1
        else:
            unclear += 1
    if day_first and month_first:
        return "ymd", f"{day_first} dates read only day-first and {month_first} only month-first", False
    if day_first:
        return "dmy", f"{day_first} dates with a day over 12 first (day-first)", True
    if month_first:
        return "mdy", f"{month_first} dates with a day over 12 second (month-first)", True
    if unclear and iso:
        # The file's own convention is ISO; the odd 01/02/2026 is refused row by row unless an order is chosen.
        return "ymd", f"{iso} ISO dates (YYYY-MM-DD) and {unclear} such as 01/02/2026 that are refused", True
    if unclear:
        return "ymd", f"{unclear} dates such as 01/02/2026 that read day-first or month-first", False
    return "ymd", f"{iso} ISO dates (YYYY-MM-DD)" if iso else "no dates to read", True


def normal_date(text: str, locale: FileLocale, zone: ZoneInfo) -> str:
    """A date cell as YYYY-MM-DD: a datetime gives its day in `zone` (the company's time zone); a numeric
    date is read in the file's date order. Anything else is left for the row rules to refuse."""
    text = text.strip()
    if len(text) > 10 and _ISO_DATETIME.fullmatch(text):
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return text
        if moment.tzinfo is not None:
            moment = moment.astimezone(zone)
        return moment.date().isoformat()
    match = _NUMERIC_DAY.match(text)
    if match is None or not _TIME_PART.fullmatch(text[match.end() :]):
        return text
    first, second, year = int(match.group(1)), int(match.group(3)), match.group(4)
    if locale.date_order == "ymd":
        raise CellError("not an ISO date (YYYY-MM-DD); or choose the file's date order (day-first or month-first)")
    day, month = (first, second) if locale.date_order == "dmy" else (second, first)
    return f"{year}-{month:02d}-{day:02d}"


def propose(
    *,
    numbers: Iterable[str],
    dates: Iterable[str],
    delimiter: str,
    encoding: tuple[str, str],
    choice: LocaleChoice,
) -> Proposal:
    """The file's locale: each part the user chose, else proposed from the sample with its evidence."""
    evidence: list[str] = []
    undecided: list[str] = []
    chosen_encoding = choice.encoding or encoding[0]
    evidence.append(f"Encoding: {'chosen, ' + chosen_encoding if choice.encoding else encoding[1]}.")
    decimal, thousands, number_evidence, decided = propose_numbers(numbers, delimiter=delimiter, chosen=choice.decimal)
    if choice.decimal:
        evidence.append(f"Numbers: decimal '{decimal}' as chosen ({number_evidence}).")
    else:
        evidence.append(f"Numbers: decimal '{decimal}' proposed from the file: {number_evidence}.")
        if not decided:
            undecided.append("decimal")
    order, date_evidence, dates_decided = propose_date_order(dates)
    if choice.date_order:
        order = choice.date_order
        evidence.append(f"Dates: {order} as chosen ({date_evidence}).")
    else:
        evidence.append(f"Dates: {order} proposed from the file: {date_evidence}.")
        if not dates_decided:
            undecided.append("date_order")
    locale = FileLocale(decimal=decimal, thousands=thousands, date_order=order, encoding=chosen_encoding)
    return Proposal(locale=locale, evidence=tuple(evidence), undecided=tuple(undecided))
