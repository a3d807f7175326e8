"""Exports and paging as a person reaches them through a list page."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import MembershipFactory, PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db
HIDDEN_FORMULA = '\x01=HYPERLINK("http://x","open")'


def test_xlsx_export_writes_a_control_character_formula_as_quoted_text(client, cco):
    MembershipFactory(person=PersonFactory(name=HIDDEN_FORMULA))
    client.force_login(cco)

    response = client.get(reverse("culture:person_list"), {"_export": "xlsx"})

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cell = next(c for row in sheet.iter_rows(min_row=2) for c in row if "HYPERLINK" in str(c.value))
    assert cell.value == '\'=HYPERLINK("http://x","open")'
    assert cell.data_type == "s"


def test_csv_export_quotes_a_control_character_formula(client, cco):
    MembershipFactory(person=PersonFactory(name=HIDDEN_FORMULA))
    client.force_login(cco)

    response = client.get(reverse("culture:person_list"), {"_export": "csv"})

    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert rows[1][0] == '\'=HYPERLINK("http://x","open")'


@pytest.mark.parametrize(("asked", "shown"), [("100000", 500), ("-1", 10), ("0", 10), ("abc", 50), ("20", 20)])
def test_per_page_is_bounded_whatever_the_query_asks(client, cco, asked, shown):
    TeamFactory.create_batch(520)
    client.force_login(cco)

    response = client.get(reverse("culture:team_list"), {"per_page": asked})

    assert response.status_code == 200
    table = response.context["table"]
    assert table.paginator.per_page == shown
    assert len(table.page.object_list) == shown


def test_xlsx_export_figures_are_numbers_with_grouped_display_formats(client, cco):
    """A figure stays a number in the workbook, with a display format the spreadsheet shows in the reader's
    locale ("1 234,5" in Swedish, "1,234.5" in English), as many decimals as the figure has."""
    from decimal import Decimal

    from core.exports import xlsx_number_format
    from culture.models import Kpi, Measurement

    team = TeamFactory(slug="team-x")
    aht = Kpi.objects.get(code="aht")
    Measurement.objects.create(team=team, kpi=aht, date="2026-04-01", value=Decimal("1234.500000"), sample_size=7)
    Measurement.objects.create(team=team, kpi=aht, date="2026-04-02", value=Decimal("0.000001"))
    Measurement.objects.create(team=team, kpi=aht, date="2026-04-03", value=Decimal("1E+3"))
    client.force_login(cco)

    response = client.get(reverse("culture:measurement_list"), {"_export": "xlsx"})

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    header = [cell.value for cell in sheet[1]]
    values = [row[header.index("Value")] for row in sheet.iter_rows(min_row=2)]
    assert [(cell.value, cell.number_format) for cell in values] == [
        (1000, "#,##0"),
        (0.000001, "#,##0.000000"),
        (1234.5, "#,##0.0"),
    ]
    assert [xlsx_number_format(Decimal(text)) for text in ("12", "-3.50", "7.1234567", "0")] == [
        "#,##0",
        "#,##0.0",
        "#,##0.000000",
        "#,##0",
    ]
