"""The production layout on loopback, for `make prod-smoke` and the backup round trip.

A scratch PostgreSQL database, a private Redis database, moto's S3-compatible server, and the production
settings pointed at them; gunicorn, a Celery worker and beat started as the systemd units start them
(deploy/systemd/). Everything is bounded in time and stopped by `Stack.stop()`.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
PG = "postgres://postgres@127.0.0.1:5432"
S3_KEY, S3_SECRET = "smoke-key", "smoke-secret"
# What a collected static tree is made of: our files, Bootstrap, the pinned packages' own static files, and the
# storage settings that post-process them.
STATIC_SOURCES = (
    "static",
    "node_modules/bootstrap/dist",
    "requirements.txt",
    "config/settings/base.py",
    "config/settings/production.py",
)
STATIC_CACHE = ROOT / ".cache" / "staticfiles"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def psql(sql: str, database: str = "postgres") -> str:
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-tAqc", sql],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()


def recreate_database(name: str) -> None:
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{name}"')


def drop_database(name: str) -> None:
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_env(*, database: str, redis_db: int, s3_endpoint: str, bucket: str, host: str) -> dict[str, str]:
    """The production settings' environment, as /etc/centric/centric.env holds it (docs/deployment.md)."""
    redis = f"redis://127.0.0.1:6379/{redis_db}"
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CENTRIC_", "SENTRY_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": host,
        # No TLS proxy on loopback: the client sends X-Forwarded-Proto: https as the proxy would.
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"{PG}/{database}",
        "REDIS_URL": redis,
        "CELERY_BROKER_URL": redis,
        "CENTRIC_STORAGE": "s3",
        "CENTRIC_S3_BUCKET": bucket,
        "CENTRIC_S3_ENDPOINT_URL": s3_endpoint,
        "CENTRIC_S3_ACCESS_KEY": S3_KEY,
        "CENTRIC_S3_SECRET_KEY": S3_SECRET,
        "CENTRIC_S3_REGION": "us-east-1",
        "CENTRIC_HEARTBEAT_EVERY_SECONDS": "2",
        "CENTRIC_LOG_FORMAT": "json",
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


def s3_client(endpoint: str):
    import boto3

    return boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id=S3_KEY, aws_secret_access_key=S3_SECRET, region_name="us-east-1"
    )


def wait_for_http(url: str, seconds: float, headers: dict[str, str] | None = None) -> float:
    """Poll until `url` answers 200; returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        try:
            request = urllib.request.Request(url, headers=headers or {})  # noqa: S310  # loopback only
            with urllib.request.urlopen(request, timeout=3) as response:  # noqa: S310
                if response.status == 200:
                    return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer 200 within {seconds:.0f}s")


class Stack:
    """Started processes, stopped in reverse order (TERM, then KILL after a grace period)."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.processes: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = (self.workdir / f"{name}.log").open("wb")
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes.append((name, process))
        return process

    def start_moto(self) -> str:
        port = free_port()
        self.start("moto", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)], dict(os.environ))
        wait_for_http(f"http://127.0.0.1:{port}/moto-api/", 30)
        return f"http://127.0.0.1:{port}"

    def start_layout(self, env: dict[str, str], port: int) -> None:
        """gunicorn, a worker and beat, with the arguments of deploy/systemd/."""
        self.start(
            "web",
            [str(BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "60"],
            env,
        )
        self.start(
            "worker",
            [str(BIN / "celery"), "-A", "config", "worker", "--concurrency", "1", "--hostname", "smoke@%h"],
            env,
        )
        schedule = str(self.workdir / "beat-schedule")
        self.start("beat", [str(BIN / "celery"), "-A", "config", "beat", "--schedule", schedule], env)

    def check_alive(self) -> None:
        for name, process in self.processes:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}:\n{self.tail(name)}")

    def tail(self, name: str, lines: int = 30) -> str:
        path = self.workdir / f"{name}.log"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def stop(self) -> None:
        for _, process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 15
        for _, process in reversed(self.processes):
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)
        self.processes.clear()


def manage(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return result.stdout


def static_key() -> str:
    """A hash of every static source (paths and contents): equal keys collect to equal trees."""
    digest = hashlib.sha256()
    for source in STATIC_SOURCES:
        path = ROOT / source
        if not path.exists():
            digest.update(f"{source}\0absent\0".encode())
            continue
        for file in sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]:
            digest.update(f"{file.relative_to(ROOT)}\0{file.stat().st_size}\0".encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def collected_static(env: dict[str, str], *, reuse: bool = True) -> tuple[Path, bool]:
    """A collectstatic tree (production storage: hashed, compressed) for the current sources, and whether an
    earlier one was reused. A new tree is collected beside the cache and renamed in when complete, so an
    interrupted run never leaves a half tree to be reused; older trees are removed."""
    key = static_key()
    tree = STATIC_CACHE / key
    if reuse and (tree / "staticfiles.json").exists():
        return tree, True
    partial = STATIC_CACHE / f"{key}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    manage({**env, "DJANGO_STATIC_ROOT": str(partial)}, "collectstatic", "--noinput", "-v0", timeout=600)
    for old in STATIC_CACHE.iterdir():
        if old != partial:
            shutil.rmtree(old, ignore_errors=True)
    partial.rename(tree)
    return tree, False
