"""Keeping the monthly rollups equal to the daily rows, in the database and in the caller's transaction.

Each write recomputes the (team, KPI, month) keys it touched, every channel of them: one DELETE of the
stored rollups and one grouped INSERT ... SELECT from the daily rows (keys with no row left simply stay
deleted). The PostgreSQL import adds the sums of the rows it created to their rollups instead (grouped per
chunk into a temporary table, added once at the end) and recomputes only the keys whose stored rows it changed.
`rebuild` does the same for a range of months, `differences` compares without writing.

Concurrency (PostgreSQL): adding sums is atomic (INSERT ... ON CONFLICT DO UPDATE locks the rollup row), but
a recomputation is not: its DELETE cannot see a rollup row another open transaction has just inserted, and its
INSERT then fails on the unique key once that one commits (two imports changing rows of one team, KPI and
month: the second failed with an IntegrityError). Writers therefore take a transaction-level advisory lock
per month (`lock_months`, in month order, so two writers cannot deadlock) just before they touch the rollups.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext_lazy

from core.notifications import notify
from users.models import User
from users.roles import Role, group_name

from ..models import Measurement, MonthlyRollup

logger = logging.getLogger(__name__)

ROLLUP = MonthlyRollup._meta.db_table
DAILY = Measurement._meta.db_table
COLUMNS = (
    "team_id, kpi_id, channel, month, rows, value, mean_first, mean_n, numerator, denominator, sample_size, "
    "sampled_rows, sum_squares, squared_rows, gained, lost, first_day, last_day"
)
# The sums of one key's daily rows, in COLUMNS order after the key (see MonthlyRollup).
_SUMS = (
    "COUNT(*), SUM(m.value), SUM(COALESCE(m.numerator, m.value * COALESCE(m.sample_size, 1))), "
    "COALESCE(SUM(CASE WHEN m.value IS NOT NULL THEN COALESCE(m.sample_size, 1) ELSE 0 END), 0), "
    "SUM(m.numerator), SUM(m.denominator), SUM(m.sample_size), COUNT(m.sample_size), SUM(m.sum_squares), "
    "COUNT(m.sum_squares), SUM(m.gained), SUM(m.lost), MIN(m.date), MAX(m.date)"
)


def _month_of(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"date({column}, 'start of month')"


def _aggregate(where: str, join: str = "") -> str:
    month = _month_of("m.date")
    return (
        f"INSERT INTO {ROLLUP} ({COLUMNS}) "  # noqa: S608 - only our own table names  # nosec B608
        f"SELECT m.team_id, m.kpi_id, m.channel, {month}, {_SUMS} FROM {DAILY} m {join} WHERE {where} "
        f"GROUP BY m.team_id, m.kpi_id, m.channel, {month}"
    )


def _param(day: dt.date):
    return connection.ops.adapt_datefield_value(day)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


# How a grouped set of new daily rows adds to a stored rollup: counts add, a sum stays NULL only while both
# sides are NULL (as SUM over rows that are all empty), the day bounds widen.
_ADDED_COLUMNS = (
    "rows", "value", "mean_first", "mean_n", "numerator", "denominator", "sample_size", "sampled_rows",
    "sum_squares", "squared_rows", "gained", "lost",
)  # fmt: skip
_ADD = (
    ", ".join(f"{name} = COALESCE(r.{name} + EXCLUDED.{name}, r.{name}, EXCLUDED.{name})" for name in _ADDED_COLUMNS)
    + ", first_day = LEAST(r.first_day, EXCLUDED.first_day), last_day = GREATEST(r.last_day, EXCLUDED.last_day)"
)


def created_sums_sql(rows: str, where: str, into: str) -> str:
    """PostgreSQL import path: the sums of newly created daily rows (`rows`: the staging table, or the merge's
    RETURNING in a CTE, with the daily columns), grouped by rollup key, appended to the table `into`
    (`sums_table_sql`). Only right for rows that did not exist before: changed rows' keys are recomputed
    instead (`refresh_key_table`)."""
    month = "CAST(date_trunc('month', m.date) AS date)"  # PostgreSQL only (built at import, not per vendor)
    return (
        f"INSERT INTO {into} ({COLUMNS}) "  # noqa: S608 - only our own names  # nosec B608
        f"SELECT m.team_id, m.kpi_id, m.channel, {month}, {_SUMS} FROM {rows} m WHERE {where} "
        f"GROUP BY m.team_id, m.kpi_id, m.channel, {month}"
    )


def sums_table_sql(name: str) -> str:
    """A temporary table of partial rollup sums (the rollup's columns, no constraints), dropped at commit."""
    return f"CREATE TEMPORARY TABLE {name} ON COMMIT DROP AS SELECT {COLUMNS} FROM {ROLLUP} WITH NO DATA"  # noqa: S608  # nosec B608


# Partial sums of one key combine as the rows do: counts and sums add (NULL only when every part is NULL,
# as SUM over rows that are all empty), the day bounds widen.
_COMBINED = ", ".join(f"SUM({name})" for name in _ADDED_COLUMNS) + ", MIN(first_day), MAX(last_day)"


def add_sums(cursor, sums: str) -> None:
    """PostgreSQL import path: add the partial sums in the table `sums` to their rollups, creating missing ones."""
    cursor.execute(
        f"INSERT INTO {ROLLUP} AS r ({COLUMNS}) "  # noqa: S608 - only our own names  # nosec B608
        f"SELECT team_id, kpi_id, channel, month, {_COMBINED} FROM {sums} GROUP BY team_id, kpi_id, channel, month "
        f"ON CONFLICT (team_id, kpi_id, channel, month) DO UPDATE SET {_ADD}"
    )


ROLLUP_LOCK = 0x526F6C6C  # "Roll": the first key of the months' advisory locks (the second is the month)


def lock_months(cursor, months: Iterable[dt.date]) -> None:
    """PostgreSQL: hold the months' rollups for this transaction (see the module's docstring); elsewhere a
    no-op (SQLite writes one transaction at a time)."""
    if connection.vendor != "postgresql":
        return
    for month in sorted({month_start(day) for day in months}):
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ROLLUP_LOCK, month.year * 12 + month.month - 1])


def refresh_key_table(cursor, keys: str) -> None:
    """PostgreSQL import path: recompute the (team_id, kpi_id, month) keys listed in the table `keys`
    (each once, however often listed), every channel of them, from the daily rows."""
    cursor.execute(
        f"DELETE FROM {ROLLUP} r USING {keys} k "  # noqa: S608  # nosec B608
        "WHERE r.team_id = k.team_id AND r.kpi_id = k.kpi_id AND r.month = k.month"
    )
    distinct = f"(SELECT DISTINCT team_id, kpi_id, month FROM {keys})"  # noqa: S608  # nosec B608
    join = f"JOIN {distinct} k ON m.team_id = k.team_id AND m.kpi_id = k.kpi_id AND m.date >= k.month"
    cursor.execute(_aggregate("m.date < CAST(k.month + interval '1 month' AS date)", join))


def refresh_keys(keys: Iterable[tuple[int, int, dt.date]]) -> None:
    """Recompute the rollups of these (team, KPI, day)s' months: per month, the teams x KPIs touched."""
    by_month: dict[dt.date, tuple[set[int], set[int]]] = {}
    for team_id, kpi_id, day in keys:
        teams, kpis = by_month.setdefault(month_start(day), (set(), set()))
        teams.add(int(team_id))
        kpis.add(int(kpi_id))
    with connection.cursor() as cursor:
        lock_months(cursor, by_month)
        for month, (teams, kpis) in sorted(by_month.items()):
            team_list, kpi_list = ", ".join(map(str, sorted(teams))), ", ".join(map(str, sorted(kpis)))
            cursor.execute(
                f"DELETE FROM {ROLLUP} WHERE month = %s AND team_id IN ({team_list}) "  # noqa: S608  # nosec B608
                f"AND kpi_id IN ({kpi_list})",
                [_param(month)],
            )
            where = f"m.date >= %s AND m.date < %s AND m.team_id IN ({team_list}) AND m.kpi_id IN ({kpi_list})"
            cursor.execute(_aggregate(where), [_param(month), _param(next_month(month))])


def refresh_rows(rows: Iterable[Measurement]) -> None:
    """After rows written or deleted through the ORM (fixtures, the demo seeder): their months' rollups."""
    refresh_keys((row.team_id, row.kpi_id, row.date) for row in rows)


def _range_where(start: dt.date | None, end: dt.date | None, column: str) -> tuple[str, list[dt.date]]:
    """Months from `start` up to and including `end`'s (either open)."""
    parts, params = ["1 = 1"], []
    if start is not None:
        parts.append(f"{column} >= %s")
        params.append(_param(month_start(start)))
    if end is not None:
        parts.append(f"{column} < %s")
        params.append(_param(next_month(month_start(end))))
    return " AND ".join(parts), params


def rebuild(start: dt.date | None = None, end: dt.date | None = None) -> int:
    """Recompute every rollup of the months from `start` to `end` (all when open); the rollups written."""
    with connection.cursor() as cursor:
        where, params = _range_where(start, end, "month")
        days_where, days_params = _range_where(start, end, "m.date")
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT month FROM {ROLLUP} WHERE {where} UNION "  # noqa: S608  # nosec B608
                f"SELECT DISTINCT {_month_of('m.date')} FROM {DAILY} m WHERE {days_where}",
                [*params, *days_params],
            )
            lock_months(cursor, [month for (month,) in cursor.fetchall()])
        cursor.execute(f"DELETE FROM {ROLLUP} WHERE {where}", params)  # noqa: S608  # nosec B608
        cursor.execute(_aggregate(days_where), days_params)
        return max(cursor.rowcount, 0)


def differences(start: dt.date | None = None, end: dt.date | None = None, limit: int = 100) -> list[tuple]:
    """(team, KPI, channel, month) keys whose stored rollup differs from the daily rows' sums (or is
    missing or extra), at most `limit`. Written by no one: a read-only comparison."""
    month = _month_of("m.date")
    where, params = _range_where(start, end, "m.date")
    fresh = (
        f"SELECT m.team_id, m.kpi_id, m.channel, {month} AS month, {_SUMS} FROM {DAILY} m "  # noqa: S608  # nosec B608
        f"WHERE {where} GROUP BY m.team_id, m.kpi_id, m.channel, {month}"
    )
    stored_where, stored_params = _range_where(start, end, "month")
    stored = f"SELECT {COLUMNS} FROM {ROLLUP} WHERE {stored_where}"  # noqa: S608  # nosec B608
    with connection.cursor() as cursor:
        # EXCEPT both ways: a row in one set and not in the other is a difference (SQLite and PostgreSQL).
        cursor.execute(
            f"SELECT * FROM ({fresh} EXCEPT {stored}) a UNION ALL "  # noqa: S608  # nosec B608
            f"SELECT * FROM ({stored} EXCEPT {fresh}) b LIMIT {int(limit)}",
            [*params, *stored_params, *stored_params, *params],
        )
        found = {(row[0], row[1], row[2], _date(row[3])) for row in cursor.fetchall()}
    return sorted(found)


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def check_rollups(*, today: dt.date, limit: int = 100) -> list[tuple]:
    """The nightly comparison: differing keys are logged and the administrators notified (once a day)."""
    found = differences(limit=limit)
    if not found:
        logger.info("rollups match the daily rows", extra={"event": "rollups.checked", "differences": 0})
        return found
    logger.error(
        "%d monthly rollup(s) differ from the daily rows, first %s: run manage.py rebuild_rollups",
        len(found),
        found[0],
        extra={"event": "rollups.differ", "differences": len(found)},
    )
    admins = User.objects.filter(Q(groups__name=group_name(Role.ADMIN)) | Q(is_superuser=True), is_active=True)
    keys = ", ".join(f"team {t} KPI {k} {c} {m:%Y-%m}" for t, k, c, m in found[:10])
    for admin in admins.distinct().order_by("pk"):
        notify(
            recipient=admin,
            key=f"culture.rollups.differ.{today.isoformat()}.{admin.pk}",
            template="core/email/message",
            context={
                "subject": gettext_lazy("Monthly rollups differ from the daily measurements"),
                "text": gettext_lazy(
                    "%(count)s rollup(s) differ, among them: %(keys)s. Scorecards of whole months may be wrong "
                    "until `manage.py rebuild_rollups` runs."
                )
                % {"count": len(found), "keys": keys},
                "link": "",
            },
        )
    return found
