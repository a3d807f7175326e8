"""Files that go back into an import: measurement exports "for re-import" (the import's own columns, machine
form: slugs, codes, ISO dates, a dot for decimals) and blank templates to download (CSV, and XLSX with a
sheet of instructions)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from .response_rules import RESPONSE_COLUMNS
from .rules import MEASUREMENT_COLUMNS

EXPORT_CHUNK_ROWS = 2000
# One example row per shape, so that a template shows the columns filled the way the rules want them.
EXAMPLES = {
    "measurements": [
        ["team-a", "fcr", "2026-09-05", "all", "", "610", "1000", "", "", "", "", "", ""],
        ["team-a", "aht", "2026-09-05", "phone", "290.5", "", "", "120", "", "", "", "", ""],
        ["team-a", "churn_rate", "2026-09-05", "all", "", "", "", "", "", "8000", "2", "3", "7999"],
    ],
    "responses": [["team-a", "nps", "2026-09-05", "email", "9", "r-1001"]],
}
COLUMNS = {"measurements": MEASUREMENT_COLUMNS, "responses": RESPONSE_COLUMNS}


def _text(value: object) -> str:
    """A stored figure in the machine form the import reads back exactly: Decimal without exponent."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)


def measurement_rows(queryset) -> Iterator[list[str]]:
    """The header and every measurement of `queryset` in the import's columns, read in chunks."""
    yield list(MEASUREMENT_COLUMNS)
    fields = ["team__slug", "kpi__code", "date", "channel", *MEASUREMENT_COLUMNS[4:]]
    for row in queryset.values_list(*fields).iterator(chunk_size=EXPORT_CHUNK_ROWS):
        team, kpi, day, channel, *figures = row
        yield [team, kpi, day.isoformat(), channel, *(_text(figure) for figure in figures)]


def template_rows(kind: str) -> list[list[str]]:
    return [list(COLUMNS[kind]), *EXAMPLES[kind]]


def instructions(kind: str) -> list[str]:
    """The instructions sheet of an XLSX template, one paragraph a row (translated)."""
    lines = [
        _("Fill in the first sheet: one row per team, KPI, day and channel; keep the header row."),
        _("Team: its slug, its name or a stored alias. KPI: its code (any case). Channel: empty means all."),
        _("Dates as YYYY-MM-DD (a date and time is read as its day in the company's time zone)."),
        _("Numbers with a dot or a comma for decimals, but one of them in the whole file."),
        _("Ratio KPIs take numerator and denominator; other KPIs take value."),
        _("Customer-base KPIs take opening (optional), gained, lost and closing, which must balance."),
    ]
    if kind == "responses":
        lines[0] = _("Fill in the first sheet: one row per survey response; keep the header row.")
        lines[4] = _("Scores: NPS 0-10, CSAT 1-5, CES 1-7; respondent is your id of the person who answered.")
        del lines[5]
    return lines


def template_xlsx(kind: str) -> bytes:
    """A workbook: the columns with example rows (all cells text), then a sheet of instructions."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=kind)
    for row in template_rows(kind):
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=value)
            cell.data_type = "s"
            cells.append(cell)
        sheet.append(cells)
    notes = workbook.create_sheet(title=_("Instructions")[:31])
    for line in instructions(kind):
        notes.append([line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
