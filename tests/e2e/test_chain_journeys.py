"""The CCO's journey: the service-profit chain on the dashboard, changed through its form, accessible."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.culture.test_pulse_linkage import _previous_quarter_end, _world

from .conftest import assert_accessible, log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_cco_sees_the_chain_chart_and_changes_the_measure(page, cco):
    _world(cco, [6] * 9, closes=_previous_quarter_end(timezone.localdate()) - dt.timedelta(days=20))
    log_in(page, cco.email)
    page.goto(reverse("culture:scorecard_home"))
    section = page.locator("section").filter(
        has=page.get_by_role("heading", name="Service-profit chain: engagement and customers")
    )
    assert section.locator("svg[role=img] circle").count() == 9
    assert "9 teams" in section.inner_text() and "Correlation is not cause" in section.inner_text()
    assert_accessible(page)
    screenshot(page, "cco-service-chain")

    section.get_by_label("Engagement").select_option("culture_index")
    section.get_by_label("KPI lag (quarters after the pulse)").select_option("1")
    section.get_by_role("button", name="Show").click()
    page.wait_for_url("**chain-lag=1**")
    assert "not over yet" in section.inner_text()
    assert section.get_by_label("Engagement").input_value() == "culture_index"  # the form keeps the choice
    assert_accessible(page)
