"""The measurement CSV export's exact bytes for a small, awkward set, written out by hand: the same file on
SQLite (the Python path) and on PostgreSQL (COPY over the covering index), in the list's order `-date, -id`."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from core import exports
from culture.models import Kpi, Measurement
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

EXPECTED = (
    b"Date,Team,KPI,Channel,Value,Numerator,Denominator,Sample size,Source,Updated\r\n"
    b'2026-01-02,"Quote ""q"", comma",fcr,All channels (not split),,7.000000,10.000000,,API,'
    b"2026-02-03T04:05:06+00:00\r\n"
    b"2026-01-02,'=Sum(A1),aht,Phone,12.500000,,,3,Web upload,2026-02-03T04:05:06.789000+00:00\r\n"
    b'2026-01-01,"\'=Sum(A1)\nsecond line",fcr,Chat,-1.250000,,,,Command line,2026-01-31T23:59:59.000001+00:00\r\n'
)


def _rows():
    formula = TeamFactory(name="=Sum(A1)")
    quoted = TeamFactory(name='Quote "q", comma')
    broken = TeamFactory(name="\x02=Sum(A1)\nsecond line")  # a control character, then a line break in a cell
    aht, fcr = Kpi.objects.get(code="aht"), Kpi.objects.get(code="fcr")
    day = dt.date(2026, 1, 1)
    made = [
        Measurement.objects.create(
            team=broken, kpi=fcr, date=day, channel="chat", value=Decimal("-1.25"), source="command"
        ),
        Measurement.objects.create(
            team=formula,
            kpi=aht,
            date=day + dt.timedelta(days=1),
            channel="phone",
            value=Decimal("12.5"),
            sample_size=3,
            source="web",
        ),
        Measurement.objects.create(
            team=quoted,
            kpi=fcr,
            date=day + dt.timedelta(days=1),
            channel="all",
            numerator=Decimal(7),
            denominator=Decimal(10),
            source="api",
        ),
    ]
    stamps = [
        dt.datetime(2026, 1, 31, 23, 59, 59, 1, tzinfo=dt.UTC),
        dt.datetime(2026, 2, 3, 4, 5, 6, 789000, tzinfo=dt.UTC),
        dt.datetime(2026, 2, 3, 4, 5, 6, tzinfo=dt.UTC),
    ]
    for measurement, stamp in zip(made, stamps, strict=True):
        Measurement.objects.filter(pk=measurement.pk).update(updated_at=stamp)


def test_the_measurement_csv_is_exactly_these_bytes(client, cco, monkeypatch):
    taken = []
    real = exports.copy_csv_response
    monkeypatch.setattr("core.views.copy_csv_response", lambda *a, **k: taken.append(1) or real(*a, **k))
    client.force_login(cco)
    _rows()

    response = client.get(reverse("culture:measurement_list"), {"_export": "csv"})

    assert response.status_code == 200 and response.streaming
    assert response.getvalue() == EXPECTED
    assert taken == ([1] if connection.vendor == "postgresql" else [])
