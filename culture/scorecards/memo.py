"""Scorecards remembered until the culture data changes (PostgreSQL).

Building every team's scorecard is most of the company dashboard's and the scorecard table's time (10,000
KPI lines at 500 teams, 100,000 at 5,000), and every executive who opens them between two changes gets the
same figures. `remembered` keeps a build's result in Django's cache with the data's generation: the sum of
`DataChange.weight`, which a statement-level trigger on every culture table raises once per writing
transaction, and the largest transaction id among those rows. Commits that touch culture data, whatever
writes them (the ORM, an import's COPY, raw SQL, the admin), move the generation; nothing else does.

Why this cannot serve stale figures:
- A result is served only to a reader at the very generation it was stored at. The generation is counted in
  the same transaction as the data: a reader that sees a commit's change row also sees its data, so a
  result is never stored with a generation newer than the data it was built from.
- The generation is read again after building; if it moved meanwhile (the reader's later queries may have
  seen a newer commit than its first), the result is not stored.
- Inside a transaction block (`atomic`), which may have written rows it has not committed, nothing is read
  or stored; nor in a transaction that has a transaction id (it wrote something) by other means. Web
  requests run in autocommit, where every query is its own transaction; tests inside `TestCase`
  transactions are uncached and count no extra query.
- The key carries a digest of the culture code, the database and (unless the result holds no text) the
  active language, so a deploy, another database or a language never reads another's entries.

SQLite (the embedded default) has no statement-level triggers; there every build is computed, as before.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections
from django.utils.translation import get_language

logger = logging.getLogger(__name__)

T = TypeVar("T")
CHANGE_TABLE = "culture_datachange"
TRIGGER_SUFFIX = "_counted"

# Once per transaction (a transaction-local setting remembers it; a rolled-back savepoint forgets it too).
COUNT_FUNCTION = """
CREATE OR REPLACE FUNCTION culture_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('centric.culture_changed', true) IS DISTINCT FROM 'y' THEN
        INSERT INTO culture_datachange (weight, xact) VALUES (1, pg_current_xact_id()::text::bigint);
        PERFORM set_config('centric.culture_changed', 'y', true);
    END IF;
    RETURN NULL;
END $$;
"""


def culture_tables() -> list[str]:
    """Every table of the culture app (many-to-many tables included) but the change count itself."""
    tables = set()
    for model in apps.get_app_config("culture").get_models(include_auto_created=True):
        tables.add(model._meta.db_table)
    tables.discard(CHANGE_TABLE)
    return sorted(tables)


def install_change_triggers(sender: object = None, using: str = "default", **_signal: object) -> list[str]:
    """Create the counting trigger on every culture table lacking it (PostgreSQL); run after each migrate
    (once, for the culture app), so a table added later is counted too. Returns the tables it was added to."""
    db = connections[using]
    if db.vendor != "postgresql" or getattr(sender, "label", "culture") != "culture":
        return []
    with db.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [CHANGE_TABLE])
        if not cursor.fetchone()[0]:
            return []  # culture not migrated yet
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND t.tgname = c.relname || %s AND c.relnamespace = 'public'::regnamespace",
            [TRIGGER_SUFFIX],
        )
        counted = {name for (name,) in cursor.fetchall()}
        cursor.execute("SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace")
        existing = {name for (name,) in cursor.fetchall()}
        missing = [table for table in culture_tables() if table in existing and table not in counted]
        if missing:
            cursor.execute(COUNT_FUNCTION)
        for table in missing:
            quoted = db.ops.quote_name(table)
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {db.ops.quote_name(table + TRIGGER_SUFFIX)} "
                f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {quoted} "
                "FOR EACH STATEMENT EXECUTE FUNCTION culture_count_change()"
            )
    return missing


def remembering() -> bool:
    """Whether builds are remembered at all: on PostgreSQL, unless CENTRIC_SCORECARD_CACHE_SECONDS is 0."""
    return bool(settings.CENTRIC_SCORECARD_CACHE_SECONDS) and connection.vendor == "postgresql"


def generation() -> tuple[int, int] | None:
    """The culture data's generation as this transaction sees it; None where nothing may be remembered (not
    PostgreSQL, inside a transaction block, or in a transaction that has written something)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(weight), 0), coalesce(max(xact), 0), pg_current_xact_id_if_assigned() IS NULL "
            "FROM culture_datachange"
        )
        total, last, clean = cursor.fetchone()
    return (int(total), int(last)) if clean else None


@lru_cache(maxsize=1)
def code_version() -> str:
    """A digest of the culture app's and the sums' source: a deploy that changes them reads fresh entries."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    sources: Iterable[Path] = sorted([*root.rglob("*.py"), root.parent / "core" / "aggregates.py"])
    for path in sources:
        if "migrations" not in path.parts:
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _key(parts: object, per_language: bool) -> str:
    where = tuple(connection.settings_dict.get(name) for name in ("HOST", "PORT", "NAME"))
    language = get_language() if per_language else None
    raw = repr((code_version(), where, language, parts)).encode()
    return "culture:scorecards:" + hashlib.sha256(raw).hexdigest()


def remembered(parts: object, compute: Callable[[], T], *, per_language: bool = True) -> T:
    """`compute()`, or its result remembered under `parts` (a value with a stable repr naming what is
    computed) if it was stored at the current generation. `per_language=False` shares one entry between the
    languages, for results that hold no text (ids, counts, codes).

    One entry per `parts`, holding its generation beside the result: a newer build replaces it, so the cache
    holds one result per page and period, not one per change (a 5,000-team build is tens of megabytes)."""
    at = generation() if remembering() else None
    if at is None:
        return compute()
    key = _key(parts, per_language)
    try:
        found = cache.get(key)
    except Exception:  # a cache outage costs speed, never the page
        logger.warning("scorecard cache unavailable; computing", exc_info=True)
        return compute()
    if found is not None and found[0] == at:
        return found[1]
    value = compute()
    if generation() == at:
        try:
            cache.set(key, (at, value), settings.CENTRIC_SCORECARD_CACHE_SECONDS)
        except Exception:
            logger.warning("scorecard cache unavailable; not stored", exc_info=True)
    return value


def fold_changes() -> int:
    """Fold the change rows into one with their summed weight and largest transaction id, so the
    generation stays what it was and reading it stays one small scan. Returns the rows folded."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH gone AS (DELETE FROM culture_datachange RETURNING weight, xact), "
            "folded AS (INSERT INTO culture_datachange (weight, xact) "
            "SELECT sum(weight), max(xact) FROM gone HAVING count(*) > 0) "
            "SELECT count(*) FROM gone"
        )
        return int(cursor.fetchone()[0])
