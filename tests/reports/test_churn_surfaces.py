"""Churn and the customer bridge agree to the last digit on the page, the PDF, the CSV export and the API."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from reports.documents.team_scorecard import gather_team_scorecards, render_team_scorecard
from reports.services import save_value_model
from tests.culture.scorecard_helpers import measure, period, target

from .pdf_helpers import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def churn(team_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    p = period("2026-09")
    target("churn_rate", p, 1.5, 2, 3)
    # 8,000 customers on 1 September; 3 lost a day for 30 days = 90 lost, 2 gained a day = 60 gained.
    # churn = 100 x 90 / 8,000 = 1.125 exactly: shown half-up as 1.13 (half-to-even would print 1.12).
    # The old pooled figure (90 / the sum of 30 daily bases, about 239,565) would read 0.04.
    base = 8000
    for offset in range(30):
        day = dt.date(2026, 9, 1) + dt.timedelta(days=offset)
        measure(team_a, "churn_rate", day, opening=base, gained=2, lost=3, closing=base - 1)
        base -= 1
    save_value_model(
        period_code="2026-09",
        values={
            "currency": "EUR",
            "customers": 8000,
            "revenue_per_customer": "12.50",
            "cost_per_assisted_contact": "6.00",
            "cost_per_self_service_contact": "1.00",
        },
        actor=None,
    )
    return p


def test_churn_agrees_on_page_pdf_export_and_api(client, churn, cco, team_a):
    client.force_login(cco)
    page = client.get(reverse("culture:team_scorecard", args=[team_a.slug]), {"period": "2026-09"}).content.decode()
    assert "1.13%" in page

    (data,) = gather_team_scorecards(period_code="2026-09", team_ids=[team_a.pk])
    assert "Churn rate 1.13 %" in pdf_text(render_team_scorecard(data)[0])

    export = client.get(reverse("culture:scorecard_list"), {"period": "2026-09", "_export": "csv"})
    rows = list(csv.reader(io.StringIO(export.getvalue().decode())))
    churn_column = next(i for i, name in enumerate(rows[0]) if name.startswith("Churn"))
    assert rows[1][churn_column] == "1.13"

    api = APIClient()
    api.force_authenticate(cco)
    body = api.get(f"/api/v1/scorecards/{team_a.slug}/", {"period": "2026-09"}).json()
    line = next(line for line in body["lines"] if line["kpi_code"] == "churn_rate")
    assert line["actual"] == "1.13"
    assert body["definition"] == "v2-stock"


def test_bridge_on_the_page_and_in_the_api(client, churn, cco, team_a):
    # 8,000 + 60 - 90 = 7,970 = the closing on 30 September: balances. Lost 90 x EUR 12.50 = 1,125.00.
    client.force_login(cco)
    page = client.get(reverse("culture:team_scorecard", args=[team_a.slug]), {"period": "2026-09"}).content.decode()
    assert "Customer bridge" in page and "7,970" in page and "1,125.00" in page
    assert "does not balance" not in page

    api = APIClient()
    api.force_authenticate(cco)
    bridge = api.get(f"/api/v1/scorecards/{team_a.slug}/", {"period": "2026-09"}).json()["bridge"]
    assert (bridge["opening"], bridge["gained"], bridge["lost"], bridge["closing"]) == ("8000", "60", "90", "7970")
    assert bridge["balances"] is True and bridge["value_per_customer"] == "12.50"
