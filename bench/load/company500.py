"""The 500-team bench company made browsable, for `run_load.py --company bench500`.

The measurements come from the scorecard bench's loader (`bench.bench_scorecards._load`: 500 teams x 20 KPIs x
365 days of `bench/datagen.py`, 3.65M rows by COPY, 2025-01-01 to 2025-12-31); this module adds what a real
company has for the pages to work:

- a lead with a login for every team (`lead-0000@centric.bench` ... `lead-0499@centric.bench`), three more
  members per team, one of them with an employee login (`member-0000@centric.bench` ...), and the CCO
  (`cco@centric.bench`); every login's password is `centric-demo` (the demo's);
- targets for the bench KPIs in 2025-10 (then closed, so its scorecards are frozen snapshots) and 2025-11 (open:
  the month the load test browses, as the demo's default is its last, open, month);
- the monthly rollups rebuilt (`manage.py rebuild_rollups`) when the COPY was reused rather than just loaded.

Loading takes minutes and is done once: when it finishes, the database is marked (`COMMENT ON DATABASE`), and a
marked database is reused as it is.

    .venv/bin/python bench/load/company500.py [--database centric_load_bench500]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MARKER = "centric load company bench500 v1"
DEFAULT_DATABASE = "centric_load_bench500"
PASSWORD = "centric-demo"  # noqa: S105 - the demo's public password, so the locustfile logs in alike on both
TEAMS = 500
MEMBERS_PER_TEAM = 3  # besides the lead
BROWSED_PERIOD = "2025-11"  # open
CLOSED_PERIOD = "2025-10"
MEMBERSHIP_START = dt.date(2024, 1, 1)
CCO_EMAIL = "cco@centric.bench"


def lead_email(team: int) -> str:
    return f"lead-{team:04d}@centric.bench"


def member_email(team: int) -> str:
    return f"member-{team:04d}@centric.bench"


def database_url(database: str) -> str:
    return f"postgres://postgres@127.0.0.1:5432/{database}"


def _marker(database: str) -> str | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [database])
        row = cursor.fetchone()
    return row[0] if row else None


def _set_marker(database: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"COMMENT ON DATABASE \"{database}\" IS '{MARKER}'")


def people(teams: int = TEAMS) -> int:
    """The CCO, and per bench team (the first `teams`) a lead (login), a member with an employee login and two
    without; returns the number of people."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import transaction

    from bench.datagen import team_slug
    from culture.models import Membership, Person, Team
    from users.models import User
    from users.roles import Role, group_name

    with transaction.atomic():
        # A re-run after an interrupted load starts the bench people afresh (the memberships cascade).
        Person.objects.filter(email__endswith="@people.centric.bench").delete()
        User.objects.filter(email__endswith="@centric.bench").delete()
        hashed = make_password(PASSWORD)  # hashed once: 1,000 logins share it
        groups = {role: Group.objects.get(name=group_name(role)) for role in (Role.CCO, Role.LEAD, Role.EMPLOYEE)}
        cco = User.objects.create(email=CCO_EMAIL, name="Casey Bench (CCO)", password=hashed)
        cco.groups.add(groups[Role.CCO])
        by_slug = Team.objects.filter(slug__startswith="bench-team-").in_bulk(field_name="slug")
        users, persons, memberships = [], [], []
        for index in range(teams):
            team = by_slug[team_slug(index)]
            lead = User(email=lead_email(index), name=f"Lee Lead {index:04d}", password=hashed)
            member = User(email=member_email(index), name=f"Mo Member {index:04d}", password=hashed)
            users += [lead, member]
            for seat in range(1 + MEMBERS_PER_TEAM):
                login = lead if seat == 0 else member if seat == 1 else None
                person = Person(
                    name=login.name if login else f"Pat Person {index:04d}-{seat}",
                    email=f"p-{index:04d}-{seat}@people.centric.bench",
                    employee_number=f"B{index:04d}{seat}",
                    user=login,
                )
                persons.append(person)
                role = Membership.Role.LEAD if seat == 0 else Membership.Role.MEMBER
                memberships.append(Membership(person=person, team=team, role=role, start=MEMBERSHIP_START))
        User.objects.bulk_create(users)
        Person.objects.bulk_create(persons)
        for membership in memberships:
            membership.person_id = membership.person.pk
        Membership.objects.bulk_create(memberships)
        through = User.groups.through
        through.objects.bulk_create(
            through(user_id=user.pk, group_id=groups[Role.LEAD if user.email.startswith("lead-") else Role.EMPLOYEE].pk)
            for user in users
        )
    return len(persons)


def periods(actor) -> None:
    """Targets (the scorecard bench's: 80 / 75 / 70 for every bench KPI) for the closed and the open month."""
    from bench.bench_scorecards import _targets
    from culture.models import Period
    from culture.scorecards.services import close_period

    for code in (CLOSED_PERIOD, BROWSED_PERIOD):
        period, _created = Period.objects.get_or_create_for_code(code)
        if not period.is_closed:
            _targets(code)
    if not Period.objects.get(code=CLOSED_PERIOD).is_closed:
        close_period(code=CLOSED_PERIOD, actor=actor, reason="bench company")


def prepare(database: str = DEFAULT_DATABASE) -> None:
    """Create, load and mark the database unless it is marked already. Sets up Django on it (local settings)."""
    os.environ["DATABASE_URL"] = database_url(database)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    from bench.bench_scorecards import _ensure_database

    _ensure_database(database_url(database))
    import django

    django.setup()
    import logging

    from django.core.management import call_command

    logging.disable(logging.INFO)
    if _marker(database) == MARKER:
        call_command("migrate", verbosity=0)  # a branch may bring migrations; the data stays
        print(f"{database}: the bench500 company is loaded already (marked); reused.")
        return

    from bench.bench_scorecards import _load
    from bench.datagen import BenchShape
    from users.models import User

    started = time.perf_counter()
    copied = _load(BenchShape(teams=TEAMS), reload=False)  # migrates; COPY and rollups unless already there
    print(f"{database}: measurements " + (f"loaded in {copied:.0f} s" if copied else "already there, reused"))
    if not copied:  # the COPY was reused: its rollups may predate a change, so rebuild them as an operator would
        call_command("rebuild_rollups", verbosity=0)
    count = people()
    periods(User.objects.get(email=CCO_EMAIL))
    _set_marker(database)
    print(
        f"{database}: bench500 company ready ({count} people, {2 * TEAMS + 1} logins, "
        f"{CLOSED_PERIOD} closed, {BROWSED_PERIOD} open) in {time.perf_counter() - started:.0f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    args = parser.parse_args()
    prepare(args.database)


if __name__ == "__main__":
    main()
