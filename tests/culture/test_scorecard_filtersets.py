"""Filtersets of the scorecard pages: targets by scope and department subtree, periods, teams, exports."""

import pytest
from django.urls import reverse

from culture.models import Period, Target, Team
from culture.scorecards.filtersets import PeriodFilterSet, ScorecardFilterSet, TargetFilterSet
from tests.factories import DepartmentFactory, TeamFactory

from .scorecard_helpers import measure, period, target

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    root = DepartmentFactory(name="Care")
    child = DepartmentFactory(name="Contact", parent=root)
    other = DepartmentFactory(name="Sales")
    return {"root": root, "child": child, "other": other, "team": TeamFactory(department=child)}


@pytest.fixture
def as_cco(rf, cco):
    """The request a list page hands its filterset: department choices are the ones the user may see (all)."""
    request = rf.get("/")
    request.user = cco
    return request


def test_target_filter_by_scope_and_department_subtree(tree, as_cco):
    p = period("2026-09")
    company = target("fcr", p, 70, 65, 60)
    on_child = target("fcr", p, 72, 65, 60, department=tree["child"])
    on_team = target("aht", p, 300, 330, 360, team=tree["team"])
    target("nps", p, 30, 20, 10, department=tree["other"])

    def ids(**data):
        return set(TargetFilterSet(data, queryset=Target.objects.all(), request=as_cco).qs.values_list("pk", flat=True))

    assert ids(scope="company") == {company.pk}
    assert ids(scope="team") == {on_team.pk}
    assert ids(department=tree["root"].pk) == {on_child.pk, on_team.pk}
    assert ids(period="2026-09", kpi=on_team.kpi.pk) == {on_team.pk}


def test_period_filter_by_kind_and_status():
    period("2026-09", closed=True)
    period("2026-Q3")
    codes = PeriodFilterSet({"status": "closed"}, queryset=Period.objects.all()).qs.values_list("code", flat=True)
    assert list(codes) == ["2026-09"]
    kinds = PeriodFilterSet({"kind": "quarter"}, queryset=Period.objects.all()).qs.values_list("code", flat=True)
    assert list(kinds) == ["2026-Q3"]


def test_scorecard_filter_by_name_and_department(tree, as_cco):
    TeamFactory(name="Elsewhere", department=tree["other"])
    by_department = ScorecardFilterSet({"department": tree["root"].pk}, queryset=Team.objects.all(), request=as_cco).qs
    assert list(by_department) == [tree["team"]]
    assert list(ScorecardFilterSet({"q": "elsew"}, queryset=Team.objects.all()).qs.values_list("name", flat=True)) == [
        "Elsewhere"
    ]


def test_scorecard_table_exports_xlsx(client, cco, tree):
    measure(tree["team"], "fcr", "2026-09-01", numerator=1, denominator=2)
    client.force_login(cco)
    response = client.get(reverse("culture:scorecard_list"), {"period": "2026-09", "_export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="scorecards-2026-09.xlsx"' in response["Content-Disposition"]
