"""The people sync against the database: files and records applied all or nothing, audited, idempotent."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import openpyxl
import pytest

from core.models import AuditEntry
from culture.models import Department, Membership, Period, Person, Team
from culture.org.sync import sync_people_file, sync_people_records
from incentives import services as incentive_services
from tests.factories import DepartmentFactory, MembershipFactory, PersonFactory, TeamFactory, UserFactory
from tests.incentives.factories import ComponentFactory, FakeScorecards, PlanFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 10, 15)
HEADER = "employee_id,name,email,department,team,role,manager_id,start_date,end_date,effective_date\n"


@pytest.fixture
def org():
    service = DepartmentFactory(name="Service", slug="service")
    nordics = DepartmentFactory(name="Nordics", slug="nordics", parent=service)
    support = TeamFactory(name="Support", slug="support", department=nordics)
    sales = TeamFactory(name="Sales", slug="sales", department=DepartmentFactory(name="Commercial", slug="commercial"))
    user = UserFactory(email="anna@example.com")
    anna = PersonFactory(name="Anna Berg", email="anna@example.com", employee_number="E1", user=user)
    MembershipFactory(person=anna, team=support, start=dt.date(2025, 1, 1))
    bo = PersonFactory(name="Bo Ek", email="bo@example.com", employee_number="E2")
    MembershipFactory(person=bo, team=support, role=Membership.Role.LEAD, start=dt.date(2025, 1, 1))
    return {"support": support, "sales": sales, "anna": anna, "bo": bo}


def _csv(*lines: str) -> io.BytesIO:
    return io.BytesIO((HEADER + "\n".join(lines) + "\n").encode())


def _sync(*lines: str, dry_run=False, actor=None, effective=dt.date(2026, 10, 1)):
    return sync_people_file(
        stream=_csv(*lines), filename="hr.csv", actor=actor, dry_run=dry_run, effective=effective, today=TODAY
    )


ANNA = "E1,Anna Berg,anna@example.com,Service/Nordics,Support,member,E2,,,"
BO = "E2,Bo Ek,bo@example.com,Service/Nordics,Support,lead,,,,"


def _memberships(person):
    return list(person.memberships.order_by("start").values_list("team__slug", "role", "start", "end"))


def test_joiners_are_created_with_membership_manager_and_audit(org, cco):
    result = _sync(
        ANNA,
        BO,
        "E3,Cy Dahl,cy@example.com,Service/Baltics,Riga desk,member,E4,2026-10-01,,",
        "E4,Di Fors,di@example.com,Service/Baltics,Riga desk,lead,,2026-09-15,,",
        actor=cco,
    )
    assert result.is_valid
    assert result.applied
    assert result.counts == {
        "new_department": 1,
        "new_team": 1,
        "joiner": 2,
        "leaver": 0,
        "move": 0,
        "lead_change": 0,
        "rename": 0,
        "manager_change": 1,
    }
    cy = Person.objects.get(employee_number="E3")
    assert cy.manager.employee_number == "E4"
    assert _memberships(cy) == [("riga-desk", "member", dt.date(2026, 10, 1), None)]
    assert Department.objects.get(slug="baltics").parent.slug == "service"
    assert Person.objects.get(employee_number="E1").manager == org["bo"]
    actions = sorted(AuditEntry.objects.values_list("action", flat=True))
    assert actions == ["department.create", "person.join", "person.join", "person.manager", "team.create"]
    assert set(AuditEntry.objects.values_list("actor", flat=True)) == {cco.pk}


def test_the_same_file_twice_changes_nothing(org, cco):
    lines = (
        "E1,Anna Berg,anna@example.com,Commercial,Sales,member,,,,2026-10-05",
        BO,
        "E3,Cy Dahl,cy@example.com,Service/Baltics,Riga desk,member,E2,2026-10-01,,",
        "E5,Ed Gran,ed@example.com,Service/Nordics,Support,member,,2024-01-01,2026-09-30,",
    )
    first = _sync(*lines, actor=cco)
    assert first.applied
    audits = AuditEntry.objects.count()
    snapshot = sorted(Membership.objects.values_list("person_id", "team_id", "role", "start", "end"))
    second = _sync(*lines, actor=cco)
    assert second.is_valid
    assert second.plan.is_empty
    assert not second.applied
    assert AuditEntry.objects.count() == audits
    assert sorted(Membership.objects.values_list("person_id", "team_id", "role", "start", "end")) == snapshot


def test_leaver_is_deactivated_with_login_and_memberships_ended_never_deleted(org, cco):
    result = _sync("E1,Anna Berg,anna@example.com,Service/Nordics,Support,member,,,2026-10-10,", actor=cco)
    assert result.counts["leaver"] == 1
    anna = Person.objects.select_related("user").get(pk=org["anna"].pk)
    assert anna.is_active is False
    assert anna.user.is_active is False
    assert _memberships(anna) == [("support", "member", dt.date(2025, 1, 1), dt.date(2026, 10, 10))]
    entry = AuditEntry.objects.get(action="person.leave")
    assert entry.after == {"closed_on": ["2026-10-10"], "login_active": False, "is_active": False}
    assert "Anna" not in str(entry.before) + str(entry.after)


def test_move_between_departments_keeps_the_team_history(org, cco):
    _sync("E1,Anna Berg,anna@example.com,Commercial,Sales,member,,,,2026-10-05", actor=cco)
    assert _memberships(org["anna"]) == [
        ("support", "member", dt.date(2025, 1, 1), dt.date(2026, 10, 4)),
        ("sales", "member", dt.date(2026, 10, 5), None),
    ]
    entry = AuditEntry.objects.get(action="person.move")
    assert entry.before == {"memberships": [org["support"].pk], "is_active": True}
    assert entry.after == {
        "closed_on": ["2026-10-04"],
        "team": org["sales"].pk,
        "role": "member",
        "start": "2026-10-05",
        "is_active": True,
    }


def test_lead_change_hands_the_team_to_a_new_lead_on_the_effective_date(org, cco):
    result = _sync(
        "E1,Anna Berg,anna@example.com,Service/Nordics,Support,lead,,,,",
        "E2,Bo Ek,bo@example.com,Service/Nordics,Support,member,,,,",
        actor=cco,
    )
    assert result.counts["lead_change"] == 2
    leads = Membership.objects.current(dt.date(2026, 10, 1)).filter(team=org["support"], role="lead")
    assert list(leads.values_list("person__employee_number", flat=True)) == ["E1"]
    assert _memberships(org["bo"])[-1] == ("support", "member", dt.date(2026, 10, 1), None)


def test_one_bad_row_writes_nothing_and_names_it(org, cco):
    before = (Person.objects.count(), Membership.objects.count(), Team.objects.count(), AuditEntry.objects.count())
    result = _sync(
        "E3,Cy Dahl,cy@example.com,Service/Baltics,Riga desk,member,,2026-10-01,,",
        "E1,Anna Berg,anna@example.com,Commercial,Sales,member,,,,2026-13-01",
        actor=cco,
    )
    assert not result.is_valid
    assert not result.applied
    assert [(e.row, e.column, e.value, e.reason) for e in result.errors] == [
        (3, "effective_date", "2026-13-01", "no such day")
    ]
    after = (Person.objects.count(), Membership.objects.count(), Team.objects.count(), AuditEntry.objects.count())
    assert after == before


def test_backdated_move_into_a_closed_period_is_refused(org, cco):
    september = {"start": dt.date(2026, 9, 1), "end": dt.date(2026, 9, 30)}
    Period.objects.create(code="2026-09", kind="month", status="closed", **september)
    result = _sync("E1,Anna Berg,anna@example.com,Commercial,Sales,member,,,,2026-09-11", actor=cco)
    assert [(e.row, e.column, e.value) for e in result.errors] == [(2, "effective_date", "2026-09-11")]
    assert result.errors[0].reason.startswith("falls in a closed period (2026-09-01 to 2026-09-30)")
    assert _memberships(org["anna"]) == [("support", "member", dt.date(2025, 1, 1), None)]


def test_backdated_move_into_an_open_period_prorates_the_payout(org, cco, monkeypatch):
    """Anna moves Support -> Sales on 11 Sept (back-dated, September open): 10 days at 100 %, 20 at 150 %."""
    scorecards = FakeScorecards()
    monkeypatch.setattr("incentives.inputs._build_scorecards", scorecards)
    plan = PlanFactory(name="FCR bonus", teams=[org["support"], org["sales"]])  # September 2026, EUR 300
    ComponentFactory(plan=plan)  # FCR: threshold 70, target 80 (100 %), stretch 90 (150 %)
    scorecards.set("team", org["support"].pk, fcr="80")
    scorecards.set("team", org["sales"].pk, fcr="90")
    result = _sync("E1,Anna Berg,anna@example.com,Commercial,Sales,member,,,,2026-09-11", actor=cco)
    assert result.applied
    run = incentive_services.create_payout_run(plan=plan, actor=cco)
    run = incentive_services.calculate_payouts(run_id=run.pk, actor=cco)
    line = run.lines.get(person=org["anna"])
    assert line.proration == D("1.000000")
    stints = {s.team_id: (s.days, s.proration) for s in line.stints.all()}
    assert stints == {org["support"].pk: (10, D("0.333333")), org["sales"].pk: (20, D("0.666667"))}
    # 300 x (10/30 x 100 % + 20/30 x 150 %) = 100 + 300 = 400.00
    assert line.amount == D("400.00")


def test_records_from_the_api_or_scim_deactivate_a_person(org, cco):
    result = sync_people_records(
        records=[{"employee_id": "E1", "name": "Anna Berg", "email": "anna@example.com", "end_date": TODAY}],
        actor=cco,
        source="scim",
        today=TODAY,
    )
    assert result.applied
    assert Person.objects.get(pk=org["anna"].pk).is_active is False
    assert AuditEntry.objects.get(action="person.leave").reason == "people sync (scim)"


def test_records_with_unknown_fields_or_wrong_types_are_refused(org, cco):
    result = sync_people_records(
        records=[{"employee_id": "E9", "name": "X", "email": "x@example.com", "salary": 1}, ["E8"], {"name": 1.5}],
        actor=cco,
        today=TODAY,
    )
    assert [(e.row, e.column, e.value) for e in result.errors] == [
        (1, "(record)", "salary"),
        (2, "(record)", "['E8']"),
        (3, "name", "1.5"),
    ]


def test_dry_run_writes_nothing(org, cco):
    result = _sync("E3,Cy Dahl,cy@example.com,Service/Nordics,Support,member,,,,", dry_run=True, actor=cco)
    assert result.counts["joiner"] == 1
    assert not result.applied
    assert not Person.objects.filter(employee_number="E3").exists()


def test_xlsx_export_read_through_the_hr_export_preset(org, cco):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Employee ID", "Full Name", "Work Email", "Organization", "Team", "Job title", "Hire date"])
    sheet.append(["E3", "Cy Dahl", "cy@example.com", "Service > Nordics", "Support", "Agent", dt.date(2026, 10, 2)])
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    result = sync_people_file(stream=stream, filename="hr.xlsx", actor=cco, preset="hr_export", today=TODAY)
    assert result.applied
    cy = Person.objects.get(employee_number="E3")
    assert _memberships(cy) == [("support", "member", dt.date(2026, 10, 2), None)]


def test_unreadable_header_is_a_file_error(org, cco):
    result = sync_people_file(stream=io.BytesIO(b"id,who\nE1,x\n"), actor=cco, today=TODAY)
    assert result.file_error.startswith("The header row is wrong: unknown column(s): id, who;")
    assert not result.applied
