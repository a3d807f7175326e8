"""Demo organisation for `seed_demo`: departments, teams, people and memberships, from a seeded RNG."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils.text import slugify

from ..models import Department, Membership, Person, Team

DEPARTMENTS: dict[str, list[str]] = {
    "Customer Care": ["Contact Centre", "Digital Care"],
    "Sales": ["Inside Sales", "Account Management"],
    "Customer Success": ["Onboarding", "Renewals"],
    "Operations": ["Field Service", "Billing and Collections"],
}
CITIES = ["Amsterdam", "Berlin", "Dublin", "Lisbon", "Lyon", "Madrid", "Milan", "Oslo", "Porto", "Prague", "Vienna"]
FIRST_NAMES = [
    "Ada",
    "Alex",
    "Amira",
    "Ana",
    "Ben",
    "Carla",
    "Chen",
    "Clara",
    "Daan",
    "Dario",
    "Elena",
    "Emil",
    "Eva",
    "Farah",
    "Felix",
    "Greta",
    "Hana",
    "Hugo",
    "Ines",
    "Ivan",
    "Jana",
    "Joao",
    "Jonas",
    "Julia",
    "Kai",
    "Karin",
    "Lars",
    "Lea",
    "Leo",
    "Lina",
    "Luca",
    "Maja",
    "Marek",
    "Maria",
    "Mila",
    "Nadia",
    "Nico",
    "Nora",
    "Omar",
    "Paula",
    "Pedro",
    "Rosa",
    "Sam",
    "Sara",
    "Sofia",
    "Tariq",
    "Tom",
    "Uma",
    "Vera",
    "Yusuf",
    "Zoe",
]
LAST_NAMES = [
    "Almeida",
    "Bakker",
    "Berg",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Hansen",
    "Ivanova",
    "Jansen",
    "Kowalski",
    "Larsen",
    "Lopez",
    "Martin",
    "Moreau",
    "Novak",
    "Olsen",
    "Petit",
    "Rossi",
    "Santos",
    "Schmidt",
    "Silva",
    "Sousa",
    "Svoboda",
    "Torres",
    "Visser",
    "Weber",
    "Wolf",
    "Young",
    "Zimmermann",
]


@dataclass(frozen=True)
class DemoOrg:
    teams: list[Team]
    people: list[Person]


def seed_org(*, rng: random.Random, team_count: int, people_per_team: int, history_start: dt.date) -> DemoOrg:
    """Create the org; about 5% of people moved team once during the history (for proration)."""
    departments = []
    for parent_name, children in DEPARTMENTS.items():
        parent = Department.objects.create(name=parent_name, slug=slugify(parent_name))
        for child in children:
            departments.append(Department.objects.create(name=child, slug=slugify(child), parent=parent))

    teams = []
    for index in range(team_count):
        department = departments[index % len(departments)]
        city = CITIES[(index // len(departments)) % len(CITIES)]
        round_ = index // (len(departments) * len(CITIES))
        name = f"{department.name} {city}" + (f" {round_ + 1}" if round_ else "")
        teams.append(Team(name=name, slug=slugify(name), department=department))
    teams = Team.objects.bulk_create(teams)

    people, memberships = [], []
    used_emails: set[str] = set()
    number = 1000
    for team in teams:
        for seat in range(people_per_team):
            number += 1
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            email = f"{slugify(name).replace('-', '.')}.{number}@example.com"
            used_emails.add(email)
            person = Person(name=name, email=email, employee_number=f"E{number}")
            people.append(person)
            start = history_start - dt.timedelta(days=rng.randint(0, 900))
            memberships.append((person, team, Membership.Role.LEAD if seat == 0 else Membership.Role.MEMBER, start))
    people = Person.objects.bulk_create(people)

    rows = []
    span = 600
    for person, team, role, start in memberships:
        moves = role == Membership.Role.MEMBER and rng.random() < 0.05
        if moves:
            moved_on = history_start + dt.timedelta(days=rng.randint(30, span))
            other = rng.choice([t for t in teams if t.department_id == team.department_id and t.pk != team.pk] or teams)
            rows.append(Membership(person=person, team=team, role=role, start=start, end=moved_on))
            rows.append(Membership(person=person, team=other, role=role, start=moved_on + dt.timedelta(days=1)))
        else:
            rows.append(Membership(person=person, team=team, role=role, start=start))
    Membership.objects.bulk_create(rows)
    return DemoOrg(teams=teams, people=people)
