"""Reading uploaded tables: sniff CSV or XLSX from the bytes (not the name), decode, find the header.

Every problem with the file as a whole raises `FileProblem` with a message for the user; problems with
single rows (a wrong number of cells) are yielded as row errors so that the validator reports them all.
No ORM, no settings: limits are arguments.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import IO, BinaryIO

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from core.formatting import format_number

from .mapping import header_key
from .rules import RowError

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls and other Office 97 files
DELIMITERS = (",", ";", "\t")
SNIFF_BYTES = 64 * 1024


class FileProblem(ValueError):
    """The file cannot be read at all (encoding, format, size, header); the message says why and what to do."""


def count_text(count: int) -> str:
    """A count or size in a message, grouped as the reader's language groups it (200,000 / 200 000)."""
    return format_number(count, 0, get_language())


def too_many_rows(limit: int) -> str:
    return _("The file has more than %(limit)s rows. Split it into parts.") % {"limit": count_text(limit)}


def check_width(header: Sequence[str], limit: int) -> None:
    """Refuses a header wider than `limit` before its names are matched or offered for mapping one by one:
    50,000 columns in a 439 kB CSV had cost 42 s of CPU and a 9.5 MB preview page, 26 s on each reload."""
    if len(header) > limit:
        raise FileProblem(
            _("The header row has more than %(limit)s columns. Save only the columns you import.")
            % {"limit": count_text(limit)}
        )


@dataclass(frozen=True)
class Limits:
    """Bounds on one upload. The XLSX ones are checked from the archive before openpyxl parses anything:
    openpyxl reads every shared string into memory and walks every cell, so a 16 MB workbook unpacking to
    156 MB cost 89 s and 950 MB per request even with one data row."""

    max_bytes: int = 20 * 1024 * 1024
    max_rows: int = 200_000
    max_xlsx_uncompressed: int = 64 * 1024 * 1024
    max_xlsx_ratio: int = 100
    max_xlsx_shared_strings: int = 1_000_000
    max_xlsx_shared_strings_bytes: int = 16 * 1024 * 1024
    max_xlsx_cells: int = 4_000_000
    max_columns: int = 500


@dataclass
class Table:
    """A readable table: the format, the header as written, and an iterator of (row number, cells).

    Cells come back in the order of `columns` given to `open_table`, missing optional columns as "".
    A row number is the spreadsheet's (the header is row 1). Rows with the wrong number of cells come
    back as RowError instead of cells.
    """

    format: str
    delimiter: str
    header: list[str]
    rows: Iterator[tuple[int, Sequence[str] | RowError]]


def open_table(
    stream: BinaryIO,
    *,
    columns: Sequence[str],
    required: Sequence[str],
    limits: Limits,
    size: int | None = None,
    encoding: str = "utf-8",
    aliases: Mapping[str, str] | None = None,
) -> Table:
    """Open a CSV or XLSX table for reading; raises FileProblem for unreadable files.

    `encoding` is a CSV's ("utf-8", a BOM skipped, or "cp1252"); `aliases` maps header keys
    (`mapping.header_key`) to columns, "" for a column to ignore (default: the columns' own names)."""
    aliases = aliases if aliases is not None else {header_key(column): column for column in columns}
    if size is None:
        stream.seek(0, io.SEEK_END)
        size = stream.tell()
    stream.seek(0)
    if size == 0:
        raise FileProblem(_("The file is empty."))
    if size > limits.max_bytes:
        raise FileProblem(
            _("The file is %(size)s bytes; the limit is %(limit)s bytes. Split it into parts.")
            % {"size": count_text(size), "limit": count_text(limits.max_bytes)}
        )
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    if head.startswith(ZIP_MAGIC):
        return _open_xlsx(stream, columns=columns, required=required, limits=limits, aliases=aliases)
    if head.startswith(OLE2_MAGIC):
        raise FileProblem(_("This is a legacy Excel (.xls) file. Save it as .xlsx or as CSV UTF-8."))
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileProblem(_("The file is UTF-16 encoded. Save it as CSV UTF-8."))
    if b"\x00" in head:
        raise FileProblem(_("This is a binary file, not CSV or XLSX text. Check that you chose the right file."))
    return _open_csv(stream, columns=columns, required=required, limits=limits, encoding=encoding, aliases=aliases)


def _header_positions(
    header: list[str], columns: Sequence[str], required: Sequence[str], aliases: Mapping[str, str]
) -> list[int | None]:
    keys = [header_key(name) for name in header]
    names = [aliases.get(key, key) for key in keys]
    problems = []
    duplicated = sorted(name for name, times in Counter(names).items() if name and times > 1)
    if duplicated:
        problems.append(_("duplicated column(s): %(columns)s") % {"columns": ", ".join(duplicated)})
    unknown = [
        shown.strip() or _("(empty)")
        for shown, key, name in zip(header, keys, names, strict=True)
        if aliases.get(key) != "" and name not in columns
    ]
    if unknown:
        problems.append(_("unknown column(s): %(columns)s") % {"columns": ", ".join(unknown)})
    missing = [name for name in required if name not in names]
    if missing:
        problems.append(_("missing column(s): %(columns)s") % {"columns": ", ".join(missing)})
    if problems:
        raise FileProblem(
            _("The header row is wrong: %(problems)s. Expected columns: %(columns)s.")
            % {"problems": "; ".join(problems), "columns": ",".join(columns)}
        )
    return [names.index(name) if name in names else None for name in columns]


def _pick(cells: Sequence[str], positions: list[int | None]) -> tuple[str, ...]:
    return tuple("" if index is None else cells[index] for index in positions)


class _KeepOpen(io.BufferedIOBase):
    """Lends a stream to a TextIOWrapper without letting the wrapper close it (the caller owns it)."""

    def __init__(self, stream: BinaryIO) -> None:
        super().__init__()
        self._stream = stream

    @property
    def name(self) -> str:
        # TextIOWrapper reports its buffer's name; a nameless stream raises AttributeError as before.
        return self._stream.name

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        return self._stream.read(-1 if size is None else size)

    read1 = read

    def close(self) -> None:
        pass


def _open_csv(
    stream: BinaryIO,
    *,
    columns: Sequence[str],
    required: Sequence[str],
    limits: Limits,
    encoding: str,
    aliases: Mapping[str, str],
) -> Table:
    codec = "utf-8-sig" if encoding == "utf-8" else encoding
    text = io.TextIOWrapper(_KeepOpen(stream), encoding=codec, errors="strict", newline="")
    text._CHUNK_SIZE = 1 << 16  # type: ignore[attr-defined]
    try:
        first = text.readline()
    except UnicodeDecodeError:
        raise _not_utf8(1, encoding) from None
    delimiter = max(DELIMITERS, key=first.count)
    if first.count(delimiter) == 0 and aliases.get(header_key(first)) not in columns:
        raise FileProblem(
            _(
                "Could not find the column separator in the header row; use comma, semicolon or tab. "
                "Expected columns: %(columns)s."
            )
            % {"columns": ",".join(columns)}
        )
    header = next(csv.reader([first], delimiter=delimiter))
    check_width(header, limits.max_columns)
    positions = _header_positions(header, columns, required, aliases)
    width = len(header)
    identity = positions == list(range(len(columns)))
    # Missing columns read the "" appended after the row's own cells: one C call per row instead of a loop.
    taken = [width if index is None else index for index in positions]
    pick = itemgetter(*taken) if len(taken) > 1 else lambda cells: (cells[taken[0]],)

    def rows() -> Iterator[tuple[int, Sequence[str] | RowError]]:
        reader = csv.reader(text, delimiter=delimiter, strict=True)
        number = 1
        data_rows = 0
        try:
            for cells in reader:
                number += 1
                if not cells or (len(cells) == 1 and not cells[0].strip()):
                    continue
                data_rows += 1
                if data_rows > limits.max_rows:
                    raise FileProblem(too_many_rows(limits.max_rows))
                if len(cells) != width:
                    shown = delimiter.join(cells)[:60]
                    reason = _("has %(cells)s cells; the header has %(width)s") % {"cells": len(cells), "width": width}
                    yield number, RowError(number, "(row)", shown, reason)
                    continue
                stripped = list(map(str.strip, cells))
                if identity:
                    yield number, stripped
                else:
                    stripped.append("")
                    yield number, pick(stripped)
        except UnicodeDecodeError:
            raise _not_utf8(number + 1, encoding) from None
        except csv.Error as error:
            raise FileProblem(
                _("Row %(row)s is not valid CSV (%(error)s). Check quotes in that row.")
                % {"row": number + 1, "error": error}
            ) from None

    return Table(format="csv", delimiter=delimiter, header=header, rows=rows())


def _not_utf8(row: int, encoding: str = "utf-8") -> FileProblem:
    if encoding != "utf-8":
        return FileProblem(
            _(
                "The file is not %(encoding)s text either (first bad character near row %(row)s). "
                "Choose its encoding on upload, or save it as CSV UTF-8."
            )
            % {"encoding": encoding, "row": row}
        )
    return FileProblem(
        _(
            "The file is not UTF-8 text (first bad character near row %(row)s). "
            "In Excel choose 'CSV UTF-8'; in other tools choose the UTF-8 encoding."
        )
        % {"row": row}
    )


TOO_BIG_XLSX = gettext_lazy("Save the sheet as CSV UTF-8 (no such limits) or split it into smaller workbooks.")
SHARED_STRINGS = "xl/sharedStrings.xml"
_SHARED_STRING = re.compile(rb"<(?:\w+:)?si[\s>/]")
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)([0-9]+)(?::([A-Z]+)([0-9]+))?"')
_WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")
_CHUNK = 1 << 20


def _count(archive: zipfile.ZipFile, name: str, pattern: re.Pattern[bytes], limit: int) -> int:
    """Occurrences of `pattern` in one member, streamed (bounded memory), stopping once past `limit`."""
    count = 0
    tail = b""
    with archive.open(name) as member:
        for chunk in iter(lambda: member.read(_CHUNK), b""):
            window = tail + chunk
            # A tag starting in the last bytes may be cut by the chunk boundary: count it with the next window.
            keep = max(0, len(window) - 16)
            count += sum(1 for match in pattern.finditer(window) if match.start() < keep)
            tail = window[keep:]
            if count > limit:
                return count
    return count + len(pattern.findall(tail))


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def _declared_cells(archive: zipfile.ZipFile, name: str) -> int:
    """Cells the sheet's <dimension> declares (0 if it declares none): read from the first bytes only."""
    with archive.open(name) as member:
        head = member.read(4096)
    match = _DIMENSION.search(head)
    if match is None or match.group(3) is None:
        return 0
    first_col, first_row, last_col, last_row = match.groups()
    rows = int(last_row) - int(first_row) + 1
    columns = _column_number(last_col) - _column_number(first_col) + 1
    return max(rows, 0) * max(columns, 0)


def _check_zip(stream: BinaryIO, limits: Limits) -> None:
    """Refuse workbooks too big to parse from the archive itself, before openpyxl inflates anything:
    total unpacked size and compression ratio (central directory), shared strings (size, then count) and
    cells (the sheet's declared dimension, then the cells actually written)."""
    try:
        archive = zipfile.ZipFile(stream)
    except zipfile.BadZipFile:
        raise FileProblem(_("The file looks like XLSX but the archive is damaged.")) from None
    with archive:
        members = {info.filename: info for info in archive.infolist()}
        if "xl/workbook.xml" not in members:
            raise FileProblem(_("This is a ZIP archive but not an Excel workbook (.xlsx)."))
        total = sum(info.file_size for info in members.values())
        packed = sum(info.compress_size for info in members.values()) or 1
        if total > limits.max_xlsx_uncompressed:
            raise FileProblem(
                _("The workbook unpacks to too much data: %(size)s bytes; the limit is %(limit)s bytes. %(advice)s")
                % {"size": count_text(total), "limit": count_text(limits.max_xlsx_uncompressed), "advice": TOO_BIG_XLSX}
            )
        if total / packed > limits.max_xlsx_ratio:
            raise FileProblem(
                _(
                    "The workbook unpacks to too much data: %(ratio)s times its packed size; the limit is %(limit)s "
                    "times. %(advice)s"
                )
                % {"ratio": count_text(round(total / packed)), "limit": limits.max_xlsx_ratio, "advice": TOO_BIG_XLSX}
            )
        try:
            _check_parts(archive, members, limits)
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError):
            raise FileProblem(_("The file looks like XLSX but the archive is damaged.")) from None
    stream.seek(0)


def _check_parts(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], limits: Limits) -> None:
    shared = members.get(SHARED_STRINGS)
    if shared is not None:
        if shared.file_size > limits.max_xlsx_shared_strings_bytes:
            raise FileProblem(
                _("The workbook's text table is %(size)s bytes; the limit is %(limit)s bytes. %(advice)s")
                % {
                    "size": count_text(shared.file_size),
                    "limit": count_text(limits.max_xlsx_shared_strings_bytes),
                    "advice": TOO_BIG_XLSX,
                }
            )
        strings = _count(archive, SHARED_STRINGS, _SHARED_STRING, limits.max_xlsx_shared_strings)
        if strings > limits.max_xlsx_shared_strings:
            raise FileProblem(
                _("The workbook holds more than %(limit)s distinct texts. %(advice)s")
                % {"limit": count_text(limits.max_xlsx_shared_strings), "advice": TOO_BIG_XLSX}
            )
    sheets = [name for name in members if _WORKSHEET.fullmatch(name)]
    declared = sum(_declared_cells(archive, name) for name in sheets)
    cells = declared
    if declared <= limits.max_xlsx_cells:
        # The dimension is the writer's word only: count what is really there too.
        cells = 0
        for name in sheets:
            cells += _count(archive, name, _CELL, limits.max_xlsx_cells - cells)
            if cells > limits.max_xlsx_cells:
                break
    if cells > limits.max_xlsx_cells:
        raise FileProblem(
            _("The workbook has more than %(limit)s cells. %(advice)s")
            % {"limit": count_text(limits.max_xlsx_cells), "advice": TOO_BIG_XLSX}
        )


def cell_text(value: object) -> str:
    """A spreadsheet cell as the text a CSV would hold; floats via repr so 0.1 stays 0.1, never binary noise."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value).strip()


def _open_xlsx(
    stream: BinaryIO, *, columns: Sequence[str], required: Sequence[str], limits: Limits, aliases: Mapping[str, str]
) -> Table:
    import openpyxl  # defusedxml is installed, so openpyxl parses XML safely

    _check_zip(stream, limits)
    try:
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for broken files
        raise FileProblem(
            _("The workbook cannot be read (%(error)s). Save it again as .xlsx.") % {"error": error.__class__.__name__}
        ) from None
    sheet = workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    header_cells = next(values, None)
    if header_cells is None:
        workbook.close()
        raise FileProblem(_("The first sheet of the workbook is empty."))
    header = [cell_text(value) for value in header_cells]
    while header and not header[-1]:
        header.pop()
    check_width(header, limits.max_columns)
    positions = _header_positions(header, columns, required, aliases)
    width = len(header)

    def rows() -> Iterator[tuple[int, Sequence[str] | RowError]]:
        data_rows = 0
        try:
            for number, raw in enumerate(values, start=2):
                cells = [cell_text(value) for value in raw]
                extra = [cell for cell in cells[width:] if cell]
                if not any(cells):
                    continue
                data_rows += 1
                if data_rows > limits.max_rows:
                    raise FileProblem(
                        _("The sheet has more than %(limit)s rows. Split it into parts.")
                        % {"limit": count_text(limits.max_rows)}
                    )
                if extra:
                    yield number, RowError(number, "(row)", extra[0][:60], _("has values beyond the header's columns"))
                    continue
                cells += [""] * (width - len(cells))
                yield number, _pick(cells, positions)
        finally:
            workbook.close()

    return Table(format="xlsx", delimiter="", header=header, rows=rows())


def workbook_header(stream: BinaryIO, limits: Limits) -> list[str]:
    """The first sheet's header row as written (the size limits checked first), or [] if it cannot be read.
    The stream is left at its start: the same file is opened again for its rows."""
    import openpyxl

    try:
        _check_zip(stream, limits)
        stream.seek(0)
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except FileProblem:
        stream.seek(0)
        return []
    except Exception:  # openpyxl raises many types for broken files; open_table says why
        stream.seek(0)
        return []
    try:
        first = next(workbook.worksheets[0].iter_rows(values_only=True, max_row=1), ())
    finally:
        workbook.close()
        stream.seek(0)
    header = [cell_text(value) for value in first]
    while header and not header[-1]:
        header.pop()
    return header


def sha256_of(stream: IO[bytes]) -> str:
    import hashlib

    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()
