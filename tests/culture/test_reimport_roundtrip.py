"""Any figure exported to CSV imports back unchanged, whoever exports it.

The export "for re-import" writes a stored Decimal in the machine form (`reimport._text`); the import reads
it with the file's locale proposed from the file. Property: for every figure the database can hold (12 digits
before the point, 6 after, either sign, in any of its Decimal spellings: trailing zeros, exponents), the
text written reads back as the same number. And end to end: a Swedish reader's export (their pages show
"1 234,5") is still the machine form, and importing it back leaves every stored figure as it was.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from culture.measurements.cells import parse_decimal
from culture.measurements.filelocale import FileLocale, normal_number
from culture.measurements.reimport import _text
from culture.models import Kpi, Measurement
from tests.pages import upload_measurements

STORABLE = st.decimals(
    min_value=Decimal("-999999999999.999999"),
    max_value=Decimal("999999999999.999999"),
    places=6,
    allow_nan=False,
    allow_infinity=False,
)


@given(STORABLE, st.integers(min_value=-6, max_value=6))
def test_every_storable_figure_is_written_so_that_it_reads_back_unchanged(number, shift):
    # The same number spelled with trailing zeros or an exponent, as a Decimal from the database may be.
    spelled = number.scaleb(shift).scaleb(-shift)
    text = _text(spelled)
    assert "E" not in text and "e" not in text and "," not in text
    assert parse_decimal(normal_number(text, FileLocale())) == number


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.django_db
def test_a_swedish_readers_export_imports_back_unchanged(client, team_a, cco, _media):
    cco.language = "sv"
    cco.save(update_fields=["language"])
    figures = [
        ("fcr", "all", {"numerator": Decimal("999999999.999999"), "denominator": Decimal("1000000000")}),
        ("aht", "phone", {"value": Decimal("1234.5"), "sample_size": 120}),
        ("aht", "chat", {"value": Decimal("0.000001")}),
        ("aht", "email", {"value": Decimal("1290")}),
        ("nps", "email", {"numerator": Decimal("-3.5"), "denominator": Decimal(40), "sum_squares": Decimal("25.25")}),
        ("cost_per_contact", "all", {"numerator": Decimal("12345.60"), "denominator": Decimal(310)}),
    ]
    for code, channel, values in figures:
        Measurement.objects.create(
            team=team_a, kpi=Kpi.objects.get(code=code), date="2026-04-01", channel=channel, **values
        )
    fields = ["team_id", "kpi_id", "date", "channel", "value", "numerator", "denominator", "sample_size", "sum_squares"]
    before = sorted(Measurement.objects.values_list(*fields))
    client.force_login(cco)
    listing = client.get(reverse("culture:measurement_list"))
    assert '<html lang="sv"' in listing.content.decode()
    content = b"".join(client.get(reverse("culture:measurement_list") + "?_export=import").streaming_content)
    text = content.decode()
    assert "1234.5," in text and "0.000001," in text and "999999999.999999," in text  # no "1 234,5"
    Measurement.objects.all().delete()
    preview = upload_measurements(client, content)
    assert "Bekräfta" in client.get(preview).content.decode()  # valid: the confirm button, in Swedish
    client.post(preview + "confirm/")
    assert sorted(Measurement.objects.values_list(*fields)) == before
