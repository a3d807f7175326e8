"""Table exports that spreadsheet programs cannot turn into formulas, in bounded memory.

CSV streams: records come from `QuerySet.iterator(chunk_size)` (never cached on the table) and leave as
64 kB chunks of a StreamingHttpResponse. Large lists on PostgreSQL can instead stream straight from
`COPY (SELECT ...) TO STDOUT` (`copy_csv_response`): the query formats and neutralises every cell, and the
bytes are the same as the Python path's. XLSX cannot stream (a zip is finished at the end), so openpyxl
writes it in write-only mode, row by row into a temporary file, which the response then sends from disk.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import IO, Any

from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.utils.encoding import force_str
from django_tables2.data import TableQuerysetData
from django_tables2.export import TableExport
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .cells import ExportDate, ExportMoney
from .tables import CellRow

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXPORT_CHUNK_ROWS = 2000
XLSX_PROGRESS_ROWS = 5000  # rows between two progress reports of an export job (a cache write each)
CSV_CHUNK_BYTES = 64 * 1024
CSV_TYPE = TableExport.FORMATS[TableExport.CSV]
XLSX_TYPE = TableExport.FORMATS[TableExport.XLSX]


def neutralise_cell(value: Any) -> Any:
    """Text without control characters, quoted where a spreadsheet would evaluate it (`=cmd|...`).

    Control characters go first: a check made before them is bypassed by "\x01=HYPERLINK(...)", which
    becomes a live formula once something downstream strips the \x01. Numbers pass unchanged.
    """
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def export_columns(table, exclude_columns: Iterable[str] = ()) -> list[str]:
    """The names of the columns an export holds, in order."""
    excluded = set(exclude_columns)
    return [
        column.name
        for column in table.columns.iterall()
        if not (column.column.exclude_from_export or column.name in excluded)
    ]


def export_values(table, exclude_columns: Iterable[str] = ()) -> Iterator[list[Any]]:
    """The header, then each record's export values (`value_<col>` before `render_<col>`), neutralised.

    The same cells as django-tables2's `Table.as_values()`, but a queryset is read in chunks rather than
    loaded whole into the table's cache.
    """
    names = export_columns(table, exclude_columns)
    columns = [table.columns[name] for name in names]
    yield [neutralise_cell(force_str(column.header, strings_only=True)) for column in columns]
    data = table.data
    records = data.data.iterator(chunk_size=EXPORT_CHUNK_ROWS) if isinstance(data, TableQuerysetData) else iter(data)
    for record in records:
        row = CellRow(record, table=table)
        yield [_export_cell(row.get_cell_value(column.name)) for column in columns]


def _export_cell(value: Any) -> Any:
    """A typed value (core.cells) as it is: csv writes its str(), XLSX a typed cell. Anything else as text
    (lazy translations resolved), neutralised."""
    if isinstance(value, ExportDate | ExportMoney):
        return value
    return neutralise_cell(force_str(value, strings_only=True))


def _csv_chunks(rows: Iterable[list[Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(row)
        if buffer.tell() > CSV_CHUNK_BYTES:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_response(rows: Iterable[list[Any]], *, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_chunks(rows), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Control characters openpyxl refuses (ILLEGAL_CHARACTERS_RE: all below 0x20 except tab, line feed and
# carriage return), for SQL's translate(), which deletes them as the regular expression does.
SQL_ILLEGAL_CHARACTERS = "".join(chr(c) for c in (*range(0x01, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)))


def sql_neutralised(expression: str, *, controls: bool = True) -> str:
    """SQL for `neutralise_cell` on a text expression: control characters out, then a quote before a formula
    prefix; an empty text becomes NULL, which COPY writes as an empty field (as csv does, unquoted).

    `controls=False` leaves out the deletion of control characters, for texts known to hold none: SQL's
    translate() costs ~13 µs a call, which on 3.65M rows was most of an export's time.
    """
    cleaned = f"translate({expression}, '{SQL_ILLEGAL_CHARACTERS}', '')" if controls else expression
    prefixes = ", ".join("'" + prefix.replace("'", "''") + "'" for prefix in FORMULA_PREFIXES)
    quoted = "'''' || " + cleaned
    return f"NULLIF(CASE WHEN left({cleaned}, 1) IN ({prefixes}) THEN {quoted} ELSE {cleaned} END, '')"


def has_control_characters(text: str) -> bool:
    """True when `neutralise_cell` would delete characters from `text`."""
    return ILLEGAL_CHARACTERS_RE.search(text) is not None


def _copy_chunks(header: list[Any], sql: str, params: Iterable[Any]) -> Iterator[bytes]:
    """The header, then COPY's CSV rows with csv's CRLF record ends, in chunks of about 64 kB.

    COPY ends each record with a line feed and sends one record per message, so each row's last byte is its
    end; a line break inside a quoted cell stays as it is, as csv writes it. Dates leave as COPY writes them
    under DateStyle ISO (YYYY-MM-DD, as `date.isoformat()`), set for the COPY and restored after it: a date
    column needs no to_char() (about a microsecond a row). psycopg hands each row over as a memoryview that
    owns its buffer; the chunk joins them without copying each one first.
    """
    yield "".join(_csv_chunks([header])).encode()
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor under Django's wrapper
        raw.execute("SELECT current_setting('DateStyle')")
        (date_style,) = raw.fetchone()
        raw.execute("SET DateStyle = 'ISO, YMD'")
        try:
            with raw.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", list(params)) as copy:
                rows: list[Any] = []
                size = 0
                for row in copy:
                    rows.append(row)
                    size += len(row)
                    if size > CSV_CHUNK_BYTES:
                        yield _crlf(rows)
                        rows, size = [], 0
                yield _crlf(rows)
        finally:
            raw.execute("SELECT set_config('DateStyle', %s, false)", [date_style])


def _crlf(rows: list[Any]) -> bytes:
    data = b"".join(rows)
    if b'"' not in data:  # no quoted cell, so every line feed ends a record
        return data.replace(b"\n", b"\r\n")
    return b"".join(bytes(row[:-1]) + b"\r\n" for row in rows)


def copy_csv_response(header: list[Any], sql: str, params: Iterable[Any], *, filename: str) -> StreamingHttpResponse:
    """A CSV download streamed from PostgreSQL's `COPY (sql) TO STDOUT`; `sql` formats every cell as text."""
    response = StreamingHttpResponse(_copy_chunks(header, sql, params), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_number_format(value: Decimal) -> str:
    """The display format of a figure: thousands grouped, as many decimals as the figure has (402.500000 as
    stored shows 402.5). Format codes are written with "," and "."; the spreadsheet shows them with the
    reader's own separators, so a Swedish reader sees "1 234,5" as on the page."""
    exponent = value.normalize().as_tuple().exponent
    places = min(-exponent, 6) if isinstance(exponent, int) and exponent < 0 else 0
    return "#,##0." + "0" * places if places else "#,##0"


def _xlsx_cell(sheet, value: Any) -> Any:
    """Text is written as a string cell, never left to openpyxl, which reads a leading "=" as a formula;
    a Decimal figure, an amount or a date is a typed cell with its display format (core.cells)."""
    if isinstance(value, ExportMoney):
        money = WriteOnlyCell(sheet, value=value.amount)
        money.number_format = value.number_format()
        return money
    if isinstance(value, ExportDate):
        day = WriteOnlyCell(sheet, value=value.cell_value())
        day.number_format = value.number_format()
        return day
    if isinstance(value, Decimal) and value.is_finite():
        figure = WriteOnlyCell(sheet, value=value)
        figure.number_format = xlsx_number_format(value)
        return figure
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def write_xlsx(
    rows: Iterable[list[Any]], out: IO[bytes], *, title: str, progress: Callable[[int], None] | None = None
) -> int:
    """Write the header and rows as one sheet into `out`, row by row (write-only mode); returns the rows
    written after the header. `progress(rows)` is called every XLSX_PROGRESS_ROWS rows (export jobs)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=re.sub(r"[\[\]:*?/\\]", "-", title)[:31] or "Export")
    sheet.freeze_panes = "A2"
    rows = iter(rows)
    header = next(rows, [])
    for index, name in enumerate(header):
        # Write-only sheets take column widths before the first row; the header is all we know by then.
        sheet.column_dimensions[get_column_letter(index + 1)].width = max(12, len(str(name)) + 4)
    bold = Font(bold=True)
    sheet.append([_bold_cell(sheet, name, bold) for name in header])
    written = 0
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
        written += 1
        if progress is not None and written % XLSX_PROGRESS_ROWS == 0:
            progress(written)
    workbook.save(out)
    return written


def xlsx_response(rows: Iterable[list[Any]], *, filename: str, title: str) -> FileResponse:
    out = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes (and so deletes) it once sent
    write_xlsx(rows, out, title=title)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def _bold_cell(sheet, value: Any, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    cell.font = font
    return cell
