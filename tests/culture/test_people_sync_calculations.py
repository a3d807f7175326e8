"""The people sync's pure difference: stored org + rows -> plan, without a database."""

from __future__ import annotations

import datetime as dt

from culture.measurements.rules import RowError
from culture.org.sync import calculations as calc

TODAY = dt.date(2026, 10, 15)
SUPPORT = calc.StoredTeam(1, "Support", "support", ("Service", "Nordics"), True)
SALES = calc.StoredTeam(2, "Sales", "sales", ("Commercial",), True)
OLD = calc.StoredTeam(3, "Old", "old", ("Service",), False)


def _org(*people: calc.StoredPerson, closed=()) -> calc.StoredOrg:
    return calc.StoredOrg(
        people={person.employee_number: person for person in people},
        teams=[SUPPORT, SALES, OLD],
        departments={("service",): 10, ("service", "nordics"): 11, ("commercial",): 12},
        closed_ranges=tuple(closed),
    )


def _anna(*memberships: calc.StoredMembership, active=True, manager="") -> calc.StoredPerson:
    if not memberships:
        memberships = (calc.StoredMembership(100, SUPPORT.id, "member", dt.date(2025, 1, 1), None),)
    return calc.StoredPerson(7, "E1", "Anna Berg", "anna@example.com", active, manager, memberships)


def _row(**cells) -> dict[str, str | None]:
    base = {"employee_id": "E1", "name": "Anna Berg", "email": "anna@example.com"}
    base.update({"department": "Service/Nordics", "team": "Support", "role": "member"})
    base.update(cells)
    return {name: base.get(name) for name in calc.FIELDS}


def _plan(*rows, org=None, effective=dt.date(2026, 10, 1)) -> calc.Plan:
    numbered = [(number, row) for number, row in enumerate(rows, start=2)]
    return calc.compute_plan(numbered, org or _org(_anna()), default_effective=effective, today=TODAY)


def test_unchanged_person_gives_an_empty_plan():
    plan = _plan(_row())
    assert plan.is_valid
    assert plan.is_empty
    assert plan.row_count == 1


def test_new_person_is_a_joiner_from_their_start_date():
    plan = _plan(_row(employee_id="E2", name="Bo", email="bo@example.com", start_date="2026-09-01", manager_id="E1"))
    (change,) = plan.changes
    assert change.kind == calc.JOINER
    assert change.person_id is None
    assert change.team == calc.TeamRef(("Service", "Nordics"), "Support", SUPPORT.id)
    assert change.start == dt.date(2026, 9, 1)
    assert change.manager == "E1"
    assert plan.counts()[calc.JOINER] == 1


def test_team_in_a_new_department_creates_every_missing_level_parents_first():
    row = _row(employee_id="E2", name="Bo", email="bo@example.com", department="Service/Baltics/Riga", team="Desk")
    plan = _plan(row)
    assert plan.departments == (("Service", "Baltics"), ("Service", "Baltics", "Riga"))
    assert plan.teams == (calc.TeamRef(("Service", "Baltics", "Riga"), "Desk"),)
    assert plan.counts()[calc.NEW_DEPARTMENT] == 2
    assert plan.counts()[calc.NEW_TEAM] == 1


def test_team_names_match_regardless_of_case_and_spacing():
    plan = _plan(_row(department=" service / NORDICS ", team="support "))
    assert plan.is_empty


def test_move_ends_the_old_membership_the_day_before_the_effective_date():
    plan = _plan(_row(department="Commercial", team="Sales", effective_date="2026-10-05"))
    (change,) = plan.changes
    assert change.kind == calc.MOVE
    assert change.close == ((100, dt.date(2026, 10, 4)),)
    assert change.start == dt.date(2026, 10, 5)
    assert change.team.id == SALES.id


def test_role_change_in_the_same_team_is_a_lead_change():
    (change,) = _plan(_row(role="Lead")).changes
    assert change.kind == calc.LEAD_CHANGE
    assert change.role == "lead"
    assert change.close == ((100, dt.date(2026, 9, 30)),)


def test_end_date_today_makes_a_leaver_deactivated():
    (change,) = _plan(_row(end_date="2026-10-15")).changes
    assert change.kind == calc.LEAVER
    assert change.close == ((100, dt.date(2026, 10, 15)),)
    assert change.activate is False


def test_end_date_ahead_ends_memberships_but_keeps_the_person_active_until_then():
    (change,) = _plan(_row(end_date="2026-11-30")).changes
    assert change.kind == calc.LEAVER
    assert change.activate is None


def test_leaver_already_applied_gives_an_empty_plan():
    ended = calc.StoredMembership(100, SUPPORT.id, "member", dt.date(2025, 1, 1), dt.date(2026, 10, 15))
    assert _plan(_row(end_date="2026-10-15"), org=_org(_anna(ended, active=False))).is_empty


def test_returning_leaver_rejoins_on_the_effective_date():
    ended = calc.StoredMembership(100, SUPPORT.id, "member", dt.date(2025, 1, 1), dt.date(2026, 3, 31))
    (change,) = _plan(_row(), org=_org(_anna(ended, active=False))).changes
    assert change.kind == calc.JOINER
    assert change.person_id == 7
    assert change.activate is True
    assert change.start == dt.date(2026, 10, 1)
    assert change.close == ()


def test_name_and_email_changes_are_one_rename():
    (change,) = _plan(_row(name="Anna Lind", email="anna.lind@example.com")).changes
    assert change.kind == calc.RENAME
    assert change.after == {"name": "Anna Lind", "email": "anna.lind@example.com", "changed": ["name", "email"]}


def test_missing_manager_column_leaves_the_manager_but_a_blank_one_clears_it():
    org = _org(_anna(manager="E9"), calc.StoredPerson(9, "E9", "Boss", "boss@example.com", True, ""))
    assert _plan(_row(), org=org).is_empty
    (change,) = _plan(_row(manager_id=""), org=org).changes
    assert change.kind == calc.MANAGER_CHANGE
    assert change.before == {"manager": "E9"}
    assert change.after == {"manager": ""}


def test_blank_team_leaves_memberships_as_they_are():
    assert _plan(_row(department="", team="")).is_empty


def test_team_without_department_is_found_by_name_or_slug():
    assert _plan(_row(department="", team="SUPPORT")).is_empty


def test_move_into_a_closed_period_is_refused_with_row_column_value_and_reason():
    org = _org(_anna(), closed=[(dt.date(2026, 9, 1), dt.date(2026, 9, 30))])
    plan = _plan(_row(team="Sales", department="Commercial", effective_date="2026-09-20"), org=org)
    assert plan.changes == ()
    assert plan.errors == (
        RowError(
            2,
            "effective_date",
            "2026-09-20",
            "falls in a closed period (2026-09-01 to 2026-09-30); its memberships are frozen, "
            "use an effective date in an open period",
        ),
    )


def test_every_bad_row_is_reported_and_the_plan_holds_no_change():
    rows = [
        _row(employee_id="E2", name="Bo", email="bo@example.com"),
        _row(employee_id="E3", name="", email="not-an-email", role="boss", start_date="01/02/2026"),
        _row(employee_id="E2", name="Bo again", email="bo2@example.com"),
        _row(employee_id="E4", name="Cy", email="anna@example.com"),
        _row(employee_id="E5", name="Di", email="di@example.com", department="", team="Nowhere", manager_id="E404"),
        _row(employee_id="E6", name="=cmd()", email="e6@example.com", department="Service", team="Old"),
    ]
    plan = _plan(*rows)
    assert plan.changes == ()
    assert [(e.row, e.column, e.value) for e in plan.errors] == [
        (3, "email", "not-an-email"),
        (3, "name", ""),
        (3, "role", "boss"),
        (3, "start_date", "01/02/2026"),
        (4, "employee_id", "E2"),
        (5, "email", "anna@example.com"),
        (6, "manager_id", "E404"),
        (7, "name", "=cmd()"),
    ]
    assert plan.errors[4].reason == "duplicate of row 2"
    assert plan.errors[5].reason == "already the email of employee E1"


def test_closed_team_and_unknown_team_are_refused():
    plan = _plan(
        _row(employee_id="E5", name="Di", email="di@example.com", department="", team="Nowhere"),
        _row(employee_id="E6", name="Ed", email="ed@example.com", department="Service", team="Old"),
    )
    assert [(e.row, e.column, e.reason) for e in plan.errors] == [
        (2, "team", "unknown team; give its department to create it"),
        (3, "team", "this team is closed; reopen it in the app or use another team"),
    ]


def test_change_on_or_before_the_current_membership_start_is_refused():
    plan = _plan(_row(team="Sales", department="Commercial", effective_date="2025-01-01"))
    assert [(e.column, e.value) for e in plan.errors] == [("effective_date", "2025-01-01")]


def test_department_path_separator_is_configurable():
    rows = [(2, _row(department="Service > Nordics"))]
    plan = calc.compute_plan(rows, _org(_anna()), default_effective=TODAY, today=TODAY, separator=">")
    assert plan.is_empty
