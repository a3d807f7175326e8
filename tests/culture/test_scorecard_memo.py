"""Scorecards remembered until the culture data changes (culture.scorecards.memo), on PostgreSQL: every culture
table counts its commits, a remembered build equals a fresh one after every kind of write, and a transaction
that has written neither reads nor stores."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from culture.models import DataChange, Measurement
from culture.scorecards.building import build_scorecards
from culture.scorecards.dashboard import off_track_lines
from culture.scorecards.memo import (
    TRIGGER_SUFFIX,
    culture_tables,
    fold_changes,
    generation,
    install_change_triggers,
    remembered,
)
from culture.scorecards.scopes import load_org
from culture.scorecards.tasks import warm_scorecards
from tests.culture.scorecard_helpers import measure, period, target
from tests.factories import TeamFactory, UserFactory

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def _fcr(team) -> Decimal | None:
    return build_scorecards(period_code="2026-09")[team.pk].actual("fcr")


def test_every_culture_table_has_the_counting_trigger():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname LIKE %s",
            [f"%{TRIGGER_SUFFIX}"],
        )
        counted = {name for (name,) in cursor.fetchall()}
    tables = culture_tables()
    assert "culture_measurement" in tables and "culture_monthlyrollup" in tables and "culture_target" in tables
    assert set(tables) <= counted
    assert "culture_datachange" not in counted
    assert install_change_triggers() == []  # nothing missing: installing again changes nothing


def test_a_commit_to_culture_data_moves_the_generation_and_nothing_else_does(team_a):
    start = generation()
    with transaction.atomic():  # a measurement, its rollup and its period: several tables, one transaction
        measure(team_a, "fcr", "2026-09-01", numerator=40, denominator=50)
    after_orm = generation()
    assert after_orm[0] == start[0] + 1
    with connection.cursor() as cursor:
        cursor.execute("UPDATE culture_measurement SET numerator = 41")
    after_sql = generation()
    assert after_sql[0] == after_orm[0] + 1 and after_sql[1] > after_orm[1]
    UserFactory(email="someone@example.com")  # not culture data
    assert generation() == after_sql
    with pytest.raises(RuntimeError), transaction.atomic():
        Measurement.objects.update(numerator=99)
        raise RuntimeError("rolled back")
    assert generation() == after_sql


def test_a_remembered_build_is_served_until_the_data_changes_and_then_rebuilt(team_a):
    target("fcr", period("2026-09"), 80, 75, 70, team=team_a)
    measure(team_a, "fcr", "2026-09-01", numerator=40, denominator=50)
    assert _fcr(team_a) == Decimal("80.0")  # 40 / 50
    with CaptureQueriesContext(connection) as remembered_read:
        assert _fcr(team_a) == Decimal("80.0")
    building = [
        q["sql"]
        for q in remembered_read.captured_queries
        if "culture_measurement" in q["sql"] or "culture_monthlyrollup" in q["sql"]
    ]
    assert building == []  # served from the cache: no sums read
    measure(team_a, "fcr", "2026-09-02", numerator=10, denominator=50)
    assert _fcr(team_a) == Decimal("50.0")  # (40 + 10) / (50 + 50)
    with connection.cursor() as cursor:  # a write outside the ORM is seen too
        cursor.execute("UPDATE culture_monthlyrollup SET numerator = 75")
    assert _fcr(team_a) == Decimal("75.0")  # 75 / 100, what the (now edited) rollup says


def test_a_transaction_that_has_written_neither_reads_nor_stores(team_a):
    measure(team_a, "fcr", "2026-09-01", numerator=40, denominator=50)
    assert _fcr(team_a) == Decimal("80.0")
    with pytest.raises(RuntimeError), transaction.atomic():
        measure(team_a, "fcr", "2026-09-02", numerator=0, denominator=50)
        assert generation() is None
        assert _fcr(team_a) == Decimal("40.0")  # its own uncommitted row counts: 40 / 100
        raise RuntimeError("rolled back")
    assert _fcr(team_a) == Decimal("80.0")  # what it saw was not stored for others


def test_a_build_whose_data_moved_meanwhile_is_not_stored(team_a):
    calls = []

    def compute():
        calls.append(1)
        measure(team_a, "fcr", f"2026-09-0{len(calls)}", numerator=1, denominator=2)  # commits a change
        return len(calls)

    assert remembered(("moving",), compute) == 1
    assert remembered(("moving",), compute) == 2  # nothing was stored under the generation it started at


def test_folding_keeps_the_generation(team_a):
    measure(team_a, "fcr", "2026-09-01", numerator=40, denominator=50)
    measure(team_a, "fcr", "2026-09-02", numerator=10, denominator=50)
    before = generation()
    assert DataChange.objects.count() >= 2
    with transaction.atomic():
        folded = fold_changes()
    assert folded >= 2
    assert DataChange.objects.count() == 1
    assert generation() == before


def test_the_dashboards_off_track_list_is_the_same_remembered_or_not(team_a, settings):
    team_b = TeamFactory(name="Team B", slug="team-b", department=team_a.department)
    sept = period("2026-09")
    target("fcr", sept, 80, 75, 70)
    measure(team_a, "fcr", "2026-09-01", numerator=30, denominator=50)  # 60 %: off track
    measure(team_b, "fcr", "2026-09-01", numerator=45, denominator=50)  # 90 %: on track
    org = load_org()
    settings.CENTRIC_SCORECARD_CACHE_SECONDS = 0
    computed = off_track_lines("2026-09", org)
    settings.CENTRIC_SCORECARD_CACHE_SECONDS = 3600
    first, again = off_track_lines("2026-09", org), off_track_lines("2026-09", org)
    assert computed == first == again == (2, 1, [(team_a.pk, "fcr")])


def test_warming_builds_what_the_dashboard_then_reads_without_building(client, cco, team_a):
    team_b = TeamFactory(name="Team B", slug="team-b", department=team_a.department)
    target("fcr", period("2026-09"), 80, 75, 70)
    measure(team_a, "fcr", "2026-09-01", numerator=30, denominator=50)
    measure(team_b, "fcr", "2026-08-01", numerator=45, denominator=50)
    assert warm_scorecards("2026-09") == "2026-09"
    client.force_login(cco)
    with CaptureQueriesContext(connection) as reading:
        warm = client.get(reverse("culture:scorecard_home"), {"period": "2026-09"})
    assert warm.status_code == 200
    assert not [q for q in reading.captured_queries if "culture_monthlyrollup" in q["sql"]]
    assert "Team A" in warm.content.decode()  # its FCR, 30 / 50 = 60 %, is off track against 70


def test_an_import_asks_a_worker_to_warm_the_dashboard_when_warming_is_on(settings, monkeypatch, team_a, tmp_path):
    asked = []
    monkeypatch.setattr("culture.scorecards.tasks.warm_scorecards.delay", lambda *args: asked.append(args))
    upload = tmp_path / "m.csv"
    upload.write_text(
        "team,kpi,date,channel,value,numerator,denominator,sample_size\nteam-a,fcr,2026-09-01,phone,,4,5,\n"
    )
    settings.CENTRIC_WARM_SCORECARDS = False
    call_command("import_measurements", str(upload), stdout=io.StringIO())
    assert asked == []
    settings.CENTRIC_WARM_SCORECARDS = True
    call_command("import_measurements", str(upload), stdout=io.StringIO())
    call_command("import_measurements", str(upload), "--dry-run", stdout=io.StringIO())
    assert asked == [()]  # the real import only


def test_the_off_track_list_is_one_entry_for_every_language(team_a):
    target("fcr", period("2026-09"), 80, 75, 70)
    measure(team_a, "fcr", "2026-09-01", numerator=30, denominator=50)  # 60 %: off track
    org = load_org()
    with translation.override("en-gb"):
        english = off_track_lines("2026-09", org)
    with translation.override("sv"), CaptureQueriesContext(connection) as swedish_reading:
        swedish = off_track_lines("2026-09", org)
    assert swedish == english == (1, 1, [(team_a.pk, "fcr")])
    assert not [q for q in swedish_reading.captured_queries if "culture_monthlyrollup" in q["sql"]]
