"""`make backup` and `make restore`: the database (pg_dump custom format) and every stored file.

Files are read and written through Django's storage API, so the local disk and an S3 bucket
(CENTRIC_STORAGE=s3) are backed up the same way. A backup is one folder:

    database.dump    pg_dump --format=custom of DATABASE_URL
    media/<name>     every file of the default storage, under its storage name
    manifest.json    sha256 of each file and of the dump, and the row count of every table

    .venv/bin/python -m deploy.backup backup [--dir backups/<UTC timestamp>]
    .venv/bin/python -m deploy.backup restore DIR --database-url postgres://... [--force]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"


class BackupError(Exception):
    pass


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def row_counts(connection: psycopg.Connection) -> dict[str, int]:
    """Rows per table of the public schema, read in the connection's current transaction."""
    tables = [
        name
        for (name,) in connection.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        ).fetchall()
    ]
    counts: dict[str, int] = {}
    for table in tables:
        query = sql.SQL("SELECT count(*) FROM public.{}").format(sql.Identifier(table))
        counts[table] = connection.execute(query).fetchone()[0]
    return counts


def storage_names(storage, folder: str = "") -> Iterator[str]:
    """Every file name in the storage, depth first; listdir works for the local disk and for S3."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:  # a local storage that has never stored a file has no folder yet
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for directory in sorted(directories):
        yield from storage_names(storage, f"{folder}/{directory}" if folder else directory)


def backup(database_url: str, target: Path) -> dict:
    """Dump the database and copy every stored file into `target`; returns the manifest written there."""
    _django()
    from django.core.files.storage import default_storage

    target.mkdir(parents=True, exist_ok=False)
    dump = target / DUMP
    # The row counts and the dump read one snapshot, so the manifest describes exactly what was dumped
    # even while the application keeps writing.
    with psycopg.connect(database_url, autocommit=False) as connection:
        connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
        counts = row_counts(connection)
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}", f"--file={dump}", database_url],
            check=True,
            timeout=3600,
        )
        connection.rollback()
    files: dict[str, dict[str, object]] = {}
    for name in storage_names(default_storage):
        path = target / MEDIA / name
        path.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with default_storage.open(name, "rb") as source, path.open("wb") as copy:
            for chunk in iter(lambda: source.read(1 << 20), b""):
                digest.update(chunk)
                copy.write(chunk)
        files[name] = {"sha256": digest.hexdigest(), "bytes": path.stat().st_size}
    manifest = {
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": {"file": DUMP, "sha256": sha256_file(dump), "row_counts": counts},
        "files": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def restore(source: Path, database_url: str, *, force: bool) -> list[str]:
    """Restore the dump into `database_url` and write the files back; returns the differences found (none: [])."""
    manifest = json.loads((source / MANIFEST).read_text())
    dump = source / DUMP
    if sha256_file(dump) != manifest["database"]["sha256"]:
        raise BackupError(f"{dump} does not match the manifest's hash")
    for name, entry in manifest["files"].items():
        if sha256_file(source / MEDIA / name) != entry["sha256"]:
            raise BackupError(f"{source / MEDIA / name} does not match the manifest's hash")
    with psycopg.connect(database_url, autocommit=True) as connection:
        tables = connection.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]
    if tables and not force:
        raise BackupError(f"the target database has {tables} tables; restore into an empty one, or pass --force")
    command = ["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", f"--dbname={database_url}"]
    if tables:
        command += ["--clean", "--if-exists"]
    subprocess.run([*command, str(dump)], check=True, timeout=3600)

    _django()
    from django.core.files.base import File
    from django.core.files.storage import default_storage

    problems: list[str] = []
    for name, entry in manifest["files"].items():
        if default_storage.exists(name):
            default_storage.delete(name)  # restore the exact name: storage.save would pick a new one otherwise
        with (source / MEDIA / name).open("rb") as stream:
            saved = default_storage.save(name, File(stream, name=name))
        if saved != name:
            problems.append(f"file {name} was stored as {saved}")
            continue
        digest = hashlib.sha256()
        with default_storage.open(name, "rb") as written:
            for chunk in iter(lambda: written.read(1 << 20), b""):
                digest.update(chunk)
        if digest.hexdigest() != entry["sha256"]:
            problems.append(f"file {name}: sha256 {digest.hexdigest()} after restore, {entry['sha256']} backed up")
    with psycopg.connect(database_url, autocommit=True) as connection:
        restored = row_counts(connection)
    for table, count in manifest["database"]["row_counts"].items():
        if restored.get(table) != count:
            problems.append(f"table {table}: {restored.get(table)} rows after restore, {count} backed up")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("backup", help="dump DATABASE_URL and the stored files into a dated folder")
    make.add_argument("--dir", type=Path, default=None, help="the backup folder (default backups/<UTC timestamp>)")
    back = commands.add_parser("restore", help="restore a backup folder into an empty database and the storage")
    back.add_argument("source", type=Path, help="a folder written by `backup`")
    back.add_argument("--database-url", required=True, help="the database to restore into (postgres://...)")
    back.add_argument("--force", action="store_true", help="replace the tables of a non-empty database")
    args = parser.parse_args(argv)
    try:
        if args.command == "backup":
            database_url = os.environ.get("DATABASE_URL", "")
            if not database_url.startswith(("postgres://", "postgresql://")):
                raise BackupError("DATABASE_URL must name the PostgreSQL database to back up")
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
            target = args.dir or ROOT / "backups" / stamp
            manifest = backup(database_url, target)
            print(
                f"backed up {len(manifest['database']['row_counts'])} tables and "
                f"{len(manifest['files'])} files to {target}"
            )
            return 0
        problems = restore(args.source, args.database_url, force=args.force)
    except (BackupError, subprocess.CalledProcessError, psycopg.Error) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    for problem in problems:
        print(f"mismatch: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"restored {args.source} into the database and the storage; row counts and file hashes match")
    return 0


if __name__ == "__main__":
    sys.exit(main())
