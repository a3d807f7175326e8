"""XLSX imports match their headers as CSV imports do: Swedish header words through the synonyms, and a
preset saved from one file is reused, without questions, on a workbook with the same columns in any order."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from culture.measurements import ImportOptions, LocaleChoice, import_measurements, save_preset
from culture.measurements.reading import Limits, workbook_header
from culture.models import Measurement
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db


def _workbook(*rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _import(raw: bytes, *, options=None, dry_run=False):
    return import_measurements(
        stream=io.BytesIO(raw), filename="m.xlsx", user=None, source="command", dry_run=dry_run, options=options
    )


def test_swedish_headers_of_a_workbook_are_matched_automatically():
    TeamFactory(name="Kundtjänst Malmö", slug="kundtjanst-malmo")
    raw = _workbook(
        ("Lag", "Nyckeltal", "Datum", "Kanal", "Värde", "Antal svar"),
        ("Kundtjänst Malmö", "AHT", dt.datetime(2026, 11, 2), "All", 402.5, 120),
        ("kundtjanst-malmo", "aht", dt.date(2026, 11, 3), "all", 398, 80),
    )
    result = _import(raw)
    assert result.is_valid, (result.file_error, result.errors)
    assert sorted(
        Measurement.objects.values_list("team__slug", "kpi__code", "date", "channel", "value", "sample_size")
    ) == [
        ("kundtjanst-malmo", "aht", dt.date(2026, 11, 2), "all", Decimal("402.5"), 120),
        ("kundtjanst-malmo", "aht", dt.date(2026, 11, 3), "all", Decimal(398), 80),
    ]


def test_a_saved_preset_is_reused_on_a_workbook_without_questions(team_a, cco):
    csv = b"Avdelning;Matt;Dag;Utfall\nteam-a;aht;2026-04-01;1,290\n"
    options = ImportOptions(
        choice=LocaleChoice(decimal=","),
        columns={"Avdelning": "team", "Matt": "kpi", "Dag": "date", "Utfall": "value"},
    )
    save_preset(
        name="Ekonomi", kind="measurements", header=csv.decode().splitlines()[0].split(";"), options=options, user=cco
    )
    # The same columns in another order, in a workbook; the numbers are typed cells, the value a Swedish text.
    raw = _workbook(("Dag", "Utfall", "Avdelning", "Matt"), (dt.date(2026, 4, 2), "2,5", "team-a", "AHT"))
    assert workbook_header(io.BytesIO(raw), Limits()) == ["Dag", "Utfall", "Avdelning", "Matt"]
    result = _import(raw)
    assert result.is_valid, (result.file_error, result.errors)
    assert result.preset == "Ekonomi"
    assert list(Measurement.objects.values_list("date", "value")) == [(dt.date(2026, 4, 2), Decimal("2.5"))]


def test_without_a_preset_the_workbook_asks_about_its_unknown_columns(team_a):
    raw = _workbook(("Dag", "Utfall", "Avdelning", "Matt"), (dt.date(2026, 4, 2), 2.5, "team-a", "AHT"))
    result = _import(raw)
    assert not result.is_valid
    assert "unknown column(s): Utfall, Avdelning, Matt" in result.file_error
