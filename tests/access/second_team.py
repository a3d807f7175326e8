"""The access world (world.py) seen as two teams: for each of team A and team B, one object of every kind.

world.py gives team A its objects; this adds team B's own (a measurement, a target, a review, a position
with its rubric version, a candidate, an application, an interview and its scorecard, a plan of its own
with an approved run, and a team scorecard PDF its lead asked for), plus team A's review and PDF. Each
side also names the markers that only that team's objects carry, for the leak check.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.urls import reverse

from culture.measurements.rollups import refresh_rows
from culture.models import Kpi, Measurement, Recognition, Review, Target
from hiring.models import Application, Candidate, Interview, Position, RubricVersion, Scorecard
from incentives import services as incentive_services
from incentives.models import Adjustment, PayoutLine, PayoutRun, PayrollFile, Plan
from incentives.payroll import issue_payroll_file
from reports.models import GeneratedReport
from reports.services import request_key
from tests.hiring.factories import ApplicationFactory, CandidateFactory, InterviewFactory, PositionFactory
from tests.incentives.factories import ComponentFactory, PlanFactory

from .pulses import closed_pulse
from .world import DAY, PERIOD, World, _submit


@dataclass
class Side:
    """One team's objects (what URL kwargs are built from) and the strings only they put on a page."""

    team: Any
    measurement: Measurement
    target: Target
    review: Review
    position: Position
    rubric_version: RubricVersion
    candidate: Candidate
    application: Application
    interview: Interview
    scorecard: Scorecard
    plan: Plan
    run: PayoutRun
    line: PayoutLine
    report: GeneratedReport
    adjustment: Adjustment | None = None
    payroll_file: PayrollFile | None = None
    pulse: Any = None
    lines: list[PayoutLine] = field(default_factory=list)
    markers: list[str] = field(default_factory=list)
    dispute: Any = None
    action: Any = None  # a tracked review action of the side's review
    recognition: Any = None  # a recognition story about a member of the side's team

    def urls(self) -> list[str]:
        """Links to this side's objects: a page holding one shows an object of this team."""
        return [
            reverse("culture:team_detail", args=[self.team.slug]),
            reverse("culture:team_scorecard", args=[self.team.slug]),
            reverse("hiring:position_detail", args=[self.position.pk]),
            reverse("hiring:candidate_detail", args=[self.candidate.pk]),
            reverse("hiring:application_detail", args=[self.application.pk]),
            reverse("hiring:interview_kit", args=[self.interview.pk]),
            reverse("incentives:plan_detail", args=[self.plan.pk]),
            reverse("incentives:run_detail", args=[self.run.pk]),
            reverse("reports:report_detail", args=[self.report.pk]),
            *([reverse("culture:pulse_detail", args=[self.pulse.pk])] if self.pulse else []),
            *(reverse("incentives:statement", args=[line.pk]) for line in self.lines),
            *([self.dispute.get_absolute_url()] if self.dispute is not None else []),
        ]


def _team_report(lead, team) -> GeneratedReport:
    parameters = {"team": team.slug, "period": PERIOD}
    report = GeneratedReport(
        kind="team_scorecard",
        parameters=parameters,
        request_key=request_key("team_scorecard", parameters),
        requested_by=lead,
        status=GeneratedReport.Status.DONE,
        progress=100,
    )
    report.file.save(f"team-scorecard-{team.slug}.pdf", ContentFile(f"%PDF-1.7 {team.name} scorecard".encode()))
    return report


def _review(team, lead, comment: str) -> Review:
    # The world already holds team A's review (with its tracked action): this side uses that one.
    review, _created = Review.objects.update_or_create(
        team=team, period_id=_period_id(), defaults={"comment": comment, "submitted_by": lead}
    )
    return review


def _action(review: Review, lead, text: str):
    from culture.models import ReviewAction

    return ReviewAction.objects.create(
        review=review, kpi=Kpi.objects.get(code="fcr"), comment=text, action=text, owner=lead.person, due_date=DAY
    )


def _period_id() -> int:
    from culture.models import Period

    return Period.objects.get(code=PERIOD).pk


def side_a(w: World) -> Side:
    lead = w.users["lead_a"]
    position = w.application.position
    review = _review(w.team_a, lead, "Alpha review comment")
    return Side(
        team=w.team_a,
        measurement=w.measurement,
        target=w.target,
        review=review,
        action=_action(review, lead, "Alpha action"),
        recognition=w.recognition,
        position=position,
        rubric_version=position.rubric_version,
        candidate=w.candidate,
        application=w.application,
        interview=w.interview_before,
        scorecard=w.scorecard_before,
        plan=w.run.plan,
        run=w.run,
        line=w.line,
        adjustment=w.adjustment,
        payroll_file=issue_payroll_file(run_id=w.run.pk, actor=w.users["approver"]),
        lines=[w.line],
        report=_team_report(lead, w.team_a),
        dispute=w.dispute,
        pulse=w.pulse,
    )


def side_b(w: World) -> Side:
    """Team B's own objects; team B's members also hold lines in the world's shared run (plan of both teams)."""
    lead = w.users["lead_b"]
    measurement = Measurement.objects.create(
        team=w.team_b, kpi=Kpi.objects.get(code="aht"), date=DAY, value=Decimal("6543.25"), sample_size=10
    )
    refresh_rows([measurement])
    target = Target.objects.create(
        kpi=Kpi.objects.get(code="fcr"),
        period=w.period,
        team=w.team_b,
        target_value=Decimal("76.5432"),
        on_track_from=Decimal(70),
        off_track_from=Decimal(60),
    )
    position = PositionFactory(team=w.team_b, title="Betaonly opening", interviewers=[lead])
    candidate = CandidateFactory(name="Bertha Betaonly", email="bertha@betaonly.example")
    application = ApplicationFactory(position=position, candidate=candidate)
    interview = InterviewFactory(application=application, interviewers=[lead])
    scorecard = _submit(interview, lead, "Betaonly panel note")
    plan = PlanFactory(name="Betaonly bonus", period=w.run.plan.period, teams=[w.team_b])
    ComponentFactory(plan=plan)
    cco = w.users["cco"]
    run = incentive_services.create_payout_run(plan=plan, actor=cco)
    incentive_services.calculate_payouts(run_id=run.pk, actor=cco)
    run = incentive_services.approve_payout_run(run_id=run.pk, actor=w.users["approver"])
    lines = list(PayoutLine.objects.filter(person__memberships__team=w.team_b).distinct())
    assert lines, "team B has payout lines"
    line = PayoutLine.objects.get(run=run, person__user=lead)
    dispute = incentive_services.raise_dispute(line=line, question="Betaonly question", actor=lead)
    review = _review(w.team_b, lead, "Betaonly review comment")
    return Side(
        team=w.team_b,
        dispute=dispute,
        measurement=measurement,
        target=target,
        review=review,
        action=_action(review, lead, "Betaonly action"),
        recognition=Recognition.objects.create(
            person=lead.person, team=w.team_b, given_by=w.users["interviewer"], value="voice", story="Betaonly story"
        ),
        position=position,
        rubric_version=position.rubric_version,
        candidate=candidate,
        application=application,
        interview=interview,
        scorecard=scorecard,
        plan=plan,
        run=run,
        line=line,
        adjustment=incentive_services.add_adjustment(
            run_id=run.pk, person_id=lines[0].person_id, amount=Decimal("3.00"), reason="Betaonly", actor=cco
        ),
        payroll_file=issue_payroll_file(run_id=run.pk, actor=w.users["approver"]),
        lines=lines,
        report=_team_report(lead, w.team_b),
        pulse=closed_pulse(w.team_b, cco, "Betaonly pulse"),
        markers=[
            w.team_b.name,
            w.team_b.slug,
            w.team_b.department.name,
            lead.name,
            f"{measurement.value:f}",
            f"{target.target_value:f}",
            "Betaonly",
            candidate.email,
        ],
    )
