"""The measurement CSV from PostgreSQL's COPY is byte for byte the Python path's: names joined and neutralised
in SQL, labels in the reader's language, timestamps as isoformat() writes them, CRLF record ends."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from core import exports
from culture.measurements.views import MeasurementListView
from culture.models import Kpi, Measurement
from tests.factories import TeamFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgresql]

URL = reverse("culture:measurement_list")
AWKWARD_NAMES = [
    "=HYPERLINK(1)",
    "\x01=cmd|' /C calc'!A0",
    "-minus, with comma",
    'Quote "team"\nwith a line break',
    "@at\tand tab",
    "Plain team",
]


def _data():
    kpis = list(Kpi.objects.filter(code__in=["aht", "fcr", "nps"]).order_by("code"))
    day = dt.date(2026, 1, 1)
    rows = []
    for t, name in enumerate(AWKWARD_NAMES):
        team = TeamFactory(name=name)
        for n in range(7):
            rows.append(
                Measurement(
                    team=team,
                    kpi=kpis[n % 3],
                    date=day + dt.timedelta(days=n + t),
                    channel=["all", "phone", "chat"][n % 3],
                    value=None if n % 3 == 1 else Decimal(n) - Decimal("3.25"),
                    numerator=Decimal(n * 7) if n % 3 == 1 else None,
                    denominator=Decimal(100) if n % 3 == 1 else None,
                    sample_size=n or None,
                    source=["web", "command", "api"][n % 3],
                )
            )
    Measurement.objects.bulk_create(rows)
    # One timestamp without microseconds: isoformat() then leaves them out.
    Measurement.objects.filter(pk=rows[0].pk).update(updated_at=dt.datetime(2026, 2, 3, 4, 5, 6, tzinfo=dt.UTC))


def _export(client, python: bool, monkeypatch, **params) -> bytes:
    with monkeypatch.context() as patch:
        if python:
            patch.setattr(MeasurementListView, "copy_select", lambda self, table, columns: None)
        response = client.get(URL, {"_export": "csv", **params})
        assert response.status_code == 200 and response.streaming
        return response.getvalue()


@pytest.mark.parametrize(
    "params",
    [{}, {"sort": "team"}, {"sort": "-value"}, {"channel": "phone", "date_from": "2026-01-03"}],
)
def test_copy_export_is_byte_for_byte_the_python_export(client, cco, monkeypatch, params):
    monkeypatch.setattr(exports, "CSV_CHUNK_BYTES", 200)  # several chunks, some with quoted cells
    client.force_login(cco)
    _data()
    copied, python = _export(client, False, monkeypatch, **params), _export(client, True, monkeypatch, **params)
    assert copied == python
    assert copied.count(b"\r\n") >= len(python.split(b"\r\n")) - 1
    assert b"'=HYPERLINK(1)" in copied or params.get("channel")


def test_copy_export_labels_choices_in_the_readers_language(client, cco, monkeypatch):
    cco.language = "sv"
    cco.save(update_fields=["language"])
    client.force_login(cco)
    _data()
    copied, python = _export(client, False, monkeypatch), _export(client, True, monkeypatch)
    assert copied == python
    with translation.override("sv"):
        assert str(Measurement._meta.get_field("source").choices[0][1]).encode() in copied


def test_the_copy_path_is_taken_on_postgresql(client, cco, monkeypatch):
    client.force_login(cco)
    _data()
    taken = []
    real = exports.copy_csv_response
    monkeypatch.setattr("core.views.copy_csv_response", lambda *a, **k: taken.append(1) or real(*a, **k))
    body = _export(client, False, monkeypatch)
    assert taken == [1]
    assert body.startswith(b"Date,Team,KPI,Channel,Value,Numerator,Denominator,Sample size,Source,Updated\r\n")
    assert b"2026-02-03T04:05:06+00:00" in body
