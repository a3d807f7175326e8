"""Demo alignment for `seed_demo`: open review actions on the demo lead's and employee's homes, and recognition
stories between colleagues (a few picked by the CCO for the board report). Every write goes through the
services (`submit_review`, `recognise`, `set_board_pick`), so the demo holds nothing the pages could not make.
Runs after the scorecards (the open month's reviews) are seeded."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from ..models import Membership, Period, Person, Recognition, Review, Team
from ..scorecards.actions import carried_kpi_codes
from ..scorecards.demo import ACTIONS
from ..scorecards.services import ActionInput, red_kpi_codes, submit_review
from .services import recognise, set_board_pick

STORIES = (
    "Stayed on the line until the customer's refund had actually arrived, instead of promising it would.",
    "Noticed three customers asking the same billing question and rewrote the help article that afternoon.",
    "Called a detractor back on a Saturday and turned the complaint into a renewal.",
    "Walked a new customer through the portal in their own language when the guide did not help.",
    "Took the customer's idea to the product team and told the customer when it shipped.",
    "Solved a delivery problem end to end instead of passing the ticket between three teams.",
)
EXTRA_ACTION_KPIS = ("csat", "fcr", "ces", "aht")  # an action on an amber or green KPI is allowed too
BOARD_PICKS = 2


@dataclass(frozen=True)
class DemoAlignment:
    actions: int
    recognitions: int


def seed_alignment(
    *, rng: random.Random, teams: list[Team], today: dt.date, lead, employee, cco, giving_teams: int = 6
) -> DemoAlignment:
    """Open actions for the demo lead's team (one the employee owns, overdue; one the lead owns, due in two
    weeks) in the open month's review, and two recognition stories in each of the first `giving_teams` teams."""
    actions = _open_actions(rng=rng, team=teams[0], today=today, lead=lead, employee=employee)
    recognitions = _recognitions(rng=rng, teams=teams[:giving_teams], cco=cco, lead=lead, employee=employee)
    for recognition in rng.sample(recognitions, min(BOARD_PICKS, len(recognitions))):
        set_board_pick(actor=cco, recognition_id=recognition.pk, picked=True)
    return DemoAlignment(actions=actions, recognitions=len(recognitions))


def _open_actions(*, rng: random.Random, team: Team, today: dt.date, lead, employee) -> int:
    """Adds two open actions to the team's review of the latest ended open month (kept with those it has)."""
    period = (
        Period.objects.filter(status=Period.Status.OPEN, kind=Period.Kind.MONTH, end__lt=today).order_by("-end").first()
    )
    if period is None:
        return 0
    review = Review.objects.filter(team=team, period=period).prefetch_related("actions__kpi").first()
    existing = review.actions.all() if review else []
    kept = [ActionInput(a.kpi.code, a.comment, a.action, a.owner_id, a.due_date) for a in existing]
    covered = {item.kpi_code for item in kept} | carried_kpi_codes(team=team, start=period.start)
    # Every red KPI needs an action: the lead takes those the review does not answer yet.
    for code in red_kpi_codes(team=team, period=period):
        if code not in covered:
            comment, action = ACTIONS.get(code, ("Below target", "Agree a plan"))
            kept.append(ActionInput(code, comment, action, lead.person.pk, period.end + dt.timedelta(days=21)))
            covered.add(code)
    free = [code for code in EXTRA_ACTION_KPIS if code not in covered]
    added = 0
    for owner, due in ((employee, today - dt.timedelta(days=3)), (lead, today + dt.timedelta(days=14))):
        if not free:
            break
        code = free.pop(rng.randrange(len(free)))
        comment, action = ACTIONS[code]
        kept.append(ActionInput(code, comment, action, owner.person.pk, due))
        added += 1
    submit_review(
        actor=lead,
        team=team,
        period=period,
        comment=review.comment if review else "Mixed month; two things to follow up.",
        actions=kept,
    )
    return added


def _recognitions(*, rng: random.Random, teams: list[Team], cco, lead, employee) -> list[Recognition]:
    """The demo employee and lead recognise each other; the CCO recognises two people in each team."""
    given = [
        recognise(giver=employee, person=lead.person, story=STORIES[0], value=Recognition.Value.OWNERSHIP),
        recognise(giver=lead, person=employee.person, story=STORIES[1], value=Recognition.Value.VOICE),
    ]
    members = (
        Membership.objects.current()
        .filter(team__in=teams, person__is_active=True, person__user__isnull=True)
        .order_by("team_id", "person_id")
        .values_list("team_id", "person_id")
    )
    by_team: dict[int, list[int]] = {}
    for team_id, person_id in members:
        by_team.setdefault(team_id, []).append(person_id)
    people = Person.objects.in_bulk([pk for pks in by_team.values() for pk in pks])
    values = list(Recognition.Value.values)
    for team in teams:
        for person_id in rng.sample(by_team.get(team.pk, []), min(2, len(by_team.get(team.pk, [])))):
            given.append(
                recognise(giver=cco, person=people[person_id], story=rng.choice(STORIES), value=rng.choice(values))
            )
    return given
