"""Periods, targets and review pages: who may do what, forms delegating to services, clear refusals."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import AuditEntry
from culture.models import Period, Review, Target
from tests.factories import TeamFactory

from .scorecard_helpers import kpi, measure, period, target

pytestmark = pytest.mark.django_db


def test_period_list_shows_close_button_to_the_cco_only(client, cco, lead_a):
    period("2026-09")
    client.force_login(cco)
    link = 'Close<span class="visually-hidden"> 2026-09</span>…'  # each link names its period to a screen reader
    assert link in client.get(reverse("culture:period_list")).content.decode()
    client.force_login(lead_a)
    response = client.get(reverse("culture:period_list"))
    assert response.status_code == 200 and "Close<" not in response.content.decode()


def test_closing_goes_through_a_confirmation_page(client, cco, team_a):
    period("2026-09")
    client.force_login(cco)
    url = reverse("culture:period_close", args=["2026-09"])
    page = client.get(url)
    assert page.status_code == 200 and "Reopening needs a reason and a second executive" in page.content.decode()
    assert not Period.objects.get(code="2026-09").is_closed

    response = client.post(url, {"reason": "month end"}, follow=True)

    closed = Period.objects.get(code="2026-09")
    assert closed.is_closed and closed.closed_by == cco
    assert "is closed; its scorecards are frozen" in response.content.decode()
    again = client.post(url, follow=True)
    assert "already closed" in again.content.decode()


def test_only_the_cco_may_close(client, lead_a):
    period("2026-09")
    client.force_login(lead_a)
    assert client.post(reverse("culture:period_close", args=["2026-09"])).status_code == 403
    assert not Period.objects.get(code="2026-09").is_closed


def _target_form(**overrides):
    data = {
        "kpi": kpi("aht").pk,
        "period": "2026-09",
        "scope": "company",
        "target_value": "300",
        "on_track_from": "330",
        "off_track_from": "360",
        "weight": "1",
        "min_sample": "0",
    }
    return {**data, **overrides}


def test_cco_creates_a_target_through_the_form(client, cco, team_a):
    client.force_login(cco)
    response = client.post(reverse("culture:target_create"), _target_form(scope="team", team=team_a.pk))
    assert response.status_code == 302
    saved = Target.objects.get()
    assert (saved.team, saved.department, saved.target_value) == (team_a, None, Decimal(300))
    assert AuditEntry.objects.filter(action="target.create").count() == 1


def test_target_form_rejects_thresholds_in_the_wrong_order(client, cco):
    client.force_login(cco)
    response = client.post(reverse("culture:target_create"), _target_form(on_track_from="290"))
    assert response.status_code == 200
    assert "lower-is-better" in response.content.decode()
    assert not Target.objects.exists()


def test_target_form_refuses_a_closed_period(client, cco):
    period("2026-09", closed=True)
    client.force_login(cco)
    response = client.post(reverse("culture:target_create"), _target_form())
    assert response.status_code == 200
    assert "was closed" in response.content.decode()


def test_leads_may_read_but_not_edit_targets(client, lead_a):
    existing = target("fcr", period("2026-09"), 70, 65, 60)
    client.force_login(lead_a)
    assert client.get(reverse("culture:target_list")).status_code == 200
    assert client.get(reverse("culture:target_update", args=[existing.pk])).status_code == 403
    assert client.post(reverse("culture:target_create"), _target_form()).status_code == 403


def test_edit_and_delete_a_target(client, cco):
    existing = target("fcr", period("2026-09"), 70, 65, 60)
    client.force_login(cco)
    form = client.get(reverse("culture:target_update", args=[existing.pk])).context["form"]
    assert form.initial["target_value"] == Decimal(70)
    client.post(
        reverse("culture:target_update", args=[existing.pk]),
        _target_form(kpi=kpi("fcr").pk, target_value="72", on_track_from="65", off_track_from="60"),
    )
    assert Target.objects.get().target_value == Decimal(72)
    client.post(reverse("culture:target_delete", args=[existing.pk]))
    assert not Target.objects.exists()
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "target.update",
        "target.delete",
    ]


def test_bulk_editor_saves_one_row_per_kpi_for_a_team(client, cco, team_a):
    client.force_login(cco)
    url = reverse("culture:target_bulk", args=[team_a.department.slug])
    page = client.get(url, {"period": "2026-09", "scope": f"team-{team_a.pk}"})
    formset = page.context["formset"]
    data = {"period": "2026-09", "scope": f"team-{team_a.pk}"}
    data.update({f"form-{k}": v for k, v in formset.management_form.initial.items()})
    for index, form in enumerate(formset.forms):
        data[f"form-{index}-kpi"] = form.initial["kpi"]
    fcr_row = next(i for i, f in enumerate(formset.forms) if f.initial["kpi"] == kpi("fcr").pk)
    data.update({f"form-{fcr_row}-target_value": "75", f"form-{fcr_row}-on_track_from": "70"})
    data.update({f"form-{fcr_row}-off_track_from": "65", f"form-{fcr_row}-weight": "2"})

    response = client.post(url, data, follow=True)

    assert "1 created" in response.content.decode()
    saved = Target.objects.get()
    assert (saved.team, saved.kpi.code, saved.weight) == (team_a, "fcr", Decimal(2))


def test_bulk_editor_reports_a_half_filled_row(client, cco, team_a):
    client.force_login(cco)
    url = reverse("culture:target_bulk", args=[team_a.department.slug])
    data = {"period": "2026-09", "scope": "department", "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1"}
    data.update({"form-0-kpi": kpi("fcr").pk, "form-0-target_value": "75"})
    response = client.post(url, data)
    assert response.status_code == 200
    row = response.context["formset"].forms[0]
    assert (
        row.errors["on_track_from"]
        == row.errors["off_track_from"]
        == ["Needed with the other two (or leave all three empty)."]
    )
    assert "Needed with the other two" in response.content.decode()
    assert not Target.objects.exists()


@pytest.fixture
def red_fcr(team_a):
    p = period("2026-09")
    target("fcr", p, 70, 65, 60)
    measure(team_a, "fcr", "2026-09-01", numerator=50, denominator=100)
    return p


def test_lead_submits_a_review_with_an_action_for_the_red_kpi(client, red_fcr, lead_a, team_a):
    client.force_login(lead_a)
    url = reverse("culture:review_edit", args=[team_a.slug]) + "?period=2026-09"
    page = client.get(url)
    assert [f.line.kpi_code for f in page.context["action_forms"]] == ["fcr"]
    missing = client.post(url, {"comment": "Busy month"})
    assert missing.status_code == 200 and not Review.objects.exists()

    response = client.post(
        url,
        {
            "comment": "Busy month",
            "kpi-fcr-kpi_code": "fcr",
            "kpi-fcr-comment": "New joiners",
            "kpi-fcr-action": "Pair them with seniors",
            "kpi-fcr-owner": lead_a.person.pk,
            "kpi-fcr-due_date": "2026-10-15",
        },
    )

    assert response.status_code == 302
    review = Review.objects.get()
    assert review.actions.get().action == "Pair them with seniors"


def test_review_error_sits_under_its_field_and_is_announced_with_it(client, red_fcr, lead_a, team_a):
    client.force_login(lead_a)
    url = reverse("culture:review_edit", args=[team_a.slug]) + "?period=2026-09"
    response = client.post(url, {"comment": "Busy month", "kpi-fcr-kpi_code": "fcr", "kpi-fcr-comment": "New joiners"})
    html = " ".join(response.content.decode().split())
    assert 'aria-describedby="id_kpi-fcr-action_error"' in html
    # the message follows the Action box it belongs to (as_p put it above the label, under "Why is it red?")
    error = '<div id="id_kpi-fcr-action_error"><div class="invalid-feedback d-block">This field is required.'
    assert f"</textarea> {error}" in html
    assert "> New joiners</textarea>" in html  # kept
    assert not Review.objects.exists()


def test_another_lead_and_the_cco_cannot_write_a_teams_review(client, red_fcr, lead_b, cco, team_a):
    url = reverse("culture:review_edit", args=[team_a.slug]) + "?period=2026-09"
    client.force_login(lead_b)
    assert client.get(url).status_code == 404
    client.force_login(cco)
    assert client.get(url).status_code in (403, 404)


def test_review_status_lists_teams_without_review_and_red_kpis_without_action(client, red_fcr, cco, team_a):
    TeamFactory(name="Quiet team", department=team_a.department)
    client.force_login(cco)
    response = client.get(reverse("culture:review_status"), {"period": "2026-09"})
    rows = {row["team"].name: row for row in response.context["table"].data}
    assert rows["Team A"]["red_without_action"] == ["fcr"] and not rows["Team A"]["reviewed"]
    assert rows["Quiet team"]["red"] == 0
    filtered = client.get(reverse("culture:review_status"), {"period": "2026-09", "reviewed": "yes"})
    assert list(filtered.context["table"].data) == []


def test_editing_a_review_prefills_the_due_date_for_the_date_picker(client, red_fcr, lead_a, team_a):
    import datetime as dt

    from culture.scorecards import ActionInput, submit_review

    submit_review(
        actor=lead_a,
        team=team_a,
        period="2026-09",
        comment="ok",
        actions=[ActionInput("fcr", "why", "what", lead_a.person.pk, dt.date(2026, 10, 15))],
    )
    client.force_login(lead_a)
    html = client.get(reverse("culture:review_edit", args=[team_a.slug]) + "?period=2026-09").content.decode()
    assert 'value="2026-10-15"' in html


def test_bulk_editor_shows_what_applies_without_a_value_at_this_scope(client, cco, team_a):
    p = period("2026-09")
    target("fcr", p, 70, 65, 60)
    target("fcr", p, 72, 66, 61, department=team_a.department)
    client.force_login(cco)
    url = reverse("culture:target_bulk", args=[team_a.department.slug])
    team_rows = client.get(url, {"period": "2026-09", "scope": f"team-{team_a.pk}"}).context["rows"]
    department_rows = client.get(url, {"period": "2026-09", "scope": "department"}).context["rows"]
    assert next(i for f, k, i in team_rows if k.code == "fcr").target_value == 72  # the department's
    assert next(i for f, k, i in department_rows if k.code == "fcr").target_value == 70  # the company's


def test_closed_period_shows_the_snapshot_and_refuses_review_edits(client, red_fcr, lead_a, team_a, cco):
    from culture.scorecards import close_period

    close_period(code="2026-09", actor=cco)
    client.force_login(lead_a)
    page = client.get(reverse("culture:team_scorecard", args=[team_a.slug]) + "?period=2026-09")
    html = page.content.decode()
    assert page.context["card"].is_snapshot
    assert "Frozen snapshot of the closed period" in html and "Write the review" not in html
    url = reverse("culture:review_edit", args=[team_a.slug]) + "?period=2026-09"
    assert "is closed; its review can no longer change" in client.get(url).content.decode()
    response = client.post(url, {"comment": "late"})
    assert response.status_code == 200 and "was closed" in response.content.decode()
    assert not Review.objects.exists()
