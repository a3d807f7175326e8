"""A file's locale: its text encoding, decimal and thousands separators and date order. Pure: stdlib only.

Nothing here guesses silently. Either the user chose a setting, or it is *proposed* from the file with the
evidence that decided it ("semicolon-separated, 214 values with a decimal comma, no dots"); when the file
can be read two ways ("1,290" is 1.29 or 1290) and nothing else in it decides, the proposal is ambiguous
and the import is refused until the user picks. Once the locale is fixed, `normal_number` and `normal_date`
turn every cell into the one machine form the row rules read (`402.5`, `2026-12-01`).

The evidence and the hints are marked for translation (Django's `gettext`, named placeholders): they are read
in the language of whoever runs the import. Nothing else here touches Django.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .cells import CellError

DECIMALS = (".", ",")
THOUSANDS = ("", ",", ".", " ")
DATE_ORDERS = ("ymd", "dmy", "mdy")
ENCODINGS = ("utf-8", "cp1252")
DELIMITER_NAMES = {
    ",": gettext_lazy("comma-separated"),
    ";": gettext_lazy("semicolon-separated"),
    "\t": gettext_lazy("tab-separated"),
    "": gettext_lazy("workbook-separated"),
}

_SPACES = "\u00a0\u202f"  # Excel writes a no-break space (Swedish: narrow no-break space) between thousands
# A leading 0 never heads a group of thousands, so 0,500 and 0.000 are decimals whatever follows.
_DOT_DECIMAL = re.compile(r"-?(?:\d*\.(?:\d{1,2}|\d{4,})|0\.\d+)", re.ASCII)
_COMMA_DECIMAL = re.compile(r"-?(?:\d*,(?:\d{1,2}|\d{4,})|0,\d+)", re.ASCII)
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
        return "utf-8", _("UTF-8 (the file starts with a byte-order mark)")
    if head.isascii():
        return "utf-8", _("UTF-8 (plain ASCII so far)")
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(head, final=False)  # a character cut at the end of the sample is not an error
    except UnicodeDecodeError as error:
        return (
            "cp1252",
            _("Windows-1252 proposed: the bytes are not UTF-8 (byte %(position)s is 0x%(byte)s)")
            % {"position": error.start + 1, "byte": format(head[error.start], "02x")},
        )
    return "utf-8", _("UTF-8 (every byte sequence is valid UTF-8)")


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
    separated = str(DELIMITER_NAMES.get(delimiter) or _("%(delimiter)s-separated") % {"delimiter": delimiter})
    thousands = " " if spaces else ""
    if chosen:
        grouped = (dot_groups or dot_three) if chosen == "," else (comma_groups or comma_three)
        other = "." if chosen == "," else ","
        counts = _("%(commas)s with a decimal comma, %(dots)s with a decimal dot") % {
            "commas": commas + dot_groups,
            "dots": dots + comma_groups,
        }
        if comma_three + dot_three:
            counts += ", " + _("%(count)s like 1,290") % {"count": comma_three + dot_three}
        return chosen, other if grouped else thousands, f"{separated}, {counts}", True
    comma_side, dot_side = commas + dot_groups, dots + comma_groups
    if comma_side and dot_side:
        evidence = _(
            "%(separated)s: %(commas)s values with a decimal comma and %(dots)s with a decimal dot; the file mixes both"
        ) % {"separated": separated, "commas": comma_side, "dots": dot_side}
        return ".", "", evidence, False
    if comma_side:
        thousands = "." if dot_groups or dot_three else thousands
        parts = [_("%(count)s values with a decimal comma") % {"count": commas + dot_groups}]
        parts.append(
            _("%(count)s with a dot between thousands") % {"count": dot_groups + dot_three}
            if dot_groups + dot_three
            else _("no dots")
        )
        if comma_three:
            parts.append(_("%(count)s like 1,290 read as decimals") % {"count": comma_three})
        return ",", thousands, f"{separated}, " + ", ".join(parts), True
    if dot_side:
        thousands = "," if comma_groups or comma_three else thousands
        parts = [_("%(count)s values with a decimal dot") % {"count": dots + comma_groups}]
        parts.append(
            _("%(count)s with a comma between thousands") % {"count": comma_groups + comma_three}
            if comma_groups + comma_three
            else _("no commas")
        )
        if dot_three:
            parts.append(_("%(count)s like 1.290 read as decimals") % {"count": dot_three})
        return ".", thousands, f"{separated}, " + ", ".join(parts), True
    if comma_three or dot_three:
        example = "1,290" if comma_three else "1.290"
        evidence = _(
            "%(separated)s, %(count)s values such as %(example)s that read as a decimal or as thousands, "
            "and nothing else decides"
        ) % {"separated": separated, "count": comma_three + dot_three, "example": example}
        return ".", "", evidence, False
    return (
        ".",
        thousands,
        _("%(separated)s, whole numbers only: no decimal separator needed") % {"separated": separated},
        True,
    )


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
            raise CellError(_("spaces inside a number; write digits only"))
    if thousands and thousands != " " and thousands in text:
        pattern = rf"-?\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+(?:{re.escape(decimal)}\d+)?"
        if not re.fullmatch(pattern, text, re.ASCII):
            hint = _("the thousands separator '%(separator)s' must group three digits")
            raise CellError(hint % {"separator": thousands})
        text = text.replace(thousands, "")
    if other in text:
        if decimal == ",":
            hint = _("numbers here use a decimal comma (write e.g. 402,5); '%(other)s' is not a decimal separator here")
        else:
            hint = _("numbers here use a decimal dot (write e.g. 402.5); '%(other)s' is not a decimal separator here")
        raise CellError(hint % {"other": other})
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
        evidence = _("%(day_first)s dates read only day-first and %(month_first)s only month-first")
        return "ymd", evidence % {"day_first": day_first, "month_first": month_first}, False
    if day_first:
        return "dmy", _("%(count)s dates with a day over 12 first (day-first)") % {"count": day_first}, True
    if month_first:
        return "mdy", _("%(count)s dates with a day over 12 second (month-first)") % {"count": month_first}, True
    if unclear and iso:
        # The file's own convention is ISO; the odd 01/02/2026 is refused row by row unless an order is chosen.
        evidence = _("%(iso)s ISO dates (YYYY-MM-DD) and %(unclear)s such as 01/02/2026 that are refused")
        return "ymd", evidence % {"iso": iso, "unclear": unclear}, True
    if unclear:
        evidence = _("%(count)s dates such as 01/02/2026 that read day-first or month-first") % {"count": unclear}
        return "ymd", evidence, False
    return "ymd", _("%(count)s ISO dates (YYYY-MM-DD)") % {"count": iso} if iso else _("no dates to read"), True


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
        raise CellError(_("not an ISO date (YYYY-MM-DD); or choose the file's date order (day-first or month-first)"))
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
    if choice.encoding:
        evidence.append(_("Encoding: chosen, %(encoding)s.") % {"encoding": chosen_encoding})
    else:
        evidence.append(_("Encoding: %(evidence)s.") % {"evidence": encoding[1]})
    decimal, thousands, number_evidence, decided = propose_numbers(numbers, delimiter=delimiter, chosen=choice.decimal)
    facts = {"decimal": decimal, "evidence": number_evidence}
    if choice.decimal:
        evidence.append(_("Numbers: decimal '%(decimal)s' as chosen (%(evidence)s).") % facts)
    else:
        evidence.append(_("Numbers: decimal '%(decimal)s' proposed from the file: %(evidence)s.") % facts)
        if not decided:
            undecided.append("decimal")
    order, date_evidence, dates_decided = propose_date_order(dates)
    if choice.date_order:
        order = choice.date_order
        evidence.append(_("Dates: %(order)s as chosen (%(evidence)s).") % {"order": order, "evidence": date_evidence})
    else:
        evidence.append(
            _("Dates: %(order)s proposed from the file: %(evidence)s.") % {"order": order, "evidence": date_evidence}
        )
        if not dates_decided:
            undecided.append("date_order")
    locale = FileLocale(decimal=decimal, thousands=thousands, date_order=order, encoding=chosen_encoding)
    return Proposal(locale=locale, evidence=tuple(evidence), undecided=tuple(undecided))
