"""Teams and People lists: sorting, filtering, export, and query counts independent of row count."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from culture.models import Kpi, Measurement
from tests.factories import DepartmentFactory, MembershipFactory, PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db


def _teams_with_members(count, members=3, department=None):
    department = department or DepartmentFactory()
    teams = TeamFactory.create_batch(count, department=department)
    for team in teams:
        MembershipFactory(team=team, role="lead")
        MembershipFactory.create_batch(members - 1, team=team)
    return teams


def _queries_for(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_team_list_query_count_does_not_grow_with_rows(client, cco):
    client.force_login(cco)
    url = reverse("culture:team_list")
    _teams_with_members(3)
    few = _queries_for(client, url)
    _teams_with_members(40)
    many = _queries_for(client, url)
    assert few == many
    assert many <= 12


def test_people_list_query_count_does_not_grow_with_rows(client, cco):
    client.force_login(cco)
    url = reverse("culture:person_list")
    _teams_with_members(2)
    few = _queries_for(client, url)
    _teams_with_members(20, members=5)
    many = _queries_for(client, url)
    assert few == many
    assert many <= 12


def test_team_list_sorts_by_member_count(client, cco):
    department = DepartmentFactory()
    small = TeamFactory(name="Small", department=department)
    big = TeamFactory(name="Big", department=department)
    MembershipFactory.create_batch(1, team=small)
    MembershipFactory.create_batch(4, team=big)
    client.force_login(cco)
    response = client.get(reverse("culture:team_list"), {"sort": "-member_count"})
    names = [row.record.name for row in response.context["table"].page.object_list]
    assert names == ["Big", "Small"]


def test_team_list_filters_by_parent_department_including_children(client, cco):
    parent = DepartmentFactory(name="Care")
    child = DepartmentFactory(name="Chat", parent=parent)
    TeamFactory(name="Chat Lisbon", department=child)
    TeamFactory(name="Elsewhere")
    client.force_login(cco)
    response = client.get(reverse("culture:team_list"), {"department": parent.pk})
    names = [row.record.name for row in response.context["table"].page.object_list]
    assert names == ["Chat Lisbon"]


def test_team_list_search_filter(client, cco):
    TeamFactory(name="Digital Care Oslo")
    TeamFactory(name="Field Service Porto")
    client.force_login(cco)
    response = client.get(reverse("culture:team_list"), {"q": "oslo"})
    names = [row.record.name for row in response.context["table"].page.object_list]
    assert names == ["Digital Care Oslo"]


def test_team_list_pages_at_fifty_rows(client, cco):
    _teams_with_members(60, members=1)
    client.force_login(cco)
    response = client.get(reverse("culture:team_list"))
    assert len(response.context["table"].page.object_list) == 50
    assert response.context["table"].paginator.num_pages == 2


def test_team_list_exports_all_filtered_rows_as_csv(client, cco):
    _teams_with_members(60, members=2)
    client.force_login(cco)
    response = client.get(reverse("culture:team_list"), {"_export": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="teams.csv"'
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert rows[0][:3] == ["Name", "Slug", "Department"]
    assert len(rows) == 61
    assert {row[4] for row in rows[1:]} == {"2"}


def test_team_list_exports_xlsx(client, cco):
    _teams_with_members(2)
    client.force_login(cco)
    response = client.get(reverse("culture:team_list"), {"_export": "xlsx"})
    assert response.status_code == 200
    assert response.getvalue()[:2] == b"PK"


def test_people_export_neutralises_formula_names(client, cco):
    MembershipFactory(person=PersonFactory(name='=HYPERLINK("http://x")'))
    client.force_login(cco)
    response = client.get(reverse("culture:person_list"), {"_export": "csv"})
    rows = list(csv.reader(io.StringIO(response.getvalue().decode())))
    assert rows[1][0] == '\'=HYPERLINK("http://x")'


def test_list_pages_count_their_rows_once(client, cco):
    _teams_with_members(3)
    client.force_login(cco)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("culture:team_list"), {"per_page": 20})
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(*)" in q["sql"] and "culture_team" in q["sql"]]
    assert len(counts) == 1
    assert response.context["table"].paginator.per_page == 20


def test_list_pages_say_how_many_rows_match(client, cco):
    _teams_with_members(3)
    client.force_login(cco)
    assert "3 in total" in client.get(reverse("culture:team_list")).content.decode()
    kpis = Kpi.objects.count()
    assert f"{kpis} in total" in client.get(reverse("culture:kpi_list")).content.decode()


def test_measurement_list_pages_without_counting_the_table(client, cco):
    team, fcr = TeamFactory(), Kpi.objects.get(code="fcr")
    Measurement.objects.bulk_create(
        Measurement(team=team, kpi=fcr, date=dt.date(2026, 1, 1) + dt.timedelta(days=n), numerator=1, denominator=2)
        for n in range(60)
    )
    client.force_login(cco)
    with CaptureQueriesContext(connection) as ctx:
        first = client.get(reverse("culture:measurement_list"))
    assert not [q for q in ctx.captured_queries if "COUNT(" in q["sql"] and "culture_measurement" in q["sql"]]
    html = first.content.decode()
    assert "in total" not in html and "?page=2" in html
    assert [row.record.date for row in first.context["table"].page.object_list][:2] == [
        dt.date(2026, 3, 1),
        dt.date(2026, 2, 28),
    ]
    last = client.get(reverse("culture:measurement_list"), {"page": 2})
    assert len(last.context["table"].page.object_list) == 10
    assert "?page=3" not in last.content.decode()
