"""Pulse results: exact figures, and no page, API or export shows a group below the minimum or two groups
differing by 1-4 people, for every combination of filters (pulse, level, team, department, question) on a
generated org."""

import csv
import datetime as dt
import io
import itertools
import random
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from culture.models import Department, PulseAnswer, PulseInvitation, PulseQuestion, Team
from culture.org.services import update_department, update_team
from culture.pulse.results import pulse_results
from culture.pulse.services import install_standard_library, publish_pulse
from tests.factories import DepartmentFactory, MembershipFactory, PersonFactory, TeamFactory, UserFactory
from users.roles import Role

pytestmark = pytest.mark.django_db

MIN = 5
CLOSED = dt.date(2026, 10, 31)
# department tree: company root "ops" > "care" (teams 0-3) and "sales" (teams 4-6); respondents per team
TEAM_SIZES = ((0, 6), (1, 2), (2, 7), (3, 5), (4, 3), (5, 9), (6, 1))


def _answer(pulse, team, scores_by_key):
    response = uuid.uuid4()
    questions = {q.key: q for q in pulse.library_version.questions.all()}
    PulseAnswer.objects.bulk_create(
        PulseAnswer(response=response, pulse=pulse, team=team, question=questions[key], score=score)
        for key, score in scores_by_key.items()
    )


def _world(cco, seed=16):
    """Seven teams in two sub-departments, two closed pulses with different respondents per team."""
    rng = random.Random(seed)
    root = DepartmentFactory(name="Ops", slug="ops")
    care = DepartmentFactory(name="Care", slug="care", parent=root)
    sales = DepartmentFactory(name="Sales", slug="sales", parent=root)
    teams = [TeamFactory(name=f"T{n}", slug=f"t{n}", department=care if n < 4 else sales) for n, _ in TEAM_SIZES]
    version = install_standard_library(actor=cco)
    pulses = []
    for round_, closes in enumerate((CLOSED - dt.timedelta(days=92), CLOSED)):
        pulse = publish_pulse(
            actor=cco,
            title=f"P{round_}",
            library_version=version,
            teams=teams,
            opens_on=closes - dt.timedelta(days=10),
            closes_on=closes,
        )
        for team, (_, size) in zip(teams, TEAM_SIZES, strict=True):
            answered = size if round_ == 0 else max(0, size + rng.choice((-1, 0, 1)))
            for _ in range(answered):
                scores = {"enps": rng.randint(0, 10)} | {
                    k: rng.randint(1, 5) for k in ("impact", "autonomy", "feedback")
                }
                _answer(pulse, team, scores)
            for _ in range(answered + 1):
                PulseInvitation.objects.create(pulse=pulse, person=PersonFactory(), team=team, has_answered=True)
        pulses.append(pulse)
    return pulses, teams, [root, care, sales]


def _combinations(pulses, teams, departments):
    keys = [None, "", *PulseQuestion.objects.values_list("key", flat=True).distinct()]
    for pulse, team, department, key in itertools.product([None, *pulses], [None, *teams], [None, *departments], keys):
        yield {
            "pulse_id": pulse and pulse.pk,
            "team_id": team and team.pk,
            "department_id": department and department.pk,
            "question_key": key,
        }


def _assert_safe(rows_by_pulse):
    for rows in rows_by_pulse.values():
        groups = {row.group_key: (row.teams, row.respondents) for row in rows}
        for key, (teams, n) in groups.items():
            assert n >= MIN, key
            inside = [(k, t, m) for k, (t, m) in groups.items() if t < teams]
            for size in range(1, len(inside) + 1):
                for subset in itertools.combinations(inside, size):
                    if any(a[1] & b[1] for a, b in itertools.combinations(subset, 2)):
                        continue
                    left = n - sum(m for _, _, m in subset)
                    assert left == 0 or left >= MIN, (key, [k for k, _, _ in subset], left)


def test_no_filter_combination_shows_a_small_group_or_a_small_difference(cco, settings):
    settings.CENTRIC_PULSE_MIN_GROUP = MIN
    pulses, teams, departments = _world(cco)
    today = CLOSED + dt.timedelta(days=1)
    seen: dict[int, dict] = {}
    combos = 0
    for filters in _combinations(pulses, teams, departments):
        combos += 1
        for row in pulse_results(cco, today=today, **filters) + pulse_results(
            cco, today=today, scope="team", **filters
        ):
            seen.setdefault(row.pulse_id, {})[(row.group_key, row.question_key)] = row
    # everything any filter combination showed, taken together, still passes the rule
    assert combos == 3 * 8 * 4 * 6
    _assert_safe({pulse: list(rows.values()) for pulse, rows in seen.items()})
    # the rule hides team 1 (2 people), 4 (3) and 6 (1) and keeps the company and both departments
    first = {key for key, _ in seen[pulses[0].pk]}
    assert {"company", f"department:{departments[1].pk}"} <= first
    assert not {f"team:{teams[n].pk}" for n in (1, 4, 6)} & first


def test_a_lead_sees_only_groups_of_teams_they_lead_among_those_shown(cco, settings):
    settings.CENTRIC_PULSE_MIN_GROUP = MIN
    _pulses, teams, _departments = _world(cco)
    lead = UserFactory(roles=[Role.LEAD])
    MembershipFactory(person=PersonFactory(user=lead), team=teams[2], role="lead", start=dt.date(2026, 1, 1))
    today = CLOSED + dt.timedelta(days=1)

    rows = pulse_results(lead, today=today)
    assert rows and {row.group_key for row in rows} == {f"team:{teams[2].pk}"}
    everyone = {(r.pulse_id, r.group_key, r.question_key) for r in pulse_results(cco, today=today)}
    assert {(r.pulse_id, r.group_key, r.question_key) for r in rows} <= everyone


def test_a_pulse_shows_results_only_after_its_last_day(cco):
    pulses, _teams, _departments = _world(cco)
    # on the second pulse's closing day only the first is closed: a figure never moves while it is shown
    assert {r.pulse_id for r in pulse_results(cco, today=CLOSED)} == {pulses[0].pk}
    assert {r.pulse_id for r in pulse_results(cco, today=CLOSED + dt.timedelta(days=1))} == {p.pk for p in pulses}
    assert pulse_results(cco, today=CLOSED - dt.timedelta(days=100)) == []


def test_figures_are_computed_exactly_from_the_answers(cco, settings):
    settings.CENTRIC_PULSE_MIN_GROUP = MIN
    team = TeamFactory()
    pulse = publish_pulse(
        actor=cco,
        title="Exact",
        library_version=install_standard_library(actor=cco),
        teams=[team],
        opens_on=dt.date(2026, 9, 1),
        closes_on=dt.date(2026, 9, 30),
    )
    enps_scores = [10, 9, 8, 6, 3, 9]  # 3 promoters, 2 detractors of 6 -> 100/6 = 16.67
    impact = [5, 4, 4, 3, 2, 5]  # with autonomy and feedback all 4: mean (23 + 24 + 24) / 18 = 71/18
    for e, i in zip(enps_scores, impact, strict=True):
        _answer(pulse, team, {"enps": e, "impact": i, "autonomy": 4, "feedback": 4})
    for _ in range(8):
        PulseInvitation.objects.create(pulse=pulse, person=PersonFactory(), team=team)

    rows = {(r.group_key, r.question_key): r for r in pulse_results(cco, today=dt.date(2026, 10, 1))}
    overall = rows[("company", "")]
    assert overall.respondents == 6 and overall.invited == 8
    assert overall.response_rate == Decimal(75)
    assert overall.enps == Decimal(100) / 6
    assert overall.culture_index == (Decimal(71) / 18 - 1) / 4 * 100
    assert rows[("company", "impact")].culture_index == (Decimal(23) / 6 - 1) / 4 * 100
    assert rows[("company", "autonomy")].culture_index == Decimal(75)
    assert rows[("company", "enps")].enps == overall.enps and rows[("company", "enps")].culture_index is None


def test_the_page_the_export_and_the_api_show_the_same_shown_groups(client, cco, settings):
    settings.CENTRIC_PULSE_MIN_GROUP = MIN
    pulses, teams, _departments = _world(cco)
    client.force_login(cco)
    shown = {r.group_name for r in pulse_results(cco, pulse_id=pulses[0].pk)}

    page = client.get(reverse("culture:pulse_results"), {"pulse": pulses[0].pk, "per_page": 500})
    assert page.status_code == 200
    assert page.context["trend"]["group"] == "Company" and "<svg" in page.text
    export = client.get(reverse("culture:pulse_results"), {"pulse": pulses[0].pk, "_export": "csv"})
    body = b"".join(export.streaming_content).decode()
    exported = list(csv.reader(io.StringIO(body)))
    assert {line[3] for line in exported[1:]} == shown
    api = client.get(f"/api/v1/pulses/{pulses[0].pk}/results/")
    assert api.status_code == 200 and {row["group"] for row in api.json()} == shown
    hidden = f"T{1}"
    assert hidden not in shown and f"<td >{hidden}</td>" not in page.text and "<td >T0</td>" in page.text
    one = client.get(f"/api/v1/pulses/{pulses[0].pk}/results/", {"team": teams[1].pk})
    assert one.json() == []


def test_an_employee_sees_no_results(client, settings, cco, employee_a):
    _world(cco)
    client.force_login(employee_a)
    assert client.get(reverse("culture:pulse_results")).status_code == 403
    assert client.get("/api/v1/pulses/").status_code == 403
    assert Department.objects.count() >= 3 and Team.objects.count() >= 7


def test_the_results_page_and_export_cost_the_same_queries_for_two_pulses_as_for_five(client, cco, settings):
    """Each kind of data (teams, respondents, invitations, questions, answers) is read once for all pulses."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.CENTRIC_PULSE_MIN_GROUP = MIN
    pulses, teams, _departments = _world(cco)
    client.force_login(cco)

    def queries() -> tuple[int, int, int]:
        with CaptureQueriesContext(connection) as page:
            response = client.get(reverse("culture:pulse_results"), {"per_page": 500})
        assert response.status_code == 200
        with CaptureQueriesContext(connection) as export:
            body = b"".join(client.get(reverse("culture:pulse_results"), {"_export": "csv"}).streaming_content)
        assert body.decode().count("\n") > 1
        return len(page), len(export), response.text.count("<tr")

    two_page, two_export, two_rows = queries()
    for round_ in range(3):
        closes = CLOSED - dt.timedelta(days=200 + 30 * round_)
        extra = publish_pulse(
            actor=cco,
            title=f"Earlier {round_}",
            library_version=pulses[0].library_version,
            teams=teams,
            opens_on=closes - dt.timedelta(days=10),
            closes_on=closes,
        )
        for team in teams[:2]:
            for _ in range(6):
                _answer(extra, team, {"enps": 9, "impact": 4, "autonomy": 3, "feedback": 5})
    five_page, five_export, five_rows = queries()

    assert five_rows > two_rows  # the earlier pulses' groups are listed too
    assert (five_page, five_export) == (two_page, two_export)


def _figures(user, today):
    return {
        (r.pulse_id, r.group_key, r.question_key): (r.respondents, r.teams, r.enps, r.culture_index)
        for r in pulse_results(user, today=today)
    }


def test_moving_teams_and_departments_after_publishing_changes_no_figure(cco, settings):
    """The groups of a pulse are the org it was published into. With the live tree, moving team 1 (2 people)
    out of Care would shrink Care by 2 between two views of the same closed pulse: its figure before and after
    would differ by those two people."""
    settings.CENTRIC_PULSE_MIN_GROUP = MIN
    pulses, teams, (root, care, sales) = _world(cco)
    today = CLOSED + dt.timedelta(days=1)
    before = _figures(cco, today)
    care_key = f"department:{care.pk}"
    assert before[(pulses[0].pk, care_key, "")][0] == 6 + 2 + 7 + 5

    update_team(team=teams[1], name="T1", department=sales, actor=cco)
    elsewhere = DepartmentFactory(name="Elsewhere", slug="elsewhere")
    update_department(department=sales, name="Sales", parent=elsewhere, actor=cco)
    Department.objects.filter(pk=root.pk).update(name="Operations")  # a rename shows; it changes no group

    after = _figures(cco, today)
    assert after == before
    assert {r.group_name for r in pulse_results(cco, today=today, department_id=root.pk)} == {"Operations"}
    assert not any(key == f"department:{elsewhere.pk}" for _pulse, key, _q in after)

    # a pulse published after the moves groups by the org as it is then
    later = publish_pulse(
        actor=cco,
        title="After the move",
        library_version=pulses[0].library_version,
        teams=teams,
        opens_on=CLOSED,
        closes_on=CLOSED,
    )
    assert later.org_at_publish[str(teams[1].pk)] == [sales.pk, elsewhere.pk]
    assert later.org_at_publish[str(teams[0].pk)] == [care.pk, root.pk]


def test_a_department_deleted_after_publishing_keeps_its_group_under_a_plain_name(cco, settings):
    settings.CENTRIC_PULSE_MIN_GROUP = MIN
    _pulses, teams, (root, care, _sales) = _world(cco)
    today = CLOSED + dt.timedelta(days=1)
    before = _figures(cco, today)
    spare = DepartmentFactory(name="Spare", slug="spare", parent=root)
    Team.objects.filter(pk__in=[t.pk for t in teams[:4]]).update(department=spare)
    care_key = f"department:{care.pk}"
    care.delete()

    assert _figures(cco, today) == before
    names = {r.group_key: r.group_name for r in pulse_results(cco, today=today)}
    assert names[care_key] == "Former department"
