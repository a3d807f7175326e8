"""Fill an empty database with a deterministic demo company and one login per role."""

from __future__ import annotations

import datetime as dt
import random
import time

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from culture.measurements.demo import seed_measurements
from culture.models import Membership, Person, Team
from culture.org.demo import seed_org
from culture.pulse.demo import seed_pulses
from culture.recognition.demo import seed_alignment
from culture.scorecards import parse_period, shift_period
from culture.scorecards.demo import seed_scorecards
from hiring.demo import seed_hiring
from incentives.demo import approve_spent_runs, prepare_spent_runs, seed_plans
from reports.demo import seed_value_model
from users.models import User
from users.roles import Role, group_name

DEMO_PASSWORD = "centric-demo"


class Command(BaseCommand):
    help = "Create a demo company: departments, ~40 teams, ~400 people, and a login for each role."

    def add_arguments(self, parser):
        parser.add_argument("--teams", type=int, default=40, help="number of teams (default 40)")
        parser.add_argument("--people-per-team", type=int, default=10, help="people per team (default 10)")
        parser.add_argument("--months", type=int, default=24, help="months of history (default 24)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed; the same seed gives the same company")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when the database already has teams")
        parser.add_argument("--no-measurements", action="store_true", help="only the org and logins, no KPI history")

    def handle(self, *args, teams: int, people_per_team: int, months: int, seed: int, if_empty: bool, **options):
        started = time.perf_counter()
        if teams < 2 or people_per_team < 2 or months < 1:
            raise CommandError("--teams and --people-per-team must be at least 2 and --months at least 1.")
        if Team.objects.exists():
            if if_empty:
                self.stdout.write("The database already has data; demo seeding skipped.")
                self._print_logins()
                return
            raise CommandError("The database already has teams. Run `manage.py flush` first, or pass --if-empty.")
        rng = random.Random(seed)
        today = timezone.localdate()
        history_start = (today.replace(day=1) - dt.timedelta(days=30 * months)).replace(day=1)
        with transaction.atomic():
            org = seed_org(rng=rng, team_count=teams, people_per_team=people_per_team, history_start=history_start)
            self._create_logins(org.teams)
            measurements = 0
            if not options.get("no_measurements"):
                yesterday = today - dt.timedelta(days=1)
                team_ids = [team.pk for team in org.teams]
                measurements = seed_measurements(rng=rng, team_ids=team_ids, start=history_start, end=yesterday)
            logins = {user.email: user for user in User.objects.filter(email__endswith="@centric.demo")}
            hiring = seed_hiring(
                # its own stream: how many draws the measurements take (or skip) must not reshuffle the panel
                rng=random.Random(f"{seed}:hiring"),
                teams=org.teams,
                recruiter=logins["hr@centric.demo"],
                leads=[logins["lead@centric.demo"], logins["lead2@centric.demo"]],
                employees=[logins["employee@centric.demo"]],
                password=DEMO_PASSWORD,
                today=today,
            )
            # The CCO's prices, entered once on the first scorecard month (carried forward), before it is closed.
            this_month = parse_period(f"{today.year}-{today.month:02d}")
            first_month = shift_period(this_month, -min(months, 12)).code
            seed_value_model(first_month=first_month, actor=logins["cco@centric.demo"])
            # Scorecards come last: they set targets from, and close periods over, the seeded measurements. The cash
            # bonus of the two months before last is calculated just before they close, so the close freezes its spend.
            spent: list = []
            cards = seed_scorecards(
                rng=rng,
                teams=org.teams,
                today=today,
                months=min(months, 12),
                actor=logins["cco@centric.demo"],
                before_close=lambda closing: spent.extend(
                    prepare_spent_runs(today=today, preparer=logins["cco@centric.demo"], closing=closing)
                ),
            )
            # Pulses follow each team's customer NPS of the quarter before, with noise (no measurements: noise only).
            pulses = seed_pulses(
                rng=random.Random(f"{seed}:pulse"), teams=org.teams, today=today, actor=logins["cco@centric.demo"]
            )
            # Open actions on the demo lead's and employee's homes, and recognition between colleagues.
            alignment = seed_alignment(
                rng=random.Random(f"{seed}:alignment"),
                teams=org.teams,
                today=today,
                lead=logins["lead@centric.demo"],
                employee=logins["employee@centric.demo"],
                cco=logins["cco@centric.demo"],
            )
            # Plans compute a draft payout run over the scorecards just seeded.
            seed_plans(today=today, actor=logins["cco@centric.demo"])
            # Runs are approved only for closed periods: the finance approver approves (and pays the older) now.
            approve_spent_runs(spent, approver=logins["finance@centric.demo"])
            # Check deferred foreign keys now: it fails early on a bad row and leaves no pending trigger
            # events behind (PostgreSQL refuses to TRUNCATE, e.g. `flush`, while any are queued).
            connection.check_constraints()
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {len(org.teams)} teams, {len(org.people)} people and {measurements:,} daily measurements "
                f"in {time.perf_counter() - started:.1f} s."
            )
        )
        self.stdout.write(
            self.style.SUCCESS(f"Seeded {len(hiring.positions)} positions and {len(hiring.candidates)} candidates.")
        )
        closed = f", closed {cards.closed[0]} to {cards.closed[-1]}" if cards.closed else ""
        self.stdout.write(
            f"Scorecards: {cards.targets} targets over {cards.periods} months, {cards.reviews} reviews{closed}."
        )
        self.stdout.write(f"Pulses: {pulses.pulses} (one open now), {pulses.answers:,} anonymous answers.")
        self.stdout.write(
            f"Alignment: {alignment.actions} open actions added for the demo lead's team, "
            f"{alignment.recognitions} recognition stories."
        )
        self._print_logins()

    def _create_logins(self, teams: list[Team]) -> None:
        def login(email: str, name: str, role: Role | None, **extra) -> User:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, name=name, **extra)
            if role:
                user.groups.add(Group.objects.get(name=group_name(role)))
            return user

        login("cco@centric.demo", "Casey Chief (CCO)", Role.CCO)
        login("hr@centric.demo", "Harper Recruiter (HR)", Role.HR)
        login("finance@centric.demo", "Finley Finance (compensation approver)", Role.APPROVER)
        login("admin@centric.demo", "Ari Admin", Role.ADMIN, is_staff=True, is_superuser=True)
        # The demo lead and employee are real people of the first team, so their pages show real data.
        for email, role, team in (
            ("lead@centric.demo", Membership.Role.LEAD, teams[0]),
            ("lead2@centric.demo", Membership.Role.LEAD, teams[1]),
            ("employee@centric.demo", Membership.Role.MEMBER, teams[0]),
        ):
            membership = Membership.objects.current().filter(team=team, role=role, person__user__isnull=True).first()
            assert membership is not None, "the seeded teams have a lead and members without a login"
            person: Person = membership.person
            user = login(email, person.name, Role.LEAD if role == Membership.Role.LEAD else Role.EMPLOYEE)
            person.user = user
            person.save(update_fields=["user"])

    def _print_logins(self) -> None:
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        for email, what in (
            ("cco@centric.demo", "CCO / executive: everything"),
            ("hr@centric.demo", "HR recruiter: hiring"),
            ("finance@centric.demo", "compensation approver: approves payout runs"),
            ("lead@centric.demo", "team lead of the first team"),
            ("lead2@centric.demo", "team lead of the second team"),
            ("employee@centric.demo", "employee of the first team"),
            ("admin@centric.demo", "administrator: Django admin"),
            ("panel1@centric.demo", "employee on interview panels (also panel2-4)"),
        ):
            self.stdout.write(f"  {email:<24} {what}")
