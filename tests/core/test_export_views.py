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
