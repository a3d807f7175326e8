"""The one small company every cell of the access matrix is checked against.

Team A and team B in two departments; one user per matrix role; for team A one object of each kind in
the matrix (a scorecard's data, a measurement, a target, a candidate, the panel's interview scorecards,
an approved payout line) and a finished board report. Built once per module: the probes never leave a
change behind (every write runs in a savepoint that is rolled back).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from allauth.mfa.models import Authenticator
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from culture.measurements.rollups import refresh_rows
from culture.models import Kpi, Measurement, Membership, Period, Target
from culture.scorecards import close_period
from hiring.interviews.services import RatingEntry, submit_scorecard
from hiring.models import Application, Candidate, HireReview, Interview, Scorecard
from incentives import services as incentive_services
from incentives.models import Adjustment, PayoutLine, PayoutRun
from reports.models import GeneratedReport
from reports.services import request_key
from scim.models import ScimToken
from tests.factories import DepartmentFactory, MembershipFactory, PersonFactory, TeamFactory, UserFactory
from tests.hiring.factories import ApplicationFactory, CandidateFactory, InterviewFactory, PositionFactory
from tests.incentives.factories import ComponentFactory, PeriodFactory, PlanFactory
from users.roles import Role
from users.tokens import issue

from .matrix import ROLES
from .pulses import closed_pulse

PASSWORD = "pw-for-tests-1"
PERIOD = "2026-09"
PAYOUT_PERIOD = "2026-08"  # closed: runs are approved only for a closed period (2026-09 stays open for imports)
DAY = dt.date(2026, 9, 15)
REVIEW_ACTION_TEXT = "Alpha tracked action 7Q"
RECOGNITION_TEXT = "Alpha recognition story 5R about a customer rescued"
MEASURED_KPI = "aht"
MEASURED_VALUE = Decimal("4321.5")
TARGET_VALUE = Decimal("87.6543")
UPCOMING_TITLE = "Matrix follow-up interview"


@dataclass
class World:
    """Everything a probe needs: the objects' ids and markers, and a logged-in client per role."""

    team_a: Any
    team_b: Any
    period: Period
    measurement: Measurement
    target: Target
    candidate: Candidate
    application: Application
    interview_before: Interview
    interview_after: Interview
    interview_upcoming: Interview
    scorecard_before: Scorecard
    scorecard_after: Scorecard
    run: PayoutRun
    line: PayoutLine
    draft_line: PayoutLine
    adjustment: Adjustment
    board_report: GeneratedReport
    hire_review: Any = None  # team A's hire whose 90-day review is due today
    candidate_twin: Any = None  # a duplicate record of the matrix's candidate, to merge into it
    rule_change_run: Any = None  # a draft run whose plan's override the matrix's CCO changed (nothing else)
    review_action: Any = None  # team A's tracked review action, owned by the employee
    recognition: Any = None  # a story about the employee (team A), given by lead A
    colleague: Any = None  # a team A member without a login: anyone may recognise them
    # Org management closes only what is empty: a department without teams and a team without members.
    spare_department: Any = None
    spare_team: Any = None
    dispute: Any = None  # the employee's question about their line (a StatementDispute)
    pulse: Any = None  # team A's closed pulse with results (tests/access/pulses.py)
    users: dict[str, Any] = field(default_factory=dict)
    pages: dict[str, Client] = field(default_factory=dict)
    apis: dict[str, APIClient] = field(default_factory=dict)


def _user(email: str, name: str, roles: list[Role], **extra) -> Any:
    user = UserFactory(email=email, name=name, roles=roles, **extra)
    if user.needs_mfa:
        # CENTRIC_REQUIRE_MFA is on in tests: an enrolled second factor is what the middleware asks for.
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


def _member(user, team, role: str, number: str):
    person = PersonFactory(user=user, name=user.name, employee_number=number)
    MembershipFactory(person=person, team=team, role=role, start=dt.date(2024, 1, 1))
    return person


def _build_users(team_a, team_b) -> dict[str, Any]:
    member, lead = Membership.Role.MEMBER, Membership.Role.LEAD
    users = {
        "employee": _user("eve@access.test", "Eve Employee", [Role.EMPLOYEE]),
        "lead_a": _user("lena@access.test", "Lena LeadA", [Role.LEAD]),
        "lead_b": _user("boris@access.test", "Boris LeadB", [Role.LEAD]),
        "recruiter": _user("rita@access.test", "Rita Recruiter", [Role.HR]),
        # Interviewers are ordinary employees of team B: all they see of team A's hiring comes from assignment.
        "interviewer": _user("xavier@access.test", "Xavier Assigned", [Role.EMPLOYEE]),
        "outsider": _user("uma@access.test", "Uma Unassigned", [Role.EMPLOYEE]),
        "cco": _user("cora@access.test", "Cora Chief", [Role.CCO]),
        # Finance: approves payout runs and adjustments it had no hand in; not a member of any team.
        "approver": _user("fiona@access.test", "Fiona Finance", [Role.APPROVER]),
        "admin": _user("adam@access.test", "Adam Admin", [Role.ADMIN], is_staff=True, is_superuser=True),
    }
    _member(users["employee"], team_a, member, "E-ACC-1")
    _member(users["lead_a"], team_a, lead, "E-ACC-2")
    _member(users["lead_b"], team_b, lead, "E-ACC-3")
    _member(users["interviewer"], team_b, member, "E-ACC-4")
    _member(users["outsider"], team_b, member, "E-ACC-5")
    return users


def _submit(interview, user, summary: str) -> Scorecard:
    competency = interview.application.position.rubric_version.competencies.order_by("order").first()
    ratings = {competency.pk: RatingEntry(rating=4, evidence="Calmed an angry caller.")}
    return submit_scorecard(
        interviewer=user, interview=interview, recommendation="yes", ratings=ratings, summary=summary
    )


def _build_hiring(team_a, users) -> dict[str, Any]:
    """A position of team A; application 1 (the assigned interviewer still owes a scorecard), application 2
    (they submitted theirs), application 3, interviewed by the unassigned interviewer only, a hire whose
    90-day review is due, and a duplicate record of the first candidate."""
    panelist = UserFactory(email="yara@access.test", name="Yara Panel")
    interviewer, outsider = users["interviewer"], users["outsider"]
    position = PositionFactory(team=team_a, title="Care agent A", interviewers=[interviewer, panelist, outsider])
    candidate = CandidateFactory(name="Quinta Quokka", email="quinta@mail.example")
    app1 = ApplicationFactory(position=position, candidate=candidate)
    app2 = ApplicationFactory(position=position, candidate__name="Rafael Reed")
    app3 = ApplicationFactory(position=position, candidate__name="Sami Stone")
    before = InterviewFactory(application=app1, interviewers=[interviewer, panelist])
    after = InterviewFactory(application=app2, interviewers=[interviewer, panelist])
    InterviewFactory(application=app3, interviewers=[outsider, panelist])
    # the matrix's "interview": ahead and without scorecards, so it may still be moved or cancelled
    upcoming = InterviewFactory(
        application=app1,
        title=UPCOMING_TITLE,
        scheduled_at=timezone.now() + dt.timedelta(days=2),
        interviewers=[interviewer, panelist],
    )
    scorecard_before = _submit(before, panelist, "Panel note before-marker")
    scorecard_after = _submit(after, panelist, "Panel note after-marker")
    _submit(after, interviewer, "Own note of the assigned interviewer")
    # the matrix's "hire_review": a hire of 90 days ago whose 90-day review opened today, not yet recorded
    today = timezone.localdate()
    hired = ApplicationFactory(
        position=position,
        stage=Application.Stage.HIRED,
        hired_on=today - dt.timedelta(days=90),
        candidate__name="Tove Tenure",
    )
    hire_review = HireReview.objects.create(application=hired, due_on=today)
    # the matrix's "candidate_merge": a second record of Quinta (same email, any case), without applications
    twin = CandidateFactory(name="Quinta Q.", email="QUINTA@mail.example")
    return {
        "candidate": candidate,
        "application": app1,
        "interview_before": before,
        "interview_after": after,
        "interview_upcoming": upcoming,
        "scorecard_before": scorecard_before,
        "scorecard_after": scorecard_after,
        "hire_review": hire_review,
        "candidate_twin": twin,
    }


def _build_payouts(team_a, team_b, users) -> tuple[PayoutRun, PayoutLine, PayoutLine, Adjustment]:
    """An approved run (the employee's line is the matrix's object), a draft run of the same plan that the
    matrix's CCO recalculated (so the CCO may not approve it), and an adjustment the CCO drafted (so the
    CCO may not approve it either)."""
    period = PeriodFactory(code=PAYOUT_PERIOD, kind="month", start=dt.date(2026, 8, 1), end=dt.date(2026, 8, 31))
    close_period(code=period.code, actor=None)
    plan = PlanFactory(name="Access bonus", period=period, teams=[team_a, team_b])
    ComponentFactory(plan=plan)
    preparer = UserFactory(email="paula@access.test", name="Paula Preparer", roles=[Role.CCO])
    run = incentive_services.create_payout_run(plan=plan, actor=preparer)
    incentive_services.calculate_payouts(run_id=run.pk, actor=preparer)
    run = incentive_services.approve_payout_run(run_id=run.pk, actor=users["cco"])
    draft = incentive_services.create_payout_run(plan=plan, actor=preparer)
    incentive_services.calculate_payouts(run_id=draft.pk, actor=users["cco"])
    incentive_services.request_approval(run_id=draft.pk, actor=preparer)
    lines = PayoutLine.objects.filter(person__user=users["employee"])
    adjustment = incentive_services.add_adjustment(
        run_id=run.pk,
        person_id=lines.get(run=run).person_id,
        amount=Decimal("5.00"),
        reason="Matrix correction",
        actor=users["cco"],
    )
    return run, lines.get(run=run), lines.get(run=draft), adjustment


def _build_rule_change_run(team_a, users) -> PayoutRun:
    """A draft run of another plan, prepared and calculated by someone else after the matrix's CCO changed one
    override of its plan: the CCO's only part is the rule change, which alone forbids approving it."""
    plan = PlanFactory(name="Access rules bonus", period=Period.objects.get(code=PAYOUT_PERIOD), teams=[team_a])
    ComponentFactory(plan=plan)
    employee = PayoutLine.objects.filter(person__user=users["employee"]).values_list("person_id", flat=True)[0]
    incentive_services.set_override(plan=plan, person_id=employee, target_amount=Decimal("700.00"), actor=users["cco"])
    preparer = UserFactory(email="percy@access.test", name="Percy Preparer", roles=[Role.CCO])
    run = incentive_services.create_payout_run(plan=plan, actor=preparer)
    return incentive_services.calculate_payouts(run_id=run.pk, actor=preparer)


def _build_board_report(cco) -> GeneratedReport:
    parameters = {"period": PERIOD}
    report = GeneratedReport(
        kind="board_report",
        parameters=parameters,
        request_key=request_key("board_report", parameters),
        requested_by=cco,
        status=GeneratedReport.Status.DONE,
        progress=100,
    )
    report.file.save("board-report-access.pdf", ContentFile(b"%PDF-1.7 board report for the access matrix"))
    return report


def _build_review_action(period, team_a, users):
    """Team A's review of the period with one open action (on CSAT) owned by the employee."""
    from culture.models import Review, ReviewAction

    review = Review.objects.create(team=team_a, period=period, comment="Alpha review", submitted_by=users["lead_a"])
    return ReviewAction.objects.create(
        review=review,
        kpi=Kpi.objects.get(code="csat"),
        comment="Alpha cause",
        action=REVIEW_ACTION_TEXT,
        owner=users["employee"].person,
        due_date=DAY,
    )


def _build_recognition(team_a, users):
    from culture.models import Recognition

    colleague = PersonFactory(name="Alpha Colleague", employee_number="E-ACC-9")
    MembershipFactory(person=colleague, team=team_a, role=Membership.Role.MEMBER)
    story = Recognition.objects.create(
        person=users["employee"].person, team=team_a, given_by=users["lead_a"], value="voice", story=RECOGNITION_TEXT
    )
    return story, colleague


def _clients(users) -> tuple[dict[str, Client], dict[str, APIClient]]:
    pages: dict[str, Client] = {"anonymous": Client()}
    apis: dict[str, APIClient] = {"anonymous": APIClient()}
    _scim, scim_value = ScimToken.issue("Access matrix")
    pages["scim_token"] = Client(HTTP_AUTHORIZATION=f"Bearer {scim_value}")
    apis["scim_token"] = APIClient()
    apis["scim_token"].credentials(HTTP_AUTHORIZATION=f"Bearer {scim_value}")
    for role, user in users.items():
        page = Client()
        page.force_login(user)
        # Exports of personal data and approvals ask for a fresh password first: pass it, so the matrix
        # sees the access decision itself rather than the re-authentication step in front of it.
        response = page.post(reverse("account_reauthenticate"), {"password": PASSWORD})
        assert response.status_code == 302, f"{role} could not re-authenticate"
        pages[role] = page
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {issue(user, name='test')[1]}")
        apis[role] = api
    return pages, apis


def build_world() -> World:
    period = PeriodFactory(code=PERIOD, kind="month", start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 30))
    team_a = TeamFactory(name="Team Alpha", slug="team-alpha", department=DepartmentFactory(name="Dept Alpha"))
    team_b = TeamFactory(name="Team Beta", slug="team-beta", department=DepartmentFactory(name="Dept Beta"))
    spare_department = DepartmentFactory(name="Dept Spare", slug="dept-spare")
    spare_team = TeamFactory(name="Team Spare", slug="team-spare", department=team_a.department)
    users = _build_users(team_a, team_b)
    assert set(users) | {"anonymous", "scim_token"} == set(ROLES)
    kpi = Kpi.objects.get(code=MEASURED_KPI)
    measurement = Measurement.objects.create(team=team_a, kpi=kpi, date=DAY, value=MEASURED_VALUE, sample_size=10)
    refresh_rows([measurement])
    target = Target.objects.create(
        kpi=Kpi.objects.get(code="csat"),
        period=period,
        team=team_a,
        target_value=TARGET_VALUE,
        on_track_from=Decimal(80),
        off_track_from=Decimal(70),
    )
    hiring = _build_hiring(team_a, users)
    # before the payouts: the colleague's membership is an input of the draft run's fingerprint
    recognition, colleague = _build_recognition(team_a, users)
    run, line, draft_line, adjustment = _build_payouts(team_a, team_b, users)
    rule_change_run = _build_rule_change_run(team_a, users)
    board_report = _build_board_report(users["cco"])
    dispute = incentive_services.raise_dispute(line=line, question="Alphaonly question", actor=users["employee"])
    pulse = closed_pulse(team_a, users["cco"], "Alphapulse")
    review_action = _build_review_action(period, team_a, users)
    pages, apis = _clients(users)
    return World(
        team_a=team_a,
        team_b=team_b,
        period=period,
        measurement=measurement,
        target=target,
        run=run,
        line=line,
        draft_line=draft_line,
        adjustment=adjustment,
        rule_change_run=rule_change_run,
        board_report=board_report,
        review_action=review_action,
        recognition=recognition,
        colleague=colleague,
        spare_department=spare_department,
        spare_team=spare_team,
        dispute=dispute,
        pulse=pulse,
        users=users,
        pages=pages,
        apis=apis,
        **hiring,
    )
