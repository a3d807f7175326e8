"""A deterministic corpus of bad import files: every way a measurement or response upload can be wrong.

Each case is (name, category, kind, bytes, filename). `kind` is "measurements" or "responses". Every
file must be rejected with a clear, row-level or file-level error and must write nothing. The corpus is
generated, not stored, so it stays small in the repository and grows by adding generators.
"""

from __future__ import annotations

import functools
import io
import itertools
import random
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

MEASUREMENT_HEADER = "team,kpi,date,channel,value,numerator,denominator,sample_size"
RESPONSE_HEADER = "team,survey,date,channel,score,respondent"
GOOD_MEASUREMENT = "team-a,fcr,2026-09-01,phone,,80,100,"
GOOD_VALUE_MEASUREMENT = "team-a,aht,2026-09-01,phone,310,,,120"
GOOD_RESPONSE = "team-a,nps,2026-09-01,phone,9,cust-1"


@dataclass(frozen=True)
class BadFile:
    name: str
    category: str
    kind: str
    content: bytes
    filename: str


def _csv(rows: list[str], header: str = MEASUREMENT_HEADER, newline: str = "\n") -> bytes:
    return (newline.join([header, *rows]) + newline).encode()


def _with_one_bad_row(bad_row: str, kind: str = "measurements") -> bytes:
    """Good rows around one bad row: the file must still write nothing and name that row."""
    if kind == "responses":
        good = [GOOD_RESPONSE.replace("cust-1", f"cust-{i}") for i in range(1, 4)]
        return _csv([good[0], bad_row, good[1], good[2]], RESPONSE_HEADER)
    good = [GOOD_MEASUREMENT.replace("2026-09-01", f"2026-09-0{i}") for i in range(1, 4)]
    return _csv([good[0], bad_row, good[1], good[2]])


def _encodings() -> Iterator[BadFile]:
    text = MEASUREMENT_HEADER + "\nteam-ä,fcr,2026-09-01,phone,,80,100,\n"
    for encoding in ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1", "cp1252", "shift_jis", "cp500"):
        try:
            yield BadFile(f"encoding-{encoding}", "encoding", "measurements", text.encode(encoding), "m.csv")
        except UnicodeEncodeError:
            continue
    yield BadFile(
        "encoding-invalid-utf8", "encoding", "measurements", _csv([GOOD_MEASUREMENT]) + b"\xff\xfe\xfa", "m.csv"
    )
    yield BadFile(
        "encoding-nul-bytes", "encoding", "measurements", _csv([GOOD_MEASUREMENT]).replace(b",", b"\x00,", 2), "m.csv"
    )
    yield BadFile(
        "encoding-bom-utf16-in-utf8", "encoding", "measurements", b"\xff\xfe" + _csv([GOOD_MEASUREMENT]), "m.csv"
    )


def _structure() -> Iterator[BadFile]:
    yield BadFile("empty", "structure", "measurements", b"", "m.csv")
    yield BadFile("only-whitespace", "structure", "measurements", b"   \n\n \t\n", "m.csv")
    yield BadFile("header-only", "structure", "measurements", (MEASUREMENT_HEADER + "\n").encode(), "m.csv")
    yield BadFile("no-header", "structure", "measurements", (GOOD_MEASUREMENT + "\n").encode(), "m.csv")
    header = MEASUREMENT_HEADER.split(",")
    for missing in header:
        cols = [c for c in header if c != missing]
        row = ",".join("x" for _ in cols)
        yield BadFile(f"missing-column-{missing}", "structure", "measurements", _csv([row], ",".join(cols)), "m.csv")
    yield BadFile(
        "duplicate-column",
        "structure",
        "measurements",
        _csv([GOOD_MEASUREMENT + ",80"], MEASUREMENT_HEADER + ",numerator"),
        "m.csv",
    )
    yield BadFile(
        "unknown-column",
        "structure",
        "measurements",
        _csv([GOOD_MEASUREMENT + ",1"], MEASUREMENT_HEADER + ",colour"),
        "m.csv",
    )
    yield BadFile("short-row", "structure", "measurements", _with_one_bad_row("team-a,fcr,2026-09-09"), "m.csv")
    yield BadFile("long-row", "structure", "measurements", _with_one_bad_row(GOOD_MEASUREMENT + ",1,2,3"), "m.csv")
    yield BadFile(
        "unclosed-quote", "structure", "measurements", _with_one_bad_row('team-a,"fcr,2026-09-09,phone,,1,2,'), "m.csv"
    )
    for delimiter in ("|", "\t\t", " ", ":"):
        content = _csv([GOOD_MEASUREMENT]).replace(b",", delimiter.encode())
        yield BadFile(f"delimiter-{delimiter.encode().hex()}", "structure", "measurements", content, "m.csv")
    yield BadFile(
        "mixed-delimiters",
        "structure",
        "measurements",
        _csv([GOOD_MEASUREMENT, GOOD_MEASUREMENT.replace(",", ";")]),
        "m.csv",
    )
    yield BadFile(
        "response-file-as-measurements", "structure", "measurements", _csv([GOOD_RESPONSE], RESPONSE_HEADER), "m.csv"
    )
    yield BadFile("measurement-file-as-responses", "structure", "responses", _csv([GOOD_MEASUREMENT]), "r.csv")


def _values() -> Iterator[BadFile]:
    bad_dates = [
        "2026-13-01",
        "2026-02-30",
        "01/09/2026",
        "2026/09/01",
        "20260901",
        "yesterday",
        "",
        "2026-9-1",
        "0000-01-01",
        "9999-99-99",
    ]
    for i, date in enumerate(bad_dates):
        yield BadFile(
            f"date-{i}", "date", "measurements", _with_one_bad_row(f"team-a,fcr,{date},phone,,80,100,"), "m.csv"
        )
    numbers = [
        "1e400",
        "NaN",
        "nan",
        "Inf",
        "-Inf",
        "infinity",
        "0x50",
        "80%",
        "eighty",
        "1_000",
        "--5",
        "1.2.3",
        " ",
        "١٢٣",
        "8O",
    ]
    for i, number in enumerate(numbers):
        quoted = f'"{number}"' if "," in number else number
        yield BadFile(
            f"numerator-{i}",
            "number",
            "measurements",
            _with_one_bad_row(f"team-a,fcr,2026-09-09,phone,,{quoted},100,"),
            "m.csv",
        )
        yield BadFile(
            f"value-{i}",
            "number",
            "measurements",
            _with_one_bad_row(f"team-a,aht,2026-09-09,phone,{quoted},,,10"),
            "m.csv",
        )
    for i, size in enumerate(["-1", "1.5", "abc", "99999999999999999999"]):
        yield BadFile(
            f"sample-size-{i}",
            "number",
            "measurements",
            _with_one_bad_row(f"team-a,aht,2026-09-09,phone,300,,,{size}"),
            "m.csv",
        )
    semantic = {
        "negative-denominator": "team-a,fcr,2026-09-09,phone,,5,-10,",
        "ratio-without-denominator": "team-a,fcr,2026-09-09,phone,,80,,",
        "ratio-with-value-only": "team-a,fcr,2026-09-09,phone,80,,,",
        "mean-without-value": "team-a,aht,2026-09-09,phone,,300,10,",
        "nothing-at-all": "team-a,fcr,2026-09-09,phone,,,,",
        "numerator-over-denominator": "team-a,fcr,2026-09-09,phone,,120,100,",
    }
    for name, row in semantic.items():
        yield BadFile(name, "semantics", "measurements", _with_one_bad_row(row), "m.csv")


def _references() -> Iterator[BadFile]:
    for i, team in enumerate(
        ["no-such-team", "Team Ä", "", "team-a; DROP TABLE culture_team;--", "../team-a", "team-b-other"]
    ):
        yield BadFile(
            f"team-{i}",
            "reference",
            "measurements",
            _with_one_bad_row(f"{team},fcr,2026-09-09,phone,,80,100,"),
            "m.csv",
        )
    for i, kpi in enumerate(["no_such_kpi", "FCR%", "", "nps'--", "f c r"]):
        yield BadFile(
            f"kpi-{i}",
            "reference",
            "measurements",
            _with_one_bad_row(f"team-a,{kpi},2026-09-09,phone,,80,100,"),
            "m.csv",
        )
    for i, channel in enumerate(["fax", "PHONE?", "email2", "all;phone", "pigeon"]):
        yield BadFile(
            f"channel-{i}",
            "reference",
            "measurements",
            _with_one_bad_row(f"team-a,fcr,2026-09-09,{channel},,80,100,"),
            "m.csv",
        )
    yield BadFile("duplicate-key", "duplicate", "measurements", _csv([GOOD_MEASUREMENT, GOOD_MEASUREMENT]), "m.csv")
    yield BadFile(
        "duplicate-key-differing",
        "duplicate",
        "measurements",
        _csv([GOOD_MEASUREMENT, GOOD_MEASUREMENT.replace(",80,", ",81,")]),
        "m.csv",
    )
    yield BadFile(
        "all-and-channel-mixed",
        "duplicate",
        "measurements",
        _csv([GOOD_MEASUREMENT, GOOD_MEASUREMENT.replace("phone", "all")]),
        "m.csv",
    )


def _formulas() -> Iterator[BadFile]:
    payloads = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", '=HYPERLINK("http://x")', "\t=1", "\r=1"]
    for i, payload in enumerate(payloads):
        quoted = '"' + payload.replace('"', '""') + '"'
        yield BadFile(
            f"formula-team-{i}",
            "formula",
            "measurements",
            _with_one_bad_row(f"{quoted},fcr,2026-09-09,phone,,80,100,"),
            "m.csv",
        )
        yield BadFile(
            f"formula-respondent-{i}",
            "formula",
            "responses",
            _with_one_bad_row(f"team-a,nps,2026-09-09,phone,9,{quoted}", "responses"),
            "r.csv",
        )


def _control_character_formulas() -> Iterator[BadFile]:
    """A control character in front of a formula: stripped later, it would leave a live formula behind.
    CSV only: openpyxl refuses to write control characters into a workbook at all."""
    for i, control in enumerate(("\x01", "\x00", "\x1b", "\x7f", "\u200b")):
        payload = f'"{control}=HYPERLINK(""http://x"",""y"")"'
        yield BadFile(
            f"formula-control-{i}",
            "formula",
            "measurements",
            _with_one_bad_row(f"{payload},fcr,2026-09-09,phone,,80,100,").replace(b"\x00", b"\x01"),
            "m.csv",
        )
        yield BadFile(
            f"formula-control-respondent-{i}",
            "formula",
            "responses",
            _with_one_bad_row(f"team-a,nps,2026-09-09,phone,9,{payload}", "responses").replace(b"\x00", b"\x01"),
            "r.csv",
        )


def _responses() -> Iterator[BadFile]:
    cases = {
        "nps-11": "team-a,nps,2026-09-09,phone,11,c9",
        "nps-negative": "team-a,nps,2026-09-09,phone,-1,c9",
        "csat-0": "team-a,csat,2026-09-09,phone,0,c9",
        "csat-6": "team-a,csat,2026-09-09,phone,6,c9",
        "ces-8": "team-a,ces,2026-09-09,phone,8,c9",
        "ces-0": "team-a,ces,2026-09-09,phone,0,c9",
        "score-decimal": "team-a,nps,2026-09-09,phone,9.5,c9",
        "score-text": "team-a,nps,2026-09-09,phone,nine,c9",
        "score-empty": "team-a,nps,2026-09-09,phone,,c9",
        "unknown-survey": "team-a,ces2,2026-09-09,phone,3,c9",
        "respondent-empty": "team-a,nps,2026-09-09,phone,9,",
        "respondent-huge": "team-a,nps,2026-09-09,phone,9," + "x" * 500,
        "response-bad-date": "team-a,nps,2026-02-30,phone,9,c9",
        "response-unknown-team": "nobody,nps,2026-09-09,phone,9,c9",
    }
    for name, row in cases.items():
        yield BadFile(name, "responses", "responses", _with_one_bad_row(row, "responses"), "r.csv")
    yield BadFile(
        "response-duplicate", "responses", "responses", _csv([GOOD_RESPONSE, GOOD_RESPONSE], RESPONSE_HEADER), "r.csv"
    )


def _sizes() -> Iterator[BadFile]:
    row = GOOD_MEASUREMENT.encode() + b"\n"
    yield BadFile("huge-file", "size", "measurements", MEASUREMENT_HEADER.encode() + b"\n" + row * 1_400_000, "m.csv")
    yield BadFile(
        "huge-line", "size", "measurements", _csv(["team-a," + "f" * 2_000_000 + ",2026-09-01,phone,,1,2,"]), "m.csv"
    )
    yield BadFile(
        "many-columns",
        "size",
        "measurements",
        _csv([GOOD_MEASUREMENT + ",x" * 50_000], MEASUREMENT_HEADER + "".join(f",c{i}" for i in range(50_000))),
        "m.csv",
    )


def _zip_bytes(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _xlsx_like() -> Iterator[BadFile]:
    content_types = (
        b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="xml" ContentType="application/xml"/></Types>'
    )
    yield BadFile(
        "zip-bomb-xlsx",
        "bomb",
        "measurements",
        _zip_bytes(
            {"[Content_Types].xml": content_types, "xl/worksheets/sheet1.xml": b"<a>" + b"0" * 300_000_000 + b"</a>"}
        ),
        "m.xlsx",
    )
    entities = [b'<!ENTITY lol "lol">'] + [
        b'<!ENTITY lol%d "' % level + (b"&lol%d;" % (level - 1) if level > 2 else b"&lol;") * 10 + b'">'
        for level in range(2, 8)
    ]
    billion_laughs = b'<?xml version="1.0"?><!DOCTYPE lolz [' + b"".join(entities) + b"]><lolz>&lol7;</lolz>"
    yield BadFile(
        "xml-bomb-xlsx",
        "bomb",
        "measurements",
        _zip_bytes({"[Content_Types].xml": billion_laughs, "xl/workbook.xml": billion_laughs}),
        "m.xlsx",
    )
    external_entity = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'
    yield BadFile("xxe-xlsx", "bomb", "measurements", _zip_bytes({"[Content_Types].xml": external_entity}), "m.xlsx")
    yield BadFile(
        "nested-zip", "bomb", "measurements", _zip_bytes({"inner.zip": _zip_bytes({"a.csv": b"x" * 1000})}), "m.xlsx"
    )
    yield BadFile("zip-not-xlsx", "binary", "measurements", _zip_bytes({"readme.txt": b"hello"}), "m.xlsx")
    yield BadFile("truncated-zip", "binary", "measurements", _zip_bytes({"a": b"x" * 5000})[:100], "m.xlsx")
    # Files are recognised by content, not name: a CSV named .xlsx is read as CSV, so give it a bad row.
    yield BadFile(
        "csv-named-xlsx", "binary", "measurements", _with_one_bad_row("team-a,fcr,2026-02-30,phone,,1,2,"), "m.xlsx"
    )


def _xlsx_rezipped(replace: dict[str, bytes], extra: dict[str, bytes]) -> bytes:
    """A real one-row workbook with members replaced or added afterwards, as a hostile writer can."""
    source = zipfile.ZipFile(io.BytesIO(_as_xlsx(_csv([GOOD_MEASUREMENT]))))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, data in extra.items():
            archive.writestr(name, data, compresslevel=1)
    return out.getvalue()


def _noise(size: int) -> bytes:
    """Text that deflates about 5:1 (at level 1), well under the ratio limit: only size limits can refuse it."""
    return random.Random(size).randbytes(size).translate(bytes(48 + (i & 1) for i in range(256)))


def _xlsx_limits() -> Iterator[BadFile]:
    """Workbooks within the upload size and compression ratio that are too big to parse (the security
    review's 15.7 MB file unpacked to 156 MB with one data row): refused from the archive, before openpyxl."""
    yield BadFile(
        "xlsx-one-row-unpacks-to-70mb",
        "bomb",
        "measurements",
        _xlsx_rezipped({}, {"xl/media/padding.xml": _noise(70 * 1024 * 1024)}),
        "m.xlsx",
    )
    yield BadFile(
        "xlsx-shared-strings-20mb",
        "bomb",
        "measurements",
        _xlsx_rezipped({}, {"xl/sharedStrings.xml": b"<sst><si><t>" + _noise(20 * 1024 * 1024) + b"</t></si></sst>"}),
        "m.xlsx",
    )
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="A1:XFD1048576"/><sheetData/></worksheet>'
    )
    yield BadFile(
        "xlsx-declares-17-billion-cells",
        "bomb",
        "measurements",
        _xlsx_rezipped({"xl/worksheets/sheet1.xml": sheet}, {}),
        "m.xlsx",
    )


def _binaries() -> Iterator[BadFile]:
    magic = {
        "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n",
        "png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(20),
        "gif": b"GIF89a" + bytes(30),
        "elf": b"\x7fELF\x02\x01\x01" + bytes(60),
        "exe": b"MZ\x90\x00" + bytes(60),
        "gzip": b"\x1f\x8b\x08\x00" + bytes(30),
        "sqlite": b"SQLite format 3\x00" + bytes(84),
        "ole-xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(60),
        "random": bytes((i * 73 + 41) % 256 for i in range(4096)),
        "html": b"<html><script>alert(1)</script></html>",
        "json": b'[{"team": "team-a", "kpi": "fcr"}]',
    }
    for (name, data), extension in itertools.product(magic.items(), ("csv", "xlsx")):
        yield BadFile(f"binary-{name}-as-{extension}", "binary", "measurements", data, f"m.{extension}")


def _newlines_and_quoting() -> Iterator[BadFile]:
    yield BadFile(
        "cr-only-newlines-bad-row",
        "structure",
        "measurements",
        _with_one_bad_row("team-a,fcr,2026-02-30,phone,,80,100,").replace(b"\n", b"\r"),
        "m.csv",
    )
    yield BadFile(
        "embedded-newline-in-team",
        "structure",
        "measurements",
        _with_one_bad_row('"team\na",fcr,2026-09-09,phone,,80,100,'),
        "m.csv",
    )
    yield BadFile(
        "quoted-header",
        "structure",
        "measurements",
        _csv([GOOD_MEASUREMENT], '"team,kpi",date,channel,value,numerator,denominator,sample_size'),
        "m.csv",
    )


ROW_LEVEL = {"date", "number", "semantics", "reference", "formula", "responses", "duplicate"}


def _as_xlsx(content: bytes) -> bytes:
    """The same rows as a real workbook (cells as text, as many exporters write them)."""
    import csv

    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    for row in csv.reader(io.StringIO(content.decode())):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_variants() -> Iterator[BadFile]:
    """Every row-level case again as XLSX: a different parser must find the same bad row."""
    for generator in (_values, _references, _formulas, _responses):
        for case in generator():
            if case.category in ROW_LEVEL:
                yield BadFile(
                    f"{case.name}-xlsx",
                    case.category,
                    case.kind,
                    _as_xlsx(case.content),
                    case.filename.replace(".csv", ".xlsx"),
                )


def _semicolon_bom_variants() -> Iterator[BadFile]:
    """Date and number cases in a semicolon-separated, BOM-prefixed file (as spreadsheet exports in Europe)."""
    for case in _values():
        if case.category in {"date", "number"} and b'"' not in case.content:
            yield BadFile(
                f"{case.name}-semicolon-bom",
                case.category,
                case.kind,
                b"\xef\xbb\xbf" + case.content.replace(b",", b";"),
                case.filename,
            )


def _locales() -> Iterator[BadFile]:
    """Files the import wizard cannot read one way only, or not in the encoding it proposes."""
    header = MEASUREMENT_HEADER.replace(",", ";")
    cases = {
        # 1,290 is 1.29 or 1290 and nothing else in the file decides: refused until the user picks.
        "locale-ambiguous-thousands": [header, "team-a;aht;2026-09-01;phone;1,290;;;10"],
        # A decimal comma and a decimal dot in one file.
        "locale-mixed-decimals": [
            header,
            "team-a;aht;2026-09-01;phone;402,5;;;10",
            "team-a;aht;2026-09-02;phone;12.75;;;10",
        ],
        # 01/02/2026 reads day-first or month-first.
        "locale-ambiguous-date-order": [header, "team-a;aht;01/02/2026;phone;300;;;10"],
        # One day only day-first, another only month-first.
        "locale-conflicting-date-order": [
            header,
            "team-a;aht;13/02/2026;phone;300;;;10",
            "team-a;aht;02/14/2026;phone;300;;;10",
        ],
        # A grouped number whose groups are not three digits, in a file that groups with dots.
        "locale-bad-grouping": [
            header,
            "team-a;aht;2026-09-01;phone;1.234,5;;;10",
            "team-a;aht;2026-09-02;phone;1.23,5;;;10",
        ],
        # An impossible datetime.
        "locale-bad-datetime": [header, "team-a;aht;2026-09-01 25:00:00;phone;300;;;10"],
        # A team name no team has.
        "locale-unknown-team-name": [header, "Kundtjänst Ystad;aht;2026-09-01;phone;300;;;10"],
    }
    for name, lines in cases.items():
        yield BadFile(name, "locale", "measurements", ("\r\n".join(lines) + "\r\n").encode(), "m.csv")
    # Not UTF-8, so Windows-1252 is proposed, but 0x81 is no Windows-1252 character either.
    raw = (header + "\r\nteam-a;aht;2026-09-01;phone;300;;;10\r\n").encode() + b"team-\xe4\x81;aht\r\n"
    yield BadFile("locale-not-cp1252-either", "locale", "measurements", raw, "m.csv")


GENERATORS = (
    _locales,
    _encodings,
    _structure,
    _values,
    _references,
    _formulas,
    _control_character_formulas,
    _responses,
    _sizes,
    _xlsx_like,
    _xlsx_limits,
    _binaries,
    _newlines_and_quoting,
    _xlsx_variants,
    _semicolon_bom_variants,
)


@functools.cache
def bad_files() -> tuple[BadFile, ...]:
    """Every case, in a stable order, names unique (built once per test run: the bombs take a moment)."""
    files = [case for generator in GENERATORS for case in generator()]
    names = [case.name for case in files]
    duplicates = {name for name in names if names.count(name) > 1}
    assert not duplicates, duplicates
    return tuple(files)
