"""Reading pulse results: per closed pulse, the groups (team, department subtree, company) that may be shown
under the minimum-group and differencing rule, with eNPS, the culture index and the response rate, overall
and per question. Every page, API and export reads results through `pulse_results`, so none can narrow below
the rule: filters only pick among the rows the rule allows for the whole pulse.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext

from ..models import Department, Pulse, PulseAnswer, PulseInvitation, PulseQuestion, Team
from .calculations import Group, culture_index, department_groups, enps, response_rate, shown_groups


def minimum_group() -> int:
    return int(getattr(settings, "CENTRIC_PULSE_MIN_GROUP", 5))


@dataclass(frozen=True)
class ResultRow:
    """One shown figure set: a pulse, a group, optionally one question; unrounded values."""

    pulse_id: int
    pulse_title: str
    closes_on: dt.date
    scope: str  # "team", "department", "company"
    group_key: str
    group_name: str
    question_key: str  # "" for the whole pulse
    question_text: str
    respondents: int
    invited: int
    enps: Decimal | None
    culture_index: Decimal | None
    response_rate: Decimal | None
    teams: frozenset[int]


def participation_scope(user, *, prefix: str = "invitations__") -> Q:
    """The invitations whose counts `user` may see: every team's for executives, else the teams they lead (a
    lead sees a pulse sent to one of their teams, not how the other teams took part)."""
    if user.is_executive:
        return Q()
    return Q(**{f"{prefix}team__in": Team.objects.led_by(user)})


def participation_counts(user) -> dict[str, Count]:
    """Annotations for a pulse queryset: `invited` and `answered` over the invitations `user` may count."""
    scope = participation_scope(user)
    return {
        "invited": Count("invitations", filter=scope, distinct=True),
        "answered": Count("invitations", filter=scope & Q(invitations__has_answered=True), distinct=True),
    }


def closed_pulses(today: dt.date | None = None):
    """Pulses whose answers can no longer change: results are shown only for these."""
    return Pulse.objects.filter(closes_on__lt=today or timezone.localdate())


@dataclass
class _Loaded:
    """What the rows of several pulses are made from, read in one query per kind, however many pulses."""

    team_departments: dict[int, dict[int, int]]  # pulse -> team -> department
    respondents: dict[int, dict[int, int]]  # pulse -> team -> distinct responses
    invited: dict[int, dict[int, int]]  # pulse -> team -> invitations
    questions: dict[int, list[PulseQuestion]]  # library version -> its questions, in order
    scores: dict[int, dict[tuple[int, int], list[int]]]  # pulse -> (team, question) -> scores


def _load(pulses: list[Pulse]) -> _Loaded:
    ids = [pulse.pk for pulse in pulses]
    loaded = _Loaded(defaultdict(dict), defaultdict(dict), defaultdict(dict), defaultdict(list), {})
    for pulse_id, team_id, department_id in Pulse.teams.through.objects.filter(pulse_id__in=ids).values_list(
        "pulse_id", "team_id", "team__department_id"
    ):
        loaded.team_departments[pulse_id][team_id] = department_id
    for pulse_id, team_id, n in (
        PulseAnswer.objects.filter(pulse_id__in=ids)
        .values("pulse_id", "team_id")
        .annotate(n=Count("response", distinct=True))
        .values_list("pulse_id", "team_id", "n")
    ):
        loaded.respondents[pulse_id][team_id] = n
    for pulse_id, team_id, n in (
        PulseInvitation.objects.filter(pulse_id__in=ids)
        .values("pulse_id", "team_id")
        .annotate(n=Count("pk"))
        .values_list("pulse_id", "team_id", "n")
    ):
        loaded.invited[pulse_id][team_id] = n
    versions = {pulse.library_version_id for pulse in pulses}
    for question in PulseQuestion.objects.filter(version_id__in=versions):
        loaded.questions[question.version_id].append(question)
    scores: dict[int, dict[tuple[int, int], list[int]]] = defaultdict(lambda: defaultdict(list))
    for pulse_id, team_id, question_id, score in PulseAnswer.objects.filter(pulse_id__in=ids).values_list(
        "pulse_id", "team_id", "question_id", "score"
    ):
        scores[pulse_id][(team_id, question_id)].append(score)
    loaded.scores = scores
    return loaded


def frozen_org(pulse: Pulse) -> tuple[dict[int, int], dict[int, set[int]]] | None:
    """The pulse's groups as published: team -> department and department -> the departments under it (itself
    included), from `Pulse.org_at_publish`; None for a pulse without that record (made outside publishing)."""
    if not pulse.org_at_publish:
        return None
    team_departments: dict[int, int] = {}
    subtrees: dict[int, set[int]] = defaultdict(set)
    for team, chain in pulse.org_at_publish.items():
        team_departments[int(team)] = chain[0]
        for depth, department in enumerate(chain):
            subtrees[department].update(chain[: depth + 1])
    return team_departments, subtrees


def _pulse_rows(
    pulse: Pulse, loaded: _Loaded, minimum: int, names: dict[str, str], tree_subtrees: dict[int, set[int]]
) -> list[ResultRow]:
    respondents = loaded.respondents.get(pulse.pk, {})
    frozen = frozen_org(pulse)
    if frozen is None:
        frozen = (loaded.team_departments.get(pulse.pk, {}), tree_subtrees)
    groups = department_groups(*frozen, respondents)
    shown = shown_groups(groups, minimum)
    questions = loaded.questions.get(pulse.library_version_id, [])
    by_team = loaded.scores.get(pulse.pk, {})
    invited = loaded.invited.get(pulse.pk, {})
    rows: list[ResultRow] = []
    for group in sorted((g for g in groups if g.key in shown), key=_group_order):
        rows.extend(_group_rows(pulse, group, questions, by_team, invited, names))
    return rows


def _group_order(group: Group) -> tuple[int, str]:
    return ({"company": 0, "department": 1, "team": 2}[group.key.split(":")[0]], group.key)


def _group_rows(pulse, group: Group, questions, by_team, invited, names) -> list[ResultRow]:
    def scores(question) -> list[int]:
        return [s for team in group.teams for s in by_team.get((team, question.pk), [])]

    enps_scores = [s for q in questions if q.kind == PulseQuestion.Kind.ENPS for s in scores(q)]
    agreement = [s for q in questions if q.kind == PulseQuestion.Kind.AGREEMENT for s in scores(q)]
    n_invited = sum(invited.get(team, 0) for team in group.teams)
    common = {
        "pulse_id": pulse.pk,
        "pulse_title": pulse.title,
        "closes_on": pulse.closes_on,
        "scope": group.key.split(":")[0],
        "group_key": group.key,
        # a department deleted since publishing keeps its frozen place in the pulse's groups, without a name
        "group_name": names.get(group.key) or gettext("Former department"),
        "respondents": group.respondents,
        "invited": n_invited,
        "response_rate": response_rate(group.respondents, n_invited),
        "teams": group.teams,
    }
    rows = [
        ResultRow(
            **common, question_key="", question_text="", enps=enps(enps_scores), culture_index=culture_index(agreement)
        )
    ]
    for question in questions:
        answered = scores(question)
        is_enps = question.kind == PulseQuestion.Kind.ENPS
        rows.append(
            ResultRow(
                **common,
                question_key=question.key,
                question_text=question.text,
                enps=enps(answered) if is_enps else None,
                culture_index=None if is_enps else culture_index(answered),
            )
        )
    return rows


def _names() -> dict[str, str]:
    names = {f"team:{pk}": name for pk, name in Team.objects.values_list("pk", "name")}
    names.update({f"department:{pk}": name for pk, name in Department.objects.values_list("pk", "name")})
    names["company"] = gettext("Company")
    return names


def pulse_results(
    user,
    *,
    pulse_id: int | None = None,
    team_id: int | None = None,
    department_id: int | None = None,
    question_key: str | None = None,
    scope: str | None = None,
    today: dt.date | None = None,
) -> list[ResultRow]:
    """The rows `user` may see, filtered. Executives see every shown group; a lead the shown groups made only
    of teams they lead; anyone else nothing. The filters select rows; they never form a new group."""
    if not user.is_authenticated:
        return []
    pulses = closed_pulses(today).visible_to(user).order_by("closes_on", "pk")
    if pulse_id is not None:
        pulses = pulses.filter(pk=pulse_id)
    pulses = list(pulses)
    allowed: set[int] | None = None
    if not user.is_executive:
        allowed = set(Team.objects.led_by(user).values_list("pk", flat=True))
    minimum = minimum_group()
    names = _names()
    subtrees = Department.objects.tree().subtrees()
    rows: list[ResultRow] = []
    loaded = _load(pulses)
    for pulse in pulses:
        rows.extend(_pulse_rows(pulse, loaded, minimum, names, subtrees))
    if allowed is not None:
        rows = [row for row in rows if row.teams <= allowed]
    if team_id is not None:
        rows = [row for row in rows if row.group_key == f"team:{team_id}"]
    if department_id is not None:
        rows = [row for row in rows if row.group_key == f"department:{department_id}"]
    if scope:
        rows = [row for row in rows if row.scope == scope]
    if question_key is not None:
        rows = [row for row in rows if row.question_key == question_key]
    return rows
