"""Pages for targets over time: the company and department bulk editor, copy forward, phasing, the target list."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEntry
from culture.models import Kpi, Target
from tests.factories import DepartmentFactory

from .scorecard_helpers import kpi, period, target

pytestmark = pytest.mark.django_db

BULK = "/culture/targets/bulk/"


def bulk_data(page, scope: str, code: str, rows: dict[str, dict[str, str]], phasing: str = "") -> dict:
    """A bulk editor POST: every KPI's row as loaded, with `rows` (KPI code -> cells) filled in."""
    formset = page.context["formset"]
    data = {"period": code, "scope": scope, "phasing": phasing}
    data.update({f"form-{k}": v for k, v in formset.management_form.initial.items()})
    codes = {k.pk: k.code for k in Kpi.objects.all()}
    for index, form in enumerate(formset.forms):
        data[f"form-{index}-kpi"] = form.initial["kpi"]
        for name, value in rows.get(codes[form.initial["kpi"]], {}).items():
            data[f"form-{index}-{name}"] = value
    return data


def cells(target_value, on_track_from, off_track_from, weight="1", min_sample="0"):
    return {
        "target_value": target_value,
        "on_track_from": on_track_from,
        "off_track_from": off_track_from,
        "weight": weight,
        "min_sample": min_sample,
    }


def test_company_bulk_editor_saves_every_row_or_none_and_keeps_the_input(client, cco):
    client.force_login(cco)
    page = client.get(BULK, {"period": "2026-10", "scope": "company"})
    assert len(page.context["rows"]) == Kpi.objects.count()
    # CSAT is higher-is-better: a target below "on track from" is out of order
    rows = {"fcr": cells("75", "70", "65", weight="2"), "csat": cells("80", "85", "70")}
    response = client.post(BULK, bulk_data(page, "company", "2026-10", rows))
    assert response.status_code == 200 and not Target.objects.exists()
    forms = {f.cleaned_data["kpi"].code: f for f in response.context["formset"].forms if f.cleaned_data.get("kpi")}
    assert list(forms["csat"].errors) == ["on_track_from"]  # on the cell, not only above the table
    assert 'target must be at least "on track from"' in forms["csat"].errors["on_track_from"][0]
    html = response.content.decode()
    assert "Nothing was saved: fix the cells marked below." in html
    assert 'value="75"' in html and 'value="85"' in html  # what was typed is still there

    rows["csat"] = cells("85", "80", "70")
    response = client.post(BULK, bulk_data(page, "company", "2026-10", rows), follow=True)
    assert "2 created" in response.content.decode()
    saved = {t.kpi.code: t for t in Target.objects.filter(team=None, department=None)}
    assert (saved["fcr"].target_value, saved["fcr"].weight, saved["csat"].on_track_from) == (75, 2, 80)
    assert AuditEntry.objects.filter(action="target.create").count() == 2


def test_department_scope_and_missing_cells_are_named(client, cco):
    department = DepartmentFactory(name="Care")
    client.force_login(cco)
    scope = f"department-{department.pk}"
    page = client.get(BULK, {"period": "2026-10", "scope": scope})
    response = client.post(BULK, bulk_data(page, scope, "2026-10", {"fcr": {"target_value": "75"}}))
    form = next(f for f in response.context["formset"].forms if f.cleaned_data.get("kpi") == kpi("fcr"))
    assert set(form.errors) == {"on_track_from", "off_track_from"}
    page = client.get(BULK, {"period": "2026-10", "scope": scope})
    client.post(BULK, bulk_data(page, scope, "2026-10", {"fcr": cells("75", "70", "65")}))
    assert Target.objects.get().department == department


def test_a_year_saved_in_bulk_is_phased_into_months_or_not_at_all(client, cco):
    client.force_login(cco)
    page = client.get(BULK, {"period": "2027", "scope": "company"})
    rows = {"customers_gained": cells("1200", "1080", "960")}
    period("2027-06", closed=True)
    response = client.post(BULK, bulk_data(page, "company", "2027", rows, phasing="flat"))
    assert "2027-06 was closed" in response.content.decode()
    assert not Target.objects.exists()  # the year is not saved either: all or nothing

    period("2027-06").delete()
    client.post(BULK, bulk_data(page, "company", "2027", rows, phasing="flat"))
    months = Target.objects.filter(period__kind="month", kpi=kpi("customers_gained"))
    assert months.count() == 12 and {m.target_value for m in months} == {Decimal(100)}
    assert {m.phased_from.period.code for m in months} == {"2027"}


def test_bulk_editor_page_queries_do_not_grow_with_kpis_or_departments(client, cco):
    client.force_login(cco)
    p = period("2026-10")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(BULK, {"period": "2026-10", "scope": "company"}).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for index in range(5):
        extra = Kpi.objects.create(
            code=f"extra-{index}", name=f"Extra {index}", definition="x", category="loyalty", unit="count",
            aggregation="sum",
        )  # fmt: skip
        Target.objects.create(
            kpi=extra, period=p, target_value=1, on_track_from=1, off_track_from=1, weight=1, min_sample=0
        )
        DepartmentFactory(name=f"Department {index}")
    assert count() == before
    assert before <= 20


def test_copy_forward_preview_then_confirm(client, cco):
    target("fcr", period("2026-09"), 80, 75, 70)
    target("fcr", period("2026-10"), 70, 65, 60)
    client.force_login(cco)
    query = {"source": "2026-09", "periods": "2", "scope": "company", "existing": "overwrite"}
    page = client.get("/culture/targets/copy/", query)
    assert [r.action for r in page.context["plan"].rows] == ["overwrite", "create"]
    assert "Confirm the copy" in page.content.decode()
    assert Target.objects.count() == 2  # the preview writes nothing
    response = client.post("/culture/targets/copy/", query, follow=True)
    assert "1 created, 1 overwritten" in response.content.decode()
    assert set(Target.objects.values_list("period__code", "target_value")) == {
        ("2026-09", Decimal(80)),
        ("2026-10", Decimal(80)),
        ("2026-11", Decimal(80)),
    }


def test_copy_forward_into_a_closed_period_is_refused_on_the_page(client, cco):
    target("fcr", period("2026-09"), 80, 75, 70)
    period("2026-10", closed=True)
    client.force_login(cco)
    query = {"source": "2026-09", "periods": "1", "scope": "all", "existing": "skip"}
    page = client.get("/culture/targets/copy/", query).content.decode()
    assert "Closed periods cannot take targets: 2026-10" in page and "Confirm the copy" not in page
    response = client.post("/culture/targets/copy/", query, follow=True)
    assert "Closed periods cannot take targets" in response.content.decode()
    assert Target.objects.count() == 1


def test_phase_page_previews_and_writes_the_months(client, cco):
    annual = target("fcr", period("2027"), 80, 75, 70)
    client.force_login(cco)
    url = reverse("culture:target_phase", args=[annual.pk])
    page = client.get(url, {"phasing": "flat"})
    assert [code for code, _figures in page.context["preview"]] == [f"2027-{m:02d}" for m in range(1, 13)]
    client.post(url, {"phasing": "flat"})
    assert Target.objects.filter(phased_from=annual).count() == 12


def test_target_list_shows_future_and_phased_targets(client, cco):
    annual = target("fcr", period("2031"), 80, 75, 70)
    target("fcr", period("2031-02"), 80, 75, 70).__class__.objects.filter(period__code="2031-02").update(
        phased_from=annual
    )
    client.force_login(cco)
    html = client.get("/culture/targets/").content.decode()
    assert "future · no data yet" in html and "phased from 2031" in html
