"""Measurement list exports: the CSV streams in chunks with a fixed number of queries; the XLSX is written
row by row; both hold every filtered row, with formula-looking text neutralised."""

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import exports
from culture.models import Kpi, Measurement
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

URL = reverse("culture:measurement_list")


def _rows(team, count, start=dt.date(2025, 1, 1)):
    aht = Kpi.objects.get(code="aht")
    Measurement.objects.bulk_create(
        Measurement(team=team, kpi=aht, date=start + dt.timedelta(days=n), value=Decimal(n) - 2, sample_size=n)
        for n in range(count)
    )


def _csv_export(client, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, {"_export": "csv", **params})
        assert response.status_code == 200
        assert response.streaming
        body = response.getvalue().decode()
    return list(csv.reader(io.StringIO(body))), len(ctx.captured_queries)


def test_csv_export_streams_every_row_with_a_fixed_number_of_queries(client, cco, monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_CHUNK_ROWS", 40)  # several chunks of the same query
    monkeypatch.setattr(exports, "CSV_CHUNK_BYTES", 1024)  # and several chunks of the response
    client.force_login(cco)
    team = TeamFactory(name="=HYPERLINK(1)")
    _rows(team, 3)
    few_rows, few_queries = _csv_export(client)
    _rows(team, 297, start=dt.date(2026, 1, 1))
    rows, queries = _csv_export(client)
    assert queries == few_queries <= 6
    assert (len(few_rows), len(rows)) == (1 + 3, 1 + 300)
    assert rows[0] == [
        "Date",
        "Team",
        "KPI",
        "Channel",
        "Value",
        "Numerator",
        "Denominator",
        "Sample size",
        "Source",
        "Updated",
    ]
    # Newest first, every value exactly as stored; a negative number is a number, the team name is not a formula.
    assert rows[1][:8] == [
        "2026-10-24",
        "'=HYPERLINK(1)",
        "aht",
        "All channels (not split)",
        "294.000000",
        "",
        "",
        "296",
    ]
    assert rows[-1][:8] == ["2025-01-01", "'=HYPERLINK(1)", "aht", "All channels (not split)", "-2.000000", "", "", "0"]
    assert sorted(Decimal(row[4]) for row in rows[1:]) == sorted(Decimal(n) - 2 for n in [*range(3), *range(297)])


def test_csv_export_keeps_the_filters_and_the_sort(client, cco):
    client.force_login(cco)
    team_a, team_b = TeamFactory(), TeamFactory()
    _rows(team_a, 5)
    _rows(team_b, 5)
    rows, _ = _csv_export(client, team=team_b.pk, date_to="2025-01-03", sort="date")
    assert [row[0] for row in rows[1:]] == ["2025-01-01", "2025-01-02", "2025-01-03"]
    assert {row[1] for row in rows[1:]} == {team_b.name}


def test_a_lead_exports_only_their_teams_rows(client, lead_a, team_a, team_b):
    _rows(team_a, 2)
    _rows(team_b, 4)
    client.force_login(lead_a)
    rows, _ = _csv_export(client)
    assert {row[1] for row in rows[1:]} == {"Team A"} and len(rows) == 3


def test_xlsx_export_is_written_row_by_row_with_a_fixed_number_of_queries(client, cco):
    client.force_login(cco)
    team = TeamFactory(name="Bell\x07 team")  # openpyxl refuses control characters: they are dropped
    _rows(team, 3)
    with CaptureQueriesContext(connection) as few:
        client.get(URL, {"_export": "xlsx"}).getvalue()
    _rows(team, 120, start=dt.date(2026, 1, 1))
    with CaptureQueriesContext(connection) as many:
        response = client.get(URL, {"_export": "xlsx"})
        assert response.status_code == 200
        workbook = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    assert len(many.captured_queries) == len(few.captured_queries)
    assert response["Content-Disposition"] == 'attachment; filename="measurements.xlsx"'
    sheet = workbook.worksheets[0]
    assert (sheet.title, sheet.freeze_panes, sheet["A1"].font.bold) == ("Measurements", "A2", True)
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 1 + 123
    # The day is a date cell that the reader's spreadsheet shows in its own way; the CSV keeps ISO text.
    assert values[-1][:5] == (dt.datetime(2025, 1, 1), "Bell team", "aht", "All channels (not split)", -2)
    assert sheet.cell(row=len(values), column=1).number_format == "d mmm yyyy"


@pytest.mark.parametrize("export_format", ["xls", "ods", "json", "yaml", "latex"])
def test_other_export_formats_show_the_page(client, cco, export_format):
    """Only CSV and XLSX are offered; tablib's other formats (xls and ods need packages we do not install)
    were a server error."""
    client.force_login(cco)
    response = client.get(URL, {"_export": export_format})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
