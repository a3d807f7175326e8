"""The environment a production process gets, for tests that start one in a subprocess."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-with-enough-entropy-0123456789",
    "DJANGO_ALLOWED_HOSTS": "centric.example.com",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "DATABASE_URL": "postgres://centric@127.0.0.1:5432/centric",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/1",
}


def run_python(code: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """Runs `code` (or manage.py `args`) in a fresh interpreter with only `env` on top of a clean base."""
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "CELERY_", "REDIS_")) and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    command = [sys.executable, *args] if args else [sys.executable, "-c", code]
    return subprocess.run(command, cwd=ROOT, env={**inherited, **env}, capture_output=True, text=True, timeout=120)
