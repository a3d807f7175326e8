"""Locust users for the load test: a CCO and team leads browsing the pages they use most.

Run through `bench/load/run_load.py`, which starts gunicorn on loopback and steps the request rate.
Each user sends one request per second (constant throughput), so the offered rate equals the user count.
`LOAD_COMPANY` picks the company: `demo` (the 40-team demo, its demo logins) or `bench500` (the 500-team bench
company of `bench/load/company500.py`: each lead user logs in as the lead of a different team, spread over the
500, and the CCO's team scorecard moves through the teams the same way).
"""

from __future__ import annotations

import itertools
import os
import re

from locust import HttpUser, constant_throughput, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "centric-demo")
COMPANY = os.environ.get("LOAD_COMPANY", "demo")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# (stats name, path) per role; every path must answer 200 for that role. On the demo company `{team}` is the
# first team; the pages read the default period (the last month, open).
CCO_PAGES = [
    ("dashboard", "/culture/scorecards/"),
    ("team scorecard", "/culture/scorecards/teams/{team}/"),
    ("department scorecard", "/culture/scorecards/departments/{department}/"),
    ("scorecard table", "/culture/scorecards/teams/"),
    ("teams list", "/culture/teams/?sort=-member_count"),
    ("people list", "/culture/people/?page=3"),
    ("measurements list", "/culture/measurements/"),
    ("candidates list", "/hiring/candidates/"),
    ("report archive", "/reports/"),
]
LEAD_PAGES = [
    ("team scorecard", "/culture/scorecards/teams/{team}/"),
    ("teams list", "/culture/teams/"),
    ("people list", "/culture/people/"),
    ("measurements list", "/culture/measurements/"),
]
# The bench company's data ends in 2025: its scorecard pages read the open month of company500.BROWSED_PERIOD.
BENCH_TEAMS = 500
BENCH_DEPARTMENTS = 20
BENCH_PERIOD = "2025-11"
# Successive users take teams 0, 193, 386, 79, ...: 193 is prime to 500, so 500 users see 500 different teams.
_next_user = itertools.count()


def _spread(number: int) -> int:
    return number * 193 % BENCH_TEAMS


def _bench_path(path: str, team: int) -> str:
    path = path.format(team=f"bench-team-{team:04d}", department=f"bench-dept-{team % BENCH_DEPARTMENTS}")
    if path.startswith("/culture/scorecards/"):
        path += ("&" if "?" in path else "?") + f"period={BENCH_PERIOD}"
    return path


def _demo_path(path: str) -> str:
    return path.format(team="contact-centre-amsterdam", department="contact-centre")


class LoggedInUser(HttpUser):
    abstract = True
    wait_time = constant_throughput(1)
    email = ""
    pages: list[tuple[str, str]] = []

    def on_start(self) -> None:
        self.paths = self.choose_paths()
        page = self.client.get("/accounts/login/", name="login page")
        token = CSRF.search(page.text).group(1)
        response = self.client.post(
            "/accounts/login/",
            {"login": self.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="login",
        )
        if response.url.rstrip("/").endswith("/accounts/login"):
            raise RuntimeError(f"could not log in as {self.email}")
        self.index = 0

    def choose_paths(self) -> list[tuple[str, str]]:
        """The login (`self.email`) and the pages to browse, per company."""
        raise NotImplementedError

    @task
    def browse(self) -> None:
        name, path = self.paths[self.index % len(self.paths)]
        self.index += 1
        self.client.get(path, name=name)


class CcoUser(LoggedInUser):
    weight = 1

    def choose_paths(self) -> list[tuple[str, str]]:
        if COMPANY == "bench500":
            self.email = "cco@centric.bench"
            team = _spread(next(_next_user))
            return [(name, _bench_path(path, team)) for name, path in CCO_PAGES]
        self.email = "cco@centric.demo"
        return [(name, _demo_path(path)) for name, path in CCO_PAGES]


class LeadUser(LoggedInUser):
    weight = 2

    def choose_paths(self) -> list[tuple[str, str]]:
        if COMPANY == "bench500":
            team = _spread(next(_next_user))
            self.email = f"lead-{team:04d}@centric.bench"
            return [(name, _bench_path(path, team)) for name, path in LEAD_PAGES]
        self.email = "lead@centric.demo"
        return [(name, _demo_path(path)) for name, path in LEAD_PAGES]
