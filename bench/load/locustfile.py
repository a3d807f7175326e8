"""Locust users for the load test: a CCO and a team lead browsing the pages they use most.

Run through `bench/load/run_load.py`, which starts gunicorn on loopback and steps the request rate.
Each user sends one request per second (constant throughput), so the offered rate equals the user count.
"""

from __future__ import annotations

import os
import re

from locust import HttpUser, constant_throughput, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "centric-demo")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# (stats name, path) per role; every path must answer 200 for that role.
CCO_PAGES = [
    ("dashboard", "/culture/scorecards/"),
    ("team scorecard", "/culture/scorecards/teams/contact-centre-amsterdam/"),
    ("department scorecard", "/culture/scorecards/departments/contact-centre/"),
    ("scorecard table", "/culture/scorecards/teams/"),
    ("teams list", "/culture/teams/?sort=-member_count"),
    ("people list", "/culture/people/?page=3"),
    ("measurements list", "/culture/measurements/"),
    ("candidates list", "/hiring/candidates/"),
    ("report archive", "/reports/"),
]
LEAD_PAGES = [
    ("team scorecard", "/culture/scorecards/teams/contact-centre-amsterdam/"),
    ("teams list", "/culture/teams/"),
    ("people list", "/culture/people/"),
    ("measurements list", "/culture/measurements/"),
]


class LoggedInUser(HttpUser):
    abstract = True
    wait_time = constant_throughput(1)
    email = ""
    pages: list[tuple[str, str]] = []

    def on_start(self) -> None:
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

    @task
    def browse(self) -> None:
        name, path = self.pages[self.index % len(self.pages)]
        self.index += 1
        self.client.get(path, name=name)


class CcoUser(LoggedInUser):
    weight = 1
    email = "cco@centric.demo"
    pages = CCO_PAGES


class LeadUser(LoggedInUser):
    weight = 2
    email = "lead@centric.demo"
    pages = LEAD_PAGES
