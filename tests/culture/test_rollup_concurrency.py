"""Two imports changing rows of one team, KPI and month at the same time, on PostgreSQL: the second waits for
the first's month lock instead of failing on the rollup's unique key, and the rollups equal the daily rows."""

from __future__ import annotations

import datetime as dt
import io
import threading
import time
from decimal import Decimal

import pytest
from django.db import connection, transaction

from culture.measurements import import_measurements
from culture.measurements.rollups import differences
from culture.models import MonthlyRollup

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HEADER = "team,kpi,date,channel,value,numerator,denominator,sample_size\n"


def _import(*lines: str):
    stream = io.BytesIO((HEADER + "".join(line + "\n" for line in lines)).encode())
    return import_measurements(stream=stream, filename="m.csv", user=None, source="command")


def _someone_waits_for_a_lock(timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE NOT l.granted AND a.datname = current_database())"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.02)
    return False


def _import_in_a_thread(*rows: str) -> tuple[threading.Thread, dict[str, object]]:
    """A thread (not started) importing `rows` on its own connection; its result or error lands in the dict."""
    outcome: dict[str, object] = {}

    def run():
        try:
            outcome["result"] = _import(*rows)
        except Exception as error:  # reported by the test
            outcome["error"] = error
        finally:
            connection.close()

    return threading.Thread(target=run), outcome


def test_overlapping_imports_wait_for_each_other_and_leave_the_rollups_equal(team_a):
    stored = _import("team-a,fcr,2026-04-01,phone,,40,50,", "team-a,fcr,2026-04-02,phone,,10,20,")
    assert stored.is_valid, stored.errors
    second, outcome = _import_in_a_thread("team-a,fcr,2026-04-02,phone,,15,20,")  # changes the other April row
    with transaction.atomic():
        # The first import changes one April row (its key is recomputed) and creates an email row (its sums
        # are added), and keeps its transaction open until the second one waits.
        first = _import("team-a,fcr,2026-04-01,phone,,30,50,", "team-a,fcr,2026-04-03,email,,5,10,")
        assert (first.counts.created, first.counts.updated) == (1, 1)
        second.start()
        assert _someone_waits_for_a_lock()
    second.join(timeout=60)
    assert "error" not in outcome, outcome.get("error")
    assert (outcome["result"].counts.created, outcome["result"].counts.updated) == (0, 1)
    april = {
        channel: (rows, numerator, denominator)
        for channel, rows, numerator, denominator in MonthlyRollup.objects.filter(
            team=team_a, kpi__code="fcr", month=dt.date(2026, 4, 1)
        ).values_list("channel", "rows", "numerator", "denominator")
    }
    # phone: 30/50 and 15/20; email: 5/10
    assert april == {"phone": (2, Decimal(45), Decimal(70)), "email": (1, Decimal(5), Decimal(10))}
    assert differences() == []


def test_a_key_stored_meanwhile_turns_the_plain_insert_into_a_merge(team_a):
    """The table is empty when the import begins, so it inserts plainly; another import's uncommitted row on
    one of its keys makes that INSERT wait and, once committed, fail on the unique key: the chunk is merged."""
    late, outcome = _import_in_a_thread("team-a,fcr,2026-04-01,phone,,30,50,", "team-a,fcr,2026-04-02,phone,,10,20,")
    with transaction.atomic():
        early = _import("team-a,fcr,2026-04-01,phone,,40,50,")
        assert early.counts.created == 1
        late.start()
        assert _someone_waits_for_a_lock()
    late.join(timeout=60)
    assert "error" not in outcome, outcome.get("error")
    assert (outcome["result"].counts.created, outcome["result"].counts.updated) == (1, 1)
    rollups = MonthlyRollup.objects.filter(team=team_a, kpi__code="fcr")
    assert list(rollups.values_list("month", "rows", "numerator", "denominator")) == [
        (dt.date(2026, 4, 1), 2, Decimal(40), Decimal(70))  # 30 + 10 of 50 + 20
    ]
    assert differences() == []
