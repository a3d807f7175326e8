"""Writing validated measurements: one upsert per import, counting created, updated and unchanged rows.

PostgreSQL: rows stream into a temporary staging table with COPY while they are validated, and are written
one chunk at a time while the next chunk is being validated: into a table that was empty when the import
began with a plain `INSERT ... SELECT`, otherwise with `INSERT ... SELECT ... ON CONFLICT (team_id, kpi_id,
date, channel) DO UPDATE ... WHERE (changed)`. Created rows' sums are grouped per chunk (from the staging
table, or the merge's RETURNING) and the (team, KPI, month) keys of changed rows listed; `merge()` adds the
sums to the monthly rollups and recomputes the listed keys once, under the months' advisory locks
(`rollups.lock_months`): unchanged rows cost none.
Other databases (SQLite for the demo and tests): compare with the stored rows in Python and upsert the new
and changed ones in batches (one prepared INSERT ... ON CONFLICT on SQLite, `bulk_create(update_conflicts=True)`
elsewhere).

Callers open the transaction: `MeasurementSink` never commits.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import queue
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import psycopg
from django.db import connection
from django.utils import timezone

from ..models import Measurement
from .rollups import add_sums, created_sums_sql, lock_months, refresh_key_table, refresh_keys, sums_table_sql
from .rules import STOCK_COLUMNS, MeasurementRow

# In the import columns' order (rules.MEASUREMENT_COLUMNS): the survey total, its sum of squares, then a
# stock KPI's customer base.
VALUE_FIELDS: tuple[str, ...] = ("value", "numerator", "denominator", "sample_size", "sum_squares")
VALUE_FIELDS += ("opening", "gained", "lost", "closing")
BATCH_SIZE = 5000
COPY_FLUSH_BYTES = 1 << 20
NULL = "\\N"  # COPY text format
_NONE_BASE = [None] * len(STOCK_COLUMNS)  # most rows carry no customer base: their tail is written once
_NO_BASE = "\t".join([NULL] * len(STOCK_COLUMNS))


@dataclass(frozen=True)
class WriteCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    def __add__(self, other: WriteCounts) -> WriteCounts:
        return WriteCounts(self.created + other.created, self.updated + other.updated, self.unchanged + other.unchanged)


class MeasurementSink:
    """Collects validated rows and writes them (or, for a dry run, only counts what would change).

    `add()` rows; `channel_clashes()` then names keys whose day is stored under the other kind of
    channel; `merge()` returns the counts. Callers roll the transaction back when anything is wrong.
    """

    def __init__(self, *, source: str, batch_id: int | None, dry_run: bool, clash_limit: int = 1000) -> None:
        self.source = source
        self.batch_id = batch_id
        self.dry_run = dry_run
        self.clash_limit = clash_limit
        self.count = 0

    def add(self, row: MeasurementRow) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def finish_input(self) -> None:
        """No more rows: after this the connection is free for other queries."""

    def channel_clashes(self) -> list[tuple[int, int, dt.date, str]]:  # pragma: no cover - interface
        """Keys whose day is already stored under the other kind of channel (`all` versus a specific one)."""
        raise NotImplementedError

    def merge(self) -> WriteCounts:  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:
        """Release resources; safe to call twice."""

    def __enter__(self) -> MeasurementSink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_sink(*, source: str, batch_id: int | None = None, dry_run: bool = False, clash_limit: int = 1000):
    """The fastest sink for the current database."""
    sink_class = PostgresCopySink if connection.vendor == "postgresql" else BulkCreateSink
    return sink_class(source=source, batch_id=batch_id, dry_run=dry_run, clash_limit=clash_limit)


_CHUNK_END = object()
_INPUT_END = object()
CHUNK_ROWS = 250_000
# The first chunk is small: the worker merges nothing until it ends, and Python validates only that far first.
FIRST_CHUNK_ROWS = 25_000
TABLE = "culture_measurement"
STAGING = "ingest_measurements"
CHANGED_KEYS = "ingest_changed_rollups"  # (team, KPI, month) keys of updated rows
CREATED_SUMS = "ingest_created_sums"  # created rows' sums per rollup key, one group per chunk
_DISTINCT = (
    "(m.value, m.numerator, m.denominator, m.sample_size, m.sum_squares, m.opening, m.gained, m.lost, m.closing) "
    "IS DISTINCT FROM "
    "(s.value, s.numerator, s.denominator, s.sample_size, s.sum_squares, s.opening, s.gained, s.lost, s.closing)"
)
_DRY_RUN_SQL = (
    "SELECT count(*) FILTER (WHERE m.id IS NULL), "  # noqa: S608 - only our own table names  # nosec B608
    f"count(*) FILTER (WHERE m.id IS NOT NULL AND {_DISTINCT}) "
    f"FROM {STAGING} s LEFT JOIN {TABLE} m ON m.team_id = s.team_id AND m.kpi_id = s.kpi_id "
    "AND m.date = s.date AND m.channel = s.channel"
)
_MERGE_SQL = (
    f"WITH upserted AS (INSERT INTO {TABLE} AS m "  # noqa: S608 - only our own table names  # nosec B608
    "(team_id, kpi_id, date, channel, value, numerator, denominator, sample_size, sum_squares, opening, gained, "
    "lost, closing, source, batch_id, updated_at) "
    "SELECT team_id, kpi_id, date, channel, value, numerator, denominator, sample_size, sum_squares, opening, "
    "gained, lost, closing, "
    f"%s, %s, now() FROM {STAGING} "
    "ON CONFLICT (team_id, kpi_id, date, channel) DO UPDATE SET value = EXCLUDED.value, "
    "numerator = EXCLUDED.numerator, denominator = EXCLUDED.denominator, "
    "sample_size = EXCLUDED.sample_size, sum_squares = EXCLUDED.sum_squares, opening = EXCLUDED.opening, "
    "gained = EXCLUDED.gained, lost = EXCLUDED.lost, closing = EXCLUDED.closing, source = EXCLUDED.source, "
    "batch_id = EXCLUDED.batch_id, updated_at = EXCLUDED.updated_at "
    f"WHERE {_DISTINCT.replace('s.', 'EXCLUDED.')} "
    "RETURNING team_id, kpi_id, date, channel, value, numerator, denominator, sample_size, sum_squares, gained, lost, "
    "(xmax = 0) AS created), "
    # For the monthly rollups, in the same statement: created rows' sums, the keys of changed rows (both
    # applied by `merge()`).
    f"added AS ({created_sums_sql('upserted', 'm.created', CREATED_SUMS)}), "
    f"changed AS (INSERT INTO {CHANGED_KEYS} (team_id, kpi_id, month) "
    "SELECT DISTINCT team_id, kpi_id, CAST(date_trunc('month', date) AS date) FROM upserted WHERE NOT created) "
    "SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created) FROM upserted"
)
_COLUMNS = (
    "team_id, kpi_id, date, channel, value, numerator, denominator, sample_size, sum_squares, opening, gained, lost, "
    "closing"
)
_INSERT_SQL = (
    f"INSERT INTO {TABLE} ({_COLUMNS}, source, batch_id, updated_at) "  # noqa: S608 - our own names  # nosec B608
    f"SELECT {_COLUMNS}, %s, %s, now() FROM {STAGING}"
)
_CLASH_KINDS = (("s.channel = 'all'", "m.channel <> 'all'"), ("s.channel <> 'all'", "m.channel = 'all'"))


class PostgresCopySink(MeasurementSink):
    """COPY into `pg_temp.ingest_measurements` (dropped at commit), then INSERT (... ON CONFLICT) from it.

    A worker thread owns the connection while rows come in: every CHUNK_ROWS rows (FIRST_CHUNK_ROWS the first
    time) it ends the COPY, checks and writes that chunk, empties the staging table and starts the next COPY.
    So PostgreSQL writes one chunk while Python validates the next (the worker waits on the socket, which
    releases the GIL). All of it runs in the caller's transaction: a bad row later in the file still means
    nothing is written.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        with connection.cursor() as cursor:
            # Within one outer transaction (tests, nested imports) the table of an earlier import is still there.
            cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{STAGING}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {STAGING} ("
                "team_id bigint NOT NULL, kpi_id bigint NOT NULL, date date NOT NULL, channel varchar(12) NOT NULL, "
                "value numeric(18,6), numerator numeric(18,6), denominator numeric(18,6), sample_size integer, "
                "sum_squares numeric(20,6), opening integer, gained integer, lost integer, closing integer) "
                "ON COMMIT DROP"
            )
            cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{CHANGED_KEYS}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {CHANGED_KEYS} (team_id bigint NOT NULL, kpi_id bigint NOT NULL, "
                "month date NOT NULL) ON COMMIT DROP"
            )
            cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{CREATED_SUMS}")
            cursor.execute(sums_table_sql(CREATED_SUMS))
        self._raw = connection.connection  # the psycopg connection under Django's wrapper
        self._queue: queue.Queue = queue.Queue(maxsize=16)
        self._buffer: list[str] = []
        self._buffered = 0
        self._in_chunk = 0
        self._chunk_rows = min(FIRST_CHUNK_ROWS, CHUNK_ROWS)
        self._created = self._updated = 0
        self._clashes: list[tuple[int, int, dt.date, str]] = []
        self._error: BaseException | None = None
        self._was_empty = False  # no stored measurement when the import began (see _write_chunk)
        self._worker: threading.Thread | None = threading.Thread(target=self._work, name="ingest-copy", daemon=True)
        self._worker.start()

    def add(self, row: MeasurementRow) -> None:
        team_id, kpi_id, day, channel, value, numerator, denominator, sample_size, sum_squares, *base = row
        line = (
            f"{team_id}\t{kpi_id}\t{day.isoformat()}\t{channel}\t{NULL if value is None else value}\t"
            f"{NULL if numerator is None else numerator}\t{NULL if denominator is None else denominator}\t"
            f"{NULL if sample_size is None else sample_size}\t{NULL if sum_squares is None else sum_squares}\t"
            + (_NO_BASE if base == _NONE_BASE else "\t".join(NULL if n is None else str(n) for n in base))
        )
        self._buffer.append(line)
        self._buffered += len(line)
        self.count += 1
        self._in_chunk += 1
        if self._buffered > COPY_FLUSH_BYTES:
            self._flush()
        if self._in_chunk >= self._chunk_rows:
            self._flush()
            self._queue.put(_CHUNK_END)
            self._in_chunk = 0
            self._chunk_rows = CHUNK_ROWS

    def _flush(self) -> None:
        if self._buffer:
            self._buffer.append("")
            self._queue.put("\n".join(self._buffer))
            self._buffer = []
            self._buffered = 0

    def _work(self) -> None:
        item = None
        try:
            with self._raw.cursor() as cursor:
                kinds = self._stored_kinds(cursor)
                while True:
                    with cursor.copy(f"COPY {STAGING} FROM STDIN") as copy:
                        while (item := self._queue.get()) is not _CHUNK_END and item is not _INPUT_END:
                            copy.write(item)
                    if not self._clashes:
                        self._merge_chunk(cursor, kinds)
                    cursor.execute(f"TRUNCATE {STAGING}")
                    if item is _INPUT_END:
                        return
        except BaseException as error:  # handed to the caller's thread in finish_input()
            self._error = error
            while item is not _INPUT_END:  # keep the producer from blocking on a full queue
                item = self._queue.get()

    def _stored_kinds(self, cursor) -> tuple[tuple[str, str], ...]:
        """Which kinds of channel the table already holds, once per import.

        Rows this import merges cannot clash with its later chunks (the validator refuses a file that mixes
        kinds on one day), so the answer at the start holds throughout, and most imports skip the joins.
        """
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {TABLE} WHERE channel = 'all'), "  # noqa: S608 - our own names  # nosec B608
            f"EXISTS (SELECT 1 FROM {TABLE} WHERE channel <> 'all')"
        )
        has_all, has_specific = cursor.fetchone()
        self._was_empty = not (has_all or has_specific)
        return tuple(kind for kind, present in zip(_CLASH_KINDS, (has_specific, has_all), strict=True) if present)

    def _merge_chunk(self, cursor, kinds: tuple[tuple[str, str], ...]) -> None:
        for staged, stored in kinds:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {STAGING} s WHERE {staged})")  # noqa: S608  # nosec B608
            if cursor.fetchone()[0]:
                cursor.execute(
                    f"SELECT s.team_id, s.kpi_id, s.date, s.channel FROM {STAGING} s "  # noqa: S608  # nosec B608
                    f"WHERE {staged} AND EXISTS (SELECT 1 FROM {TABLE} m WHERE m.team_id = s.team_id "
                    f"AND m.kpi_id = s.kpi_id AND m.date = s.date AND {stored}) LIMIT %s",
                    [self.clash_limit],
                )
                self._clashes.extend(cursor.fetchall())
        if self._clashes:
            return
        if self.dry_run:
            cursor.execute(_DRY_RUN_SQL)
            created, updated = cursor.fetchone()
        else:
            created, updated = self._write_chunk(cursor)
        self._created += created
        self._updated += updated
        if not self.dry_run:
            # Check the foreign keys now, chunk by chunk, rather than queue millions of deferred checks for COMMIT.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # back to Django's INITIALLY DEFERRED

    def _write_chunk(self, cursor) -> tuple[int, int]:
        """Write the staged chunk; (created, updated).

        ON CONFLICT costs a speculative insertion per row and its RETURNING a pass over every row. Into a
        table that held no measurement when the import began, every key is new (a file repeats none), so the
        chunk is inserted plainly and its sums grouped from the staging table. (Asking each chunk whether a
        populated table holds any of its keys costs about what the plain INSERT saves.) In a savepoint:
        should another import store one of the keys meanwhile, the unique key refuses the INSERT (once that
        import commits) and the chunk is merged instead."""
        if self._was_empty:
            cursor.execute("SAVEPOINT ingest_insert")
            try:
                cursor.execute(_INSERT_SQL, [self.source, self.batch_id])
            except psycopg.errors.UniqueViolation:
                cursor.execute("ROLLBACK TO SAVEPOINT ingest_insert")
                self._was_empty = False
            else:
                created = cursor.rowcount
                cursor.execute("RELEASE SAVEPOINT ingest_insert")
                cursor.execute(created_sums_sql(STAGING, "TRUE", CREATED_SUMS))
                return created, 0
        cursor.execute(_MERGE_SQL, [self.source, self.batch_id])
        created, updated = cursor.fetchone()
        return created, updated

    def _maintain_rollups(self) -> None:
        """The written rows' monthly rollups, under their months' locks: created rows' sums are added first;
        then the keys of changed rows are recomputed from the daily rows (which include the created ones)."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT month FROM {CREATED_SUMS} UNION SELECT month FROM {CHANGED_KEYS}"  # noqa: S608  # nosec B608
            )
            lock_months(cursor, [month for (month,) in cursor.fetchall()])
            add_sums(cursor, CREATED_SUMS)
            if self._updated:
                refresh_key_table(cursor, CHANGED_KEYS)
            cursor.execute(f"TRUNCATE {CREATED_SUMS}, {CHANGED_KEYS}")

    def finish_input(self) -> None:
        if self._worker is not None:
            self._flush()
            self._queue.put(_INPUT_END)
            self._worker.join()
            self._worker = None
            if self._error is not None:
                raise self._error

    def channel_clashes(self) -> list[tuple[int, int, dt.date, str]]:
        self.finish_input()
        return self._clashes[: self.clash_limit]

    def merge(self) -> WriteCounts:
        self.finish_input()
        if self._clashes:
            raise RuntimeError("channel clashes: check channel_clashes() before merge()")
        if not self.dry_run and self._created + self._updated:
            self._maintain_rollups()
        return WriteCounts(self._created, self._updated, self.count - self._created - self._updated)

    def close(self) -> None:
        with contextlib.suppress(BaseException):  # on the error path: the caller rolls back anyway
            self.finish_input()


def _same(stored: tuple, row: MeasurementRow) -> bool:
    return stored == tuple(row[4:])


class BulkCreateSink(MeasurementSink):
    """Portable path: rows kept in memory (files on SQLite are small), compared, bulk-upserted in batches."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._rows: list[MeasurementRow] = []

    def add(self, row: MeasurementRow) -> None:
        self._rows.append(row)
        self.count += 1

    def merge(self) -> WriteCounts:
        counts = WriteCounts()
        for start in range(0, len(self._rows), BATCH_SIZE):
            rows = self._rows[start : start + BATCH_SIZE]
            counts += self._merge_batch(rows, self.source, self.batch_id, self.dry_run)
        self._rows = []
        self.count = 0
        return counts

    def channel_clashes(self) -> list[tuple[int, int, dt.date, str]]:
        return stored_channel_clashes([row[:4] for row in self._rows], limit=self.clash_limit)

    def _merge_batch(self, rows: list[MeasurementRow], source: str, batch_id: int | None, dry_run: bool) -> WriteCounts:
        stored = _stored_for(rows)
        created = updated = 0
        changed = []
        for row in rows:
            existing = stored.get((row.team_id, row.kpi_id, row.date, row.channel))
            if existing is None:
                created += 1
            elif _same(existing, row):
                continue
            else:
                updated += 1
            changed.append(row)
        if changed and not dry_run:
            _upsert(changed, source, batch_id)
            refresh_keys((row.team_id, row.kpi_id, row.date) for row in changed)
        return WriteCounts(created, updated, len(rows) - created - updated)


def stored_channel_clashes(
    keys: Sequence[tuple[int, int, dt.date, str]], *, limit: int = 1000
) -> list[tuple[int, int, dt.date, str]]:
    """The (team, KPI, day, channel) keys, in order, whose day is stored under the other kind of channel.

    Channel `all` beside specific channels for one team, KPI and day would count the same contacts twice.
    """
    clashes = []
    for start in range(0, len(keys), BATCH_SIZE):
        chunk = keys[start : start + BATCH_SIZE]
        stored_kinds: dict[tuple, set[bool]] = {}
        for team_id, kpi_id, day, channel in Measurement.objects.filter(
            team_id__in={key[0] for key in chunk},
            kpi_id__in={key[1] for key in chunk},
            date__in={key[2] for key in chunk},
        ).values_list("team_id", "kpi_id", "date", "channel"):
            stored_kinds.setdefault((team_id, kpi_id, day), set()).add(channel == "all")
        for key in chunk:
            if (key[3] != "all") in stored_kinds.get(key[:3], set()):
                clashes.append(key)
        if len(clashes) >= limit:
            break
    return clashes[:limit]


def _upsert(rows: list[MeasurementRow], source: str, batch_id: int | None) -> None:
    """`bulk_create(update_conflicts=True)` off PostgreSQL: the same INSERT ... ON CONFLICT DO UPDATE.

    On SQLite Django splits a bulk_create into statements of 999 parameters (71 rows here), which made the
    demo seed spend most of its time compiling SQL; one prepared statement run with executemany writes
    identical rows several times faster.
    """
    if connection.vendor != "sqlite":
        now = timezone.now()
        Measurement.objects.bulk_create(
            [Measurement(**row._asdict(), source=source, batch_id=batch_id, updated_at=now) for row in rows],
            update_conflicts=True,
            unique_fields=["team", "kpi", "date", "channel"],
            update_fields=[*VALUE_FIELDS, "source", "batch", "updated_at"],
        )
        return
    updated_at = connection.ops.adapt_datetimefield_value(timezone.now())
    text = _sqlite_text
    params = [
        (
            r.team_id,
            r.kpi_id,
            r.date.isoformat(),
            r.channel,
            text(r.value),
            text(r.numerator),
            text(r.denominator),
            r.sample_size,
            text(r.sum_squares),
            r.opening,
            r.gained,
            r.lost,
            r.closing,
            source,
            batch_id,
            updated_at,
        )
        for r in rows
    ]
    updates = ", ".join(f"{name} = excluded.{name}" for name in (*VALUE_FIELDS, "source", "batch_id", "updated_at"))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {Measurement._meta.db_table} (team_id, kpi_id, date, channel, value, numerator, "  # noqa: S608  # nosec B608
            "denominator, sample_size, sum_squares, opening, gained, lost, closing, source, batch_id, updated_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
            f"ON CONFLICT (team_id, kpi_id, date, channel) DO UPDATE SET {updates}",
            params,
        )


def _sqlite_text(value):
    return None if value is None else str(value)


def _stored_for(rows: list[MeasurementRow]) -> dict[tuple[int, int, dt.date, str], tuple]:
    """The stored value columns of these rows' keys (plus a few neighbours the filter cannot exclude)."""
    if not rows:
        return {}
    stored = Measurement.objects.filter(
        team_id__in={row.team_id for row in rows},
        kpi_id__in={row.kpi_id for row in rows},
        date__in={row.date for row in rows},
    ).values_list("team_id", "kpi_id", "date", "channel", *VALUE_FIELDS)
    return {tuple(values[:4]): tuple(values[4:]) for values in stored.iterator(chunk_size=5000)}
