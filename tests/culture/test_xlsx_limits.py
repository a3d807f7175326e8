"""XLSX limits are checked from the archive before openpyxl parses anything; the preview is parsed once."""

import io
import random
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from culture.measurements import views
from culture.measurements.reading import FileProblem, Limits, open_table
from culture.measurements.rules import MEASUREMENT_COLUMNS, MEASUREMENT_REQUIRED
from culture.measurements.services import default_limits

HEADER = ["team", "kpi", "date", "numerator", "denominator"]
ROW = ["team-a", "fcr", "2026-04-01", "4", "5"]


def workbook(rows=(HEADER, ROW), extra: dict[str, bytes] | None = None, replace: dict[str, bytes] | None = None):
    """A real workbook, with members added or replaced afterwards (what a hostile writer can do)."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("data")
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, (replace or {}).get(info.filename, source.read(info.filename)))
        for name, data in (extra or {}).items():
            archive.writestr(name, data, compresslevel=1)  # level 1: the 70 MB case builds in 2 s, not 16
    return out.getvalue()


def noise(size: int) -> bytes:
    """Text that deflates about 8:1, under the ratio limit: size alone must refuse it."""
    return random.Random(7).randbytes(size).translate(bytes(48 + (i & 1) for i in range(256)))


@pytest.fixture
def no_parsing(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl must not parse a workbook over the limits")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def read(content: bytes, limits: Limits):
    table = open_table(io.BytesIO(content), columns=MEASUREMENT_COLUMNS, required=MEASUREMENT_REQUIRED, limits=limits)
    return list(table.rows)


def test_one_row_workbook_unpacking_to_70_mb_is_refused_by_default_before_parsing(settings, no_parsing):
    content = workbook(extra={"xl/media/padding.xml": noise(70 * 1024 * 1024)})
    assert len(content) < settings.CENTRIC_IMPORT_MAX_BYTES
    with pytest.raises(FileProblem, match="unpacks to"):
        read(content, default_limits())


def test_shared_strings_too_big_are_refused_before_parsing(no_parsing):
    strings = b"<sst><si><t>" + noise(300_000) + b"</t></si></sst>"
    content = workbook(extra={"xl/sharedStrings.xml": strings})
    with pytest.raises(FileProblem, match="text table"):
        read(content, Limits(max_xlsx_shared_strings_bytes=100_000))


def test_too_many_shared_strings_are_refused_before_parsing(no_parsing):
    strings = b"<sst>" + b"".join(b"<si><t>%d</t></si>" % i for i in range(5000)) + b"</sst>"
    content = workbook(extra={"xl/sharedStrings.xml": strings})
    with pytest.raises(FileProblem, match="more than 1,000 distinct texts"):
        read(content, Limits(max_xlsx_shared_strings=1000))


def test_declared_dimension_over_the_cell_limit_is_refused_before_parsing(no_parsing):
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="A1:XFD1048576"/><sheetData/></worksheet>'
    )
    content = workbook(replace={"xl/worksheets/sheet1.xml": sheet})
    with pytest.raises(FileProblem, match="more than 4,000,000 cells"):
        read(content, default_limits())


def test_cells_are_counted_even_when_the_dimension_understates_them(no_parsing):
    content = workbook(rows=[HEADER] + [ROW] * 300)
    with pytest.raises(FileProblem, match="more than 1,000 cells"):
        read(content, Limits(max_xlsx_cells=1000))


def test_ordinary_workbook_is_read(settings):
    rows = read(workbook(rows=[HEADER] + [ROW] * 3), default_limits())
    assert [number for number, _ in rows] == [2, 3, 4]


@pytest.mark.django_db
def test_preview_reload_shows_the_stored_dry_run_without_parsing_again(client, settings, tmp_path, monkeypatch, cco):
    from tests.factories import TeamFactory

    settings.MEDIA_ROOT = tmp_path
    TeamFactory(slug="team-a")
    calls = []
    service = views.SERVICES["measurements"]

    def counting(**kwargs):
        calls.append(kwargs["dry_run"])
        return service(**kwargs)

    monkeypatch.setitem(views.SERVICES, "measurements", counting)
    client.force_login(cco)
    upload = SimpleUploadedFile("m.xlsx", workbook())
    location = client.post(reverse("culture:import_upload"), {"kind": "measurements", "file": upload})["Location"]
    first = client.get(location)
    second = client.get(location)
    assert first.context["result"].counts.created == second.context["result"].counts.created == 1
    assert calls == [True]
    assert client.post(location + "confirm/").status_code == 302
    assert calls == [True, False]
