"""`make prod-smoke`: the production layout on loopback, driven once end to end, then stopped.

Production settings; gunicorn, a Celery worker and beat; a scratch PostgreSQL database; a private Redis
database; moto's S3-compatible server as the file storage. It waits for /readyz, logs in as the CCO with a
TOTP second factor, imports a measurement file, builds a board report on the worker, downloads it from the
bucket, and stops everything. Fails (exit 1) on any step or past the time budget.

    .venv/bin/python -m deploy.smoke [--budget 180] [--fresh-static]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import re
import signal
import struct
import sys
import tempfile
import time
from pathlib import Path

import requests

from deploy.stack import (
    Stack,
    collected_static,
    drop_database,
    free_port,
    manage,
    production_env,
    recreate_database,
    s3_client,
)

DATABASE = "centric_prod_smoke"
REDIS_DB = 9
BUCKET = "centric-smoke"
EMAIL = "cco@centric.demo"

SETUP = """
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from culture.models import Team
from demo.management.commands.seed_demo import DEMO_PASSWORD
from users.models import User
user = User.objects.get(email="{email}")
secret = generate_totp_secret()
TOTP.activate(user, secret)
print("SMOKE", secret, DEMO_PASSWORD, Team.objects.order_by("slug").first().slug)
"""


def totp_code(secret: str) -> str:
    """The current code for a base32 TOTP secret (RFC 6238: SHA-1, 6 digits, 30 s), as allauth checks it."""
    if 30 - time.time() % 30 < 2:  # allauth accepts the current step only: never hand out an expiring code
        time.sleep(2)
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{value:06d}"


class Client:
    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()
        self.session.headers.update({"X-Forwarded-Proto": "https", "Origin": base.replace("http:", "https:")})

    def _cookies(self) -> dict[str, str]:
        # The client stands behind the (absent) TLS proxy: it sends the Secure cookies over loopback, which a
        # cookie jar refuses to do for an http:// URL.
        return {"Cookie": "; ".join(f"{cookie.name}={cookie.value}" for cookie in self.session.cookies)}

    def get(self, path: str, follow: bool = True) -> requests.Response:
        response = self.session.get(self.base + path, timeout=30, allow_redirects=False, headers=self._cookies())
        while follow and response.is_redirect:
            location = response.headers["Location"]
            response = self.session.get(
                self.base + location, timeout=30, allow_redirects=False, headers=self._cookies()
            )
        return response

    def post(self, path: str, data: dict, **kwargs) -> requests.Response:
        data = {"csrfmiddlewaretoken": self.session.cookies.get("csrftoken", ""), **data}
        return self.session.post(
            self.base + path, data=data, timeout=60, allow_redirects=False, headers=self._cookies(), **kwargs
        )


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise AssertionError(what)


def step(name: str, started: float) -> None:
    print(f"  {time.monotonic() - started:6.1f}s  {name}", flush=True)


def drive(base: str, secret: str, password: str, team: str, started: float) -> int:
    """Log in with the second factor, import, build a report on the worker, download it; returns its size."""
    client = Client(base)
    client.get("/accounts/login/")
    response = client.post("/accounts/login/", {"login": EMAIL, "password": password})
    expect(response.status_code == 302 and "2fa/authenticate" in response.headers["Location"], "password step")
    client.get(response.headers["Location"])
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)})
    expect(response.status_code == 302 and "/accounts/" not in response.headers["Location"], "second factor")
    expect(client.get("/", follow=False).status_code == 200, "home page after login")
    step("logged in with TOTP", started)

    client.get("/culture/imports/new/")
    csv = f"team,kpi,date,numerator,denominator\n{team},fcr,2026-04-01,4,5\n{team},fcr,2026-04-02,3,5\n"
    response = client.post(
        "/culture/imports/new/", {"kind": "measurements"}, files={"file": ("smoke.csv", csv.encode(), "text/csv")}
    )
    expect(response.status_code == 302 and "/imports/check/" in response.headers["Location"], "upload")
    preview = response.headers["Location"]
    expect(client.get(preview).status_code == 200, "preview")
    response = client.post(preview.rstrip("/") + "/confirm/", {})
    expect(response.status_code == 302, f"confirm import: {response.status_code}")
    history = client.get("/culture/imports/").text
    expect("smoke.csv" in history, "the import is in the history")
    step("imported a measurement file (pending upload through S3)", started)

    client.get("/reports/request/")
    response = client.post("/reports/request/", {"kind": "board_report", "board_report-period": "2026-04"})
    expect(response.status_code == 302, f"report request: {response.status_code}")
    match = re.search(r"/reports/(\d+)/", response.headers["Location"])
    expect(match is not None, "report page")
    report = match.group(1)
    deadline = time.monotonic() + 90
    status = ""
    while time.monotonic() < deadline:
        status = client.get(f"/reports/{report}/status.json").json()["status"]
        if status in {"done", "failed"}:
            break
        time.sleep(0.5)
    expect(status == "done", f"the worker built the report ({status})")
    step("board report built by the worker", started)
    response = client.get(f"/reports/{report}/download/")
    expect(response.status_code == 200 and response.content.startswith(b"%PDF"), "download")
    step(f"downloaded the PDF ({len(response.content)} bytes)", started)
    return len(response.content)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--budget", type=float, default=180.0, help="seconds for the whole run")
    parser.add_argument(
        "--fresh-static", action="store_true", help="collect static files even when a tree of the same sources exists"
    )
    args = parser.parse_args()
    # CI's `timeout` sends TERM: leave through the `finally` below, which stops the layout and drops the database.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(124))
    started = time.monotonic()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="centric-smoke-") as workdir:
        stack = Stack(Path(workdir))
        try:
            endpoint = stack.start_moto()
            s3_client(endpoint).create_bucket(Bucket=BUCKET)
            env = production_env(
                database=DATABASE, redis_db=REDIS_DB, s3_endpoint=endpoint, bucket=BUCKET, host="127.0.0.1"
            )
            recreate_database(DATABASE)
            import redis

            redis.Redis.from_url(env["REDIS_URL"]).flushdb()
            manage(env, "check", "--deploy")  # the SSL redirect warning is expected: no TLS proxy here
            manage(env, "migrate", "--noinput", "-v0")
            step("migrated", started)
            static_root, reused = collected_static(env, reuse=not args.fresh_static)
            env["DJANGO_STATIC_ROOT"] = str(static_root)
            step(f"static files {'reused (same sources)' if reused else 'collected'}: {static_root.name}", started)
            manage(env, "seed_demo", "--teams", "4", "--people-per-team", "4", "--months", "6")
            output = manage(env, "shell", "-c", SETUP.format(email=EMAIL))
            _, secret, password, team = next(line for line in output.splitlines() if line.startswith("SMOKE ")).split()
            step("database, bucket, Redis and static files ready", started)
            stack.start_layout(env, port)
            layout_started = time.monotonic()
            while True:
                stack.check_alive()
                try:
                    _ready(base, 3)
                    break
                except RuntimeError:
                    if time.monotonic() - layout_started > 90:
                        raise
            waited = time.monotonic() - layout_started
            step(f"/readyz 200 (database, cache, broker, worker, beat) after {waited:.1f}s", started)
            size = drive(base, secret, password, team, started)
            keys = [item["Key"] for item in s3_client(endpoint).list_objects_v2(Bucket=BUCKET).get("Contents", [])]
            expect(any(key.startswith("reports/board_report/") for key in keys), "the report is in the bucket")
            stack.check_alive()
        except Exception:
            for name in ("web", "worker", "beat"):
                print(f"--- {name} log\n{stack.tail(name)}", file=sys.stderr)
            raise
        finally:
            stack.stop()
            drop_database(DATABASE)
    elapsed = time.monotonic() - started
    print(f"prod-smoke passed in {elapsed:.1f}s (report {size} bytes, budget {args.budget:.0f}s)")
    return 0 if elapsed <= args.budget else 1


def _ready(base: str, seconds: float) -> float:
    from deploy.stack import wait_for_http

    return wait_for_http(f"{base}/readyz", seconds)


if __name__ == "__main__":
    sys.exit(main())
