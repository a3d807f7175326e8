from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import AuditEntry
from culture.models import Period
from reports.models import ValueModel
from reports.services import save_value_model

pytestmark = pytest.mark.django_db

VALUES = {
    "period_code": "2026-Q3",
    "currency": "eur",
    "customers": "20000",
    "revenue_per_customer": "480.00",
    "cost_per_assisted_contact": "6.50",
    "cost_per_self_service_contact": "0.40",
}


def test_cco_saves_a_value_model_and_it_is_audited(client, cco):
    client.force_login(cco)
    response = client.post(reverse("reports:valuemodel_edit"), VALUES)
    assert response.status_code == 302
    model = ValueModel.objects.get(period__code="2026-Q3")
    assert (model.currency, model.customers, model.revenue_per_customer) == ("EUR", 20000, Decimal("480.00"))
    entry = AuditEntry.objects.get(action="value_model.save")
    assert entry.actor == cco
    assert entry.before is None
    assert entry.after["revenue_per_customer"] == "480.00"


def test_editing_keeps_one_row_and_records_before_and_after(client, cco):
    client.force_login(cco)
    client.post(reverse("reports:valuemodel_edit"), VALUES)
    client.post(reverse("reports:valuemodel_edit"), {**VALUES, "customers": "21000"})
    assert ValueModel.objects.get().customers == 21000
    latest = AuditEntry.objects.filter(action="value_model.save").first()
    assert (latest.before["customers"], latest.after["customers"]) == (20000, 21000)


def test_form_keeps_input_and_explains_each_error(client, cco):
    client.force_login(cco)
    bad = {**VALUES, "period_code": "2026-Q9", "currency": "E1R", "cost_per_self_service_contact": "9.00"}
    response = client.post(reverse("reports:valuemodel_edit"), bad)
    assert response.status_code == 200
    body = response.content.decode()
    assert "is not a period" in body
    assert "three-letter ISO currency" in body
    assert "Self-service usually costs less" in body
    assert 'value="20000"' in body
    assert not ValueModel.objects.exists()


def test_closed_period_value_model_is_frozen(client, cco):
    period, _ = Period.objects.get_or_create_for_code("2026-Q2")
    Period.objects.filter(pk=period.pk).update(status=Period.Status.CLOSED)
    client.force_login(cco)
    response = client.post(reverse("reports:valuemodel_edit"), {**VALUES, "period_code": "2026-Q2"})
    assert response.status_code == 200
    assert "is closed" in response.content.decode()
    with pytest.raises(ValueError, match="closed"):
        save_value_model(period_code="2026-Q2", values={**VALUES, "currency": "EUR"}, actor=cco)


@pytest.mark.parametrize("fixture", ["lead_a", "employee_a", "recruiter"])
def test_others_may_not_see_or_edit_value_models(client, fixture, request):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("reports:valuemodel_list")).status_code == 403
    assert client.post(reverse("reports:valuemodel_edit"), VALUES).status_code == 403


def test_list_query_count_is_fixed(client, cco, django_assert_max_num_queries):
    for quarter in range(1, 5):
        save_value_model(period_code=f"2025-Q{quarter}", values={**VALUES, "currency": "EUR"}, actor=cco)
    client.force_login(cco)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("reports:valuemodel_list"))
    assert len(response.context["object_list"]) == 4


def test_baseline_must_be_an_earlier_period_of_the_same_length(client, cco):
    client.force_login(cco)
    url = reverse("reports:valuemodel_edit")
    for wrong in ("2026-Q4", "2026-Q3", "2026-07"):
        page = client.post(url, {**VALUES, "baseline_code": wrong}).content.decode()
        assert "The baseline must be an earlier period of the same length as 2026-Q3." in page, wrong
    assert client.post(url, {**VALUES, "baseline_code": "2026-Q1"}).status_code == 302
    assert ValueModel.objects.get(period__code="2026-Q3").baseline_code == "2026-Q1"


def test_prices_are_entered_once_and_carried_forward(client, cco):
    save_value_model(period_code="2026-07", values={**VALUES, "period_code": "2026-07", "currency": "EUR"}, actor=cco)
    # the month after has no model of its own: the one in force is July's, and the form starts from its prices
    model = ValueModel.objects.in_force(kind="month", start=Period.objects.get_or_create_for_code("2026-08")[0].start)
    assert model is not None and model.period.code == "2026-07"
    assert ValueModel.objects.in_force(kind="quarter", start=model.period.start) is None  # another kind
    client.force_login(cco)
    form = client.get(reverse("reports:valuemodel_edit"), {"period": "2026-08"}).context["form"]
    assert form.initial["revenue_per_customer"] == Decimal("480.00")
    assert form.initial["period_code"] == "2026-08"
