"""Demo hiring data for `seed_demo`: the standard rubric, positions, ~60 candidates, interviews and reviews.

Candidates have a hidden true ability per competency; interviewers rate it with noise and a personal bias
(one lenient, one harsh), and 90-day reviews rate it again, so calibration and validity show real signal.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify

from culture.models import Membership, Team
from culture.org.demo import FIRST_NAMES, LAST_NAMES
from hiring.candidates.services import create_application, decide, hire, save_candidate
from hiring.interviews.services import (
    HIRE_REVIEW_AFTER_DAYS,
    RatingEntry,
    record_hire_review,
    schedule_interview,
    submit_scorecard,
)
from hiring.positions.services import save_position
from hiring.rubrics.services import install_standard_rubric
from users.models import User
from users.roles import Role, group_name

from .models import Application, Candidate, Position

POSITION_TITLES = ["Customer care agent", "Senior care agent", "Chat specialist", "Onboarding specialist"]
STAGE_MIX = (
    [Application.Stage.APPLIED] * 8
    + [Application.Stage.SCREENING] * 7
    + [Application.Stage.INTERVIEW] * 18
    + [Application.Stage.OFFER] * 5
    + [Application.Stage.HIRED] * 14
    + [Application.Stage.REJECTED] * 6
    + [Application.Stage.WITHDRAWN] * 2
)
EVIDENCE = {
    1: ["No example of {} at all; answered in generalities."],
    2: ["A thin example of {}; needed prompting for what they did."],
    3: ["A clear example of {} with their own actions, modest outcome."],
    4: ["Two concrete examples of {}; described the customer's outcome."],
    5: ["Vivid examples of {} with measurable results and lessons learned."],
}
PASSED_INTERVIEW = {Application.Stage.OFFER, Application.Stage.HIRED, Application.Stage.REJECTED}
# (months before the current one, day of the month) of the first hires: seed_demo keeps the previous month open
# and closes the ones before it, so the last two closed months' board reports have hires to show.
RECENT_HIRES = ((2, 8), (2, 19), (3, 14))
HIRE_AFTER_APPLYING = 30  # days, for those hires (the interview falls in the first 19 days after applying)


def _recent_hire_days(today: dt.date) -> list[dt.date]:
    days = []
    for back, day in RECENT_HIRES:
        year, month = today.year, today.month - back
        while month < 1:
            year, month = year - 1, month + 12
        days.append(dt.date(year, month, day))
    return days


@dataclass(frozen=True)
class DemoHiring:
    positions: list[Position]
    candidates: list[Candidate]
    interviewers: list[User]


def _panel_logins(teams: list[Team], password: str) -> list[User]:
    """Four employees of the first teams get logins to interview (panel1..4@centric.demo)."""
    group = Group.objects.get(name=group_name(Role.EMPLOYEE))
    free = (
        Membership.objects.current()
        .filter(team__in=teams[:2], role=Membership.Role.MEMBER, person__user__isnull=True)
        .select_related("person")
    )
    users = []
    for index, membership in enumerate(free[:4], start=1):
        user = User.objects.create_user(
            email=f"panel{index}@centric.demo", password=password, name=membership.person.name
        )
        user.groups.add(group)
        membership.person.user = user
        membership.person.save(update_fields=["user"])
        users.append(user)
    return users


def _rate(rng: random.Random, ability: float, bias: float, noise: float) -> int:
    return max(1, min(5, round(ability + bias + rng.gauss(0, noise))))


def seed_hiring(
    *,
    rng: random.Random,
    teams: list[Team],
    recruiter: User,
    leads: list[User],
    employees: list[User],
    password: str,
    candidate_count: int = 60,
    today: dt.date | None = None,
) -> DemoHiring:
    today = today or timezone.localdate()
    version = install_standard_rubric(actor=recruiter)
    competencies = list(version.competencies.all())
    pool = [*_panel_logins(teams, password), *employees, *leads]
    biases = {user.pk: 0.0 for user in pool}
    if len(pool) >= 2:
        biases[pool[0].pk], biases[pool[1].pk] = 0.6, -0.6  # one lenient and one harsh interviewer

    positions = []
    for index, team in enumerate(teams[: len(POSITION_TITLES)]):
        manager = leads[index] if index < len(leads) else recruiter
        panel = [pool[(index + offset) % len(pool)] for offset in range(min(3, len(pool)))]
        positions.append(
            save_position(
                actor=recruiter,
                data={
                    "title": POSITION_TITLES[index],
                    "team": team,
                    "rubric_version": version,
                    "bar_score": 60,
                    "hiring_manager": manager,
                    "opened_on": today - dt.timedelta(days=360 - 40 * index),
                    "status": Position.Status.OPEN,
                },
                interviewers=[u for u in panel if u != manager] + ([manager] if manager != recruiter else []),
            )
        )

    candidates = []
    recent_hires = _recent_hire_days(today)
    for number in range(candidate_count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        expired = number % 20 == 19  # a few are past retention: the nightly job will anonymise them
        candidate = save_candidate(
            actor=recruiter,
            data={
                "name": f"{first} {last}",
                "email": f"{slugify(first)}.{slugify(last)}.{number}@candidates.example",
                "phone": f"+31 6 {rng.randint(10000000, 99999999)}",
                "source": rng.choice(Candidate.Source.values),
                "has_consent": rng.random() < 0.8,
                "notes": "",
            },
            today=today - dt.timedelta(days=rng.randint(0, 200)),
        )
        candidates.append(candidate)
        position = positions[number % len(positions)]
        stage = STAGE_MIX[number % len(STAGE_MIX)]
        hire_day = recent_hires.pop(0) if stage == Application.Stage.HIRED and recent_hires else None
        _seed_application(rng, candidate, position, stage, competencies, biases, recruiter, today, hire_day)
        if expired:
            Candidate.objects.filter(pk=candidate.pk).update(retain_until=today - dt.timedelta(days=1))
    return DemoHiring(positions=positions, candidates=candidates, interviewers=pool)


def _seed_application(
    rng, candidate, position, stage, competencies, biases, recruiter, today, hire_day: dt.date | None = None
) -> None:
    """One application taken to `stage`; `hire_day` fixes the day of a hire (the same random draws are taken
    in the same order either way, so the rest of the demo does not reshuffle)."""
    applied_on = today - dt.timedelta(
        days=rng.randint(100, 330) if stage == Application.Stage.HIRED else rng.randint(5, 90)
    )
    if hire_day is not None:
        applied_on = hire_day - dt.timedelta(days=HIRE_AFTER_APPLYING)
    application = create_application(actor=recruiter, candidate=candidate, position=position, applied_on=applied_on)
    ability = rng.gauss(3.2, 0.7)
    abilities = {c.pk: ability + rng.gauss(0, 0.5) for c in competencies}
    path = [Application.Stage.SCREENING, Application.Stage.INTERVIEW]
    if stage in (Application.Stage.APPLIED, Application.Stage.SCREENING):
        path = path[: [Application.Stage.APPLIED, Application.Stage.SCREENING].index(stage)]
    for step in path:
        decide(actor=recruiter, application=application, to_stage=step, reason=f"Moved on to {step} after review")
    if stage in (Application.Stage.APPLIED, Application.Stage.SCREENING):
        return
    if stage == Application.Stage.WITHDRAWN:
        decide(actor=recruiter, application=application, to_stage=stage, reason="Candidate took another offer")
        return
    days_since = (timezone.localdate() - applied_on).days
    panel = list(position.interviewers.all())
    interviewers = rng.sample(panel, k=min(len(panel), rng.choice([2, 3])))
    interview = schedule_interview(
        actor=recruiter,
        application=application,
        # after applying, before today and before a hire (20+ days after applying); one draw as before,
        # so the seeded demo keeps its lenient and harsh interviewers
        scheduled_at=timezone.now()
        - dt.timedelta(days=max(min(rng.randint(1, 60), days_since - 1), days_since - 19, 0)),
        interviewers=interviewers,
    )
    for index, interviewer in enumerate(interviewers):
        if stage == Application.Stage.INTERVIEW and index == len(interviewers) - 1 and rng.random() < 0.5:
            continue  # this interviewer has not submitted yet: they see nothing of the others
        ratings = {}
        for c in competencies:
            rating = None if rng.random() < 0.08 else _rate(rng, abilities[c.pk], biases.get(interviewer.pk, 0), 0.4)
            evidence = rng.choice(EVIDENCE[rating]) if rating else ""
            ratings[c.pk] = RatingEntry(rating=rating, evidence=evidence.format(c.name.lower()))
        if all(entry.rating is None for entry in ratings.values()):
            ratings[competencies[0].pk] = RatingEntry(rating=3, evidence="Example given.")
        mean = sum(e.rating for e in ratings.values() if e.rating) / sum(1 for e in ratings.values() if e.rating)
        recommendation = "strong_yes" if mean >= 4.2 else "yes" if mean >= 3.2 else "no" if mean >= 2.2 else "strong_no"
        submit_scorecard(interviewer=interviewer, interview=interview, recommendation=recommendation, ratings=ratings)
    if stage not in PASSED_INTERVIEW:
        return
    if stage == Application.Stage.REJECTED:
        decide(actor=recruiter, application=application, to_stage=stage, reason="Panel found service gaps")
        return
    # Some demo offers sit below the bar on purpose: the comparison shows their written reason.
    exception = "Strong trial shift; the panel's doubts were about product knowledge we train"
    decide(
        actor=recruiter,
        application=application,
        to_stage=Application.Stage.OFFER,
        reason="Strong panel",
        exception_reason=exception,
    )
    if stage == Application.Stage.OFFER:
        return
    gap = rng.randint(20, 40)  # days from applying to the hire (drawn here, as always)
    hired_on = hire_day if hire_day is not None else applied_on + dt.timedelta(days=gap)
    # The Hire action's one service: the decision, the person with a member spell in the position's team from
    # their first day, and the 90-day review scheduled (a plain decision left demo hires outside every team).
    # Numbered in seeding order, not by the application's id: ids depend on the database (PostgreSQL does not
    # reuse them after a flush), and the same seed must give the same company.
    number = Application.objects.filter(stage=Application.Stage.HIRED).count() + 1
    hire(
        actor=recruiter,
        application=application,
        reason="Offer accepted",
        starts_on=hired_on,
        email=f"{slugify(candidate.name).replace('-', '.')}.h{number}@example.com",
        employee_number=f"H{number:03d}",
        exception_reason=exception,
        today=hired_on,
    )
    if (today - hired_on).days >= HIRE_REVIEW_AFTER_DAYS:
        record_hire_review(
            actor=position.hiring_manager,
            application=application,
            ratings={c.pk: _rate(rng, abilities[c.pk], 0, 0.7) for c in competencies},
            today=min(today, hired_on + dt.timedelta(days=HIRE_REVIEW_AFTER_DAYS + rng.randint(0, 20))),
        )
