"""Dates and amounts: ISO text and plain figures in CSV, typed cells with a display format in XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
from django.utils import timezone

from core.cells import ExportDate, ExportMoney
from core.exports import _csv_chunks, write_xlsx

ROWS = [
    ["Day", "Sent", "Amount", "Points", "Yen"],
    [
        ExportDate(dt.date(2026, 12, 6)),
        ExportDate(dt.datetime(2026, 7, 1, 10, 30, tzinfo=dt.UTC)),
        ExportMoney(Decimal("-1234.50"), "EUR"),
        ExportMoney(Decimal("250"), "PTS"),
        ExportMoney(Decimal("1235"), "JPY"),
    ],
]


def test_csv_keeps_iso_dates_and_plain_figures():
    text = "".join(_csv_chunks(ROWS))
    assert list(csv.reader(io.StringIO(text)))[1] == [
        "2026-12-06",
        "2026-07-01T10:30:00+00:00",
        "-1234.50",
        "250",
        "1235",
    ]


def test_xlsx_holds_dates_and_numbers_with_their_display_formats(settings):
    settings.TIME_ZONE = "Europe/Stockholm"
    out = io.BytesIO()
    with timezone.override("Europe/Stockholm"):
        write_xlsx(iter(ROWS), out, title="Cells")
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    cells = sheet[2]
    # 10:30 UTC in July is 12:30 in Stockholm (summer time): a spreadsheet cell has no zone, so local time.
    assert [cell.value for cell in cells] == [
        dt.datetime(2026, 12, 6),
        dt.datetime(2026, 7, 1, 12, 30),
        -1234.5,
        250,
        1235,
    ]
    assert [cell.number_format for cell in cells] == [
        "d mmm yyyy",
        "d mmm yyyy hh:mm",
        '#,##0.00 "EUR";-#,##0.00 "EUR"',
        '#,##0 "points";-#,##0 "points"',
        '#,##0 "JPY";-#,##0 "JPY"',
    ]
