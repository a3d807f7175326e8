"""Monthly rollups: equal to the daily rows after every write path, rebuilt by a command, checked nightly,
and read by the scorecards with figures identical to the daily rows'."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.models import Notification
from culture.measurements import import_measurements, import_responses, upsert_measurements
from culture.measurements.rollups import differences, rebuild, refresh_keys
from culture.models import Kpi, Measurement, MonthlyRollup
from culture.scorecards.periods import PeriodSpan, parse_period
from culture.scorecards.scopes import COMPANY, DEPARTMENT, TEAM
from culture.scorecards.sums import grouped_sums, whole_months
from culture.tasks import check_rollups
from tests.factories import DepartmentFactory, TeamFactory, UserFactory
from users.roles import Role

pytestmark = pytest.mark.django_db

HEADER = "team,kpi,date,channel,value,numerator,denominator,sample_size\n"


def _csv(*lines, header=HEADER):
    return io.BytesIO((header + "".join(line + "\n" for line in lines)).encode())


def _rollups() -> dict[tuple, tuple]:
    return {
        (r.team_id, r.kpi_id, r.channel, r.month): (r.rows, r.value, r.mean_first, r.mean_n, r.numerator)
        for r in MonthlyRollup.objects.all()
    }


def test_an_import_writes_the_months_rollups_by_hand(team_a, team_b):
    result = import_measurements(
        stream=_csv(
            "team-a,fcr,2026-04-01,phone,,40,50,",
            "team-a,fcr,2026-04-02,phone,,10,20,",
            "team-a,fcr,2026-05-01,phone,,1,2,",
            "team-b,aht,2026-04-01,,300.5,,,12",
            "team-b,aht,2026-04-03,,200,,,",
        ),
        filename="m.csv",
        user=None,
        source="command",
    )
    assert result.is_valid, result.errors
    fcr, aht = Kpi.objects.get(code="fcr").pk, Kpi.objects.get(code="aht").pk
    april, may = dt.date(2026, 4, 1), dt.date(2026, 5, 1)
    april_fcr = MonthlyRollup.objects.get(team=team_a, kpi_id=fcr, channel="phone", month=april)
    assert (april_fcr.rows, april_fcr.numerator, april_fcr.denominator) == (2, Decimal(50), Decimal(70))
    assert (april_fcr.first_day, april_fcr.last_day) == (april, dt.date(2026, 4, 2))
    assert MonthlyRollup.objects.get(team=team_a, kpi_id=fcr, month=may).numerator == Decimal(1)
    april_aht = MonthlyRollup.objects.get(team=team_b, kpi_id=aht, month=april)
    # value x n: 300.5 x 12 + 200 x 1 = 3806; n = 12 + 1
    assert (april_aht.value, april_aht.mean_first, april_aht.mean_n) == (Decimal("500.5"), Decimal(3806), 13)
    assert (april_aht.sample_size, april_aht.sampled_rows) == (12, 1)
    assert differences() == []


def test_a_changed_import_and_an_api_write_recompute_their_keys(team_a):
    lines = [f"team-a,fcr,2026-04-{day:02d},,,1,2," for day in range(1, 11)]
    import_measurements(stream=_csv(*lines), filename="m.csv", user=None, source="web")
    changed = [line.replace(",1,2,", ",3,4,") for line in lines[:4]]
    import_measurements(stream=_csv(*changed), filename="m.csv", user=None, source="web")
    stored = MonthlyRollup.objects.get()
    assert (stored.numerator, stored.denominator) == (Decimal(4 * 3 + 6 * 1), Decimal(4 * 4 + 6 * 2))
    upsert_measurements(
        rows=[{"team": "team-a", "kpi": "fcr", "date": "2026-04-01", "numerator": 0, "denominator": 5}], user=None
    )
    stored = MonthlyRollup.objects.get()  # recomputed: a new row
    assert (stored.numerator, stored.denominator) == (Decimal(3 * 3 + 6), Decimal(5 + 3 * 4 + 6 * 2))
    assert differences() == []


def test_a_dry_run_writes_no_rollup(team_a):
    import_measurements(
        stream=_csv("team-a,fcr,2026-04-01,,,1,2,"), filename="m.csv", user=None, source="web", dry_run=True
    )
    assert not MonthlyRollup.objects.exists()


def test_survey_reaggregation_keeps_the_rollup_equal(team_a):
    header = "team,survey,date,channel,score,respondent\n"
    first = _csv("team-a,ces,2026-04-01,,6,r1", "team-a,ces,2026-04-01,,3,r2", header=header)
    assert import_responses(stream=first, filename="r.csv", user=None, source="web").is_valid
    more = _csv("team-a,ces,2026-04-01,,7,r3", "team-a,nps,2026-04-20,,9,r1", header=header)
    assert import_responses(stream=more, filename="r.csv", user=None, source="web").is_valid
    ces = MonthlyRollup.objects.get(kpi__code="ces")
    # the day re-aggregated from three responses: score sum 16 over n = 3
    assert (ces.rows, ces.mean_first, ces.mean_n, ces.sum_squares) == (1, Decimal(16), 3, Decimal(36 + 9 + 49))
    assert differences() == []


def test_orm_edits_and_deletes_are_repaired_by_refresh_and_found_by_the_check(team_a, team_b):
    aht = Kpi.objects.get(code="aht")
    row = Measurement.objects.create(team=team_a, kpi=aht, date=dt.date(2026, 3, 5), value=Decimal(10))
    assert differences() == [(team_a.pk, aht.pk, "all", dt.date(2026, 3, 1))]  # missing
    refresh_keys([(row.team_id, row.kpi_id, row.date)])
    assert differences() == []
    Measurement.objects.filter(pk=row.pk).update(value=Decimal(11))
    assert differences() == [(team_a.pk, aht.pk, "all", dt.date(2026, 3, 1))]  # differs
    refresh_keys([(row.team_id, row.kpi_id, row.date)])
    Measurement.objects.filter(pk=row.pk).delete()
    assert differences() == [(team_a.pk, aht.pk, "all", dt.date(2026, 3, 1))]  # extra
    refresh_keys([(row.team_id, row.kpi_id, row.date)])
    assert not MonthlyRollup.objects.exists()
    assert differences() == []


def test_the_command_rebuilds_all_or_a_range_and_checks(team_a):
    aht = Kpi.objects.get(code="aht")
    for month in (1, 2, 3):
        Measurement.objects.create(team=team_a, kpi=aht, date=dt.date(2026, month, 9), value=Decimal(month))
    out = io.StringIO()
    with pytest.raises(CommandError, match="3 rollup"):
        call_command("rebuild_rollups", "--check", stdout=out)
    call_command("rebuild_rollups", "--from", "2026-02", "--to", "2026-02", stdout=out)
    assert list(MonthlyRollup.objects.values_list("month", "value")) == [(dt.date(2026, 2, 1), Decimal(2))]
    call_command("rebuild_rollups", stdout=out)
    assert "Rebuilt 3 monthly rollup(s)." in out.getvalue()
    call_command("rebuild_rollups", "--check", stdout=out)
    assert "match" in out.getvalue()
    with pytest.raises(CommandError, match="not a month"):
        call_command("rebuild_rollups", "--from", "2026-13")
    with pytest.raises(CommandError, match="after"):
        call_command("rebuild_rollups", "--from", "2026-03", "--to", "2026-01")


def test_the_nightly_check_notifies_the_admins_once_a_day(team_a, django_capture_on_commit_callbacks):
    admin = UserFactory(email="admin@example.com", roles=[Role.ADMIN])
    UserFactory(email="cco@example.com", roles=[Role.CCO])
    assert check_rollups(today="2026-12-07") == 0
    assert not Notification.objects.exists()
    Measurement.objects.create(team=team_a, kpi=Kpi.objects.get(code="aht"), date=dt.date(2026, 3, 5), value=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert check_rollups(today="2026-12-07") == 1
        assert check_rollups(today="2026-12-07") == 1
    note = Notification.objects.get()
    assert (note.recipient, note.key) == (admin, f"culture.rollups.differ.2026-12-07.{admin.pk}")
    assert "rebuild_rollups" in note.body and "2026-03" in note.body
    assert [m.to for m in mail.outbox] == [["admin@example.com"]]
    rebuild()
    assert check_rollups(today="2026-12-08") == 0


def test_whole_months_tell_periods_apart():
    assert whole_months([parse_period("2026-02"), parse_period("2026-Q3"), parse_period("2026")])
    month = parse_period("2026-02")
    to_date = PeriodSpan("2026-02", month.kind, month.start, dt.date(2026, 2, 20))
    assert not whole_months([month, to_date])
    assert not whole_months([PeriodSpan("x", month.kind, dt.date(2026, 2, 2), month.end)])


# --- both read paths give identical figures -------------------------------------------------------------

CODES = ("fcr", "aht", "ces", "nps", "churn_rate", "retention_rate", "csat", "customers_gained")
DAYS = [dt.date(2026, 1, 1) + dt.timedelta(days=d) for d in range(0, 120, 3)] + [dt.date(2026, 3, 31)]
row_strategy = st.tuples(
    st.integers(0, 2),  # team
    st.sampled_from(CODES),
    st.sampled_from(DAYS),
    st.sampled_from(["all", "phone"]),
    st.decimals(min_value=0, max_value=500, places=2, allow_nan=False),
    st.integers(1, 40),
    st.integers(0, 30),
)


@pytest.fixture
def three_teams():
    root = DepartmentFactory(name="Care")
    other = DepartmentFactory(name="Sales")
    return [
        TeamFactory(name="T1", department=root),
        TeamFactory(name="T2", department=root),
        TeamFactory(name="T3", department=other),
    ]


def _write(teams, rows) -> None:
    kpis = {k.code: k for k in Kpi.objects.filter(code__in=CODES)}
    seen, objects = set(), []
    for team, code, day, channel, figure, size, flow in rows:
        kpi = kpis[code]
        channel = "all" if kpi.aggregation in ("churn", "retention") else channel
        key = (team, code, day)  # one kind of channel per day: the import refuses mixtures
        if key in seen:
            continue
        seen.add(key)
        values: dict = {}
        if kpi.aggregation == "ratio":
            values = {"numerator": min(figure, size), "denominator": size, "sample_size": size}
        elif kpi.aggregation == "mean":
            values = {"value": figure, "sample_size": size, "sum_squares": figure * 2}
            if code == "ces":
                values["numerator"] = figure * size
        elif kpi.aggregation in ("churn", "retention"):
            base = 1000 + int(figure)
            values = {"opening": base, "gained": flow, "lost": flow // 2, "closing": base + flow - flow // 2}
        else:
            values = {"value": figure}
        objects.append(Measurement(team=teams[team], kpi=kpi, date=day, channel=channel, **values))
    Measurement.objects.bulk_create(objects)


PERIOD_SETS = [["2026-02", "2026-01"], ["2026-03"], ["2026-Q1"], ["2026-04", "2026-02"]]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(row_strategy, min_size=1, max_size=60))
def test_rollups_and_daily_rows_give_identical_sums(three_teams, rows):
    Measurement.objects.all().delete()
    _write(three_teams, rows)
    rebuild()
    assert differences() == []
    kpis = Kpi.objects.filter(code__in=CODES)
    aggregation_of = {k.pk: k.aggregation for k in kpis}
    last = [k.pk for k in kpis if k.aggregation == "last"]
    for codes in PERIOD_SETS:
        buckets = [parse_period(code) for code in codes]
        for level in (TEAM, DEPARTMENT, COMPANY):
            from_rollups = grouped_sums(buckets, aggregation_of, last, None, level)
            from_days = grouped_sums(buckets, aggregation_of, last, None, level, rollups=False)
            assert from_rollups == from_days, (codes, level)


@pytest.mark.postgresql
def test_postgres_copy_chunks_maintain_the_rollups(team_a, monkeypatch):
    from culture.measurements import writing

    assert connection.vendor == "postgresql"
    monkeypatch.setattr(writing, "CHUNK_ROWS", 3)
    lines = [f"team-a,fcr,2026-{month:02d}-{day:02d},,,1,2," for month in (4, 5) for day in range(1, 6)]
    import_measurements(stream=_csv(*lines), filename="m.csv", user=None, source="web")
    assert sorted(MonthlyRollup.objects.values_list("month", "numerator")) == [
        (dt.date(2026, 4, 1), Decimal(5)),
        (dt.date(2026, 5, 1), Decimal(5)),
    ]
    assert differences() == []


@pytest.mark.postgresql
def test_postgres_import_adds_created_rows_and_recomputes_changed_keys(team_a, team_b, monkeypatch):
    """Chunks of 4: created rows are added to rollups that already hold earlier chunks' sums, rows changed
    by a second file recompute their keys only, and every figure equals the daily rows' and a hand sum."""
    from culture.measurements import writing

    monkeypatch.setattr(writing, "CHUNK_ROWS", 4)
    header = HEADER.strip() + ",sum_squares,opening,gained,lost,closing\n"
    lines = [f"team-a,fcr,2026-04-{day:02d},phone,,1,2,3,,,,," for day in range(1, 8)]
    lines += [f"team-b,aht,2026-04-{day:02d},,{day}.5,,,{day if day % 2 else ''},,,,," for day in range(1, 6)]
    lines += ["team-a,churn_rate,2026-04-01,,,,,,,100,5,2,103", "team-a,churn_rate,2026-04-02,,,,,,,,1,3,101"]
    result = import_measurements(stream=_csv(*lines, header=header), filename="m.csv", user=None, source="web")
    assert result.is_valid, result.errors
    assert differences() == []
    april = dt.date(2026, 4, 1)
    fcr = MonthlyRollup.objects.get(team=team_a, kpi__code="fcr", month=april)
    assert (fcr.rows, fcr.numerator, fcr.denominator, fcr.sample_size, fcr.sampled_rows) == (7, 7, 14, 21, 7)
    assert (fcr.first_day, fcr.last_day) == (april, dt.date(2026, 4, 7))
    aht = MonthlyRollup.objects.get(team=team_b, kpi__code="aht", month=april)
    # values 1.5 .. 5.5 sum 17.5; n = 1, 1, 3, 1, 5 on odd days' sizes (1, 3, 5) and 1 elsewhere
    assert (aht.value, aht.sample_size, aht.sampled_rows, aht.mean_n) == (Decimal("17.5"), 9, 3, 11)
    assert (
        aht.mean_first == Decimal("1.5") * 1 + Decimal("2.5") + Decimal("3.5") * 3 + Decimal("4.5") + Decimal("5.5") * 5
    )
    churn = MonthlyRollup.objects.get(team=team_a, kpi__code="churn_rate", month=april)
    assert (churn.rows, churn.gained, churn.lost, churn.value) == (2, 6, 5, None)
    # A second file: two fcr rows change, one new May row; the untouched team-b rollup is left as it was.
    second = ["team-a,fcr,2026-04-02,phone,,2,2,3", "team-a,fcr,2026-04-03,phone,,0,2,3"]
    second += ["team-a,fcr,2026-05-01,phone,,1,4,", "team-a,fcr,2026-04-04,phone,,1,2,3"]
    result = import_measurements(stream=_csv(*second), filename="m.csv", user=None, source="web")
    assert (result.counts.created, result.counts.updated, result.counts.unchanged) == (1, 2, 1)
    fcr = MonthlyRollup.objects.get(team=team_a, kpi__code="fcr", month=april)  # recomputed: a new row
    assert (fcr.rows, fcr.numerator, fcr.denominator) == (7, 7 + 1 - 1, 14)
    assert MonthlyRollup.objects.get(pk=aht.pk).value == Decimal("17.5")  # not rewritten
    may = MonthlyRollup.objects.get(team=team_a, kpi__code="fcr", month=dt.date(2026, 5, 1))
    assert (may.rows, may.numerator, may.denominator, may.sample_size, may.sampled_rows) == (1, 1, 4, None, 0)
    assert differences() == []
