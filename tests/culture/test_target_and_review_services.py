"""Target and review services: validation, audit entries, bulk edits, closed-period refusals."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEntry
from culture.models import Membership, Review, Target
from culture.scorecards.services import (
    ActionInput,
    PeriodClosedError,
    TargetValues,
    close_period,
    delete_target,
    save_scope_targets,
    save_target,
    submit_review,
)
from tests.factories import DepartmentFactory, MembershipFactory, PersonFactory, TeamFactory

from .scorecard_helpers import kpi, measure, period, target

pytestmark = pytest.mark.django_db


def values(t, a, r, **extra):
    return TargetValues(Decimal(t), Decimal(a), Decimal(r), **extra)


def test_creates_and_updates_a_target_with_audit_entries(cco):
    p = period("2026-09")
    created = save_target(actor=cco, kpi=kpi("fcr"), period=p, values=values(70, 65, 60))
    save_target(actor=cco, kpi=kpi("fcr"), period=p, values=values(75, 65, 60), target=created)

    assert Target.objects.get().target_value == Decimal(75)
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions == ["target.create", "target.update"]
    update = AuditEntry.objects.get(action="target.update")
    assert (update.before["target_value"], update.after["target_value"]) == ("70.0000", "75.0000")


def test_unchanged_save_writes_no_audit_entry(cco):
    p = period("2026-09")
    saved = save_target(actor=cco, kpi=kpi("fcr"), period=p, values=values(70, 65, 60))
    save_target(actor=cco, kpi=kpi("fcr"), period=p, values=values(70, 65, 60), target=saved)
    assert AuditEntry.objects.filter(action__startswith="target.").count() == 1


@pytest.mark.parametrize(
    ("code", "vals", "field"),
    [
        ("fcr", values(70, 75, 60), "on_track_from"),
        ("aht", values(300, 290, 360), "on_track_from"),
        ("fcr", values(70, 65, 60, weight=Decimal(-1)), "weight"),
    ],
)
def test_rejects_badly_ordered_thresholds_and_negative_weights(cco, code, vals, field):
    with pytest.raises(ValidationError) as error:
        save_target(actor=cco, kpi=kpi(code), period=period("2026-09"), values=vals)
    assert field in error.value.message_dict


def test_rejects_a_target_with_two_scopes(cco):
    team = TeamFactory()
    with pytest.raises(ValidationError, match="not both"):
        save_target(
            actor=cco,
            kpi=kpi("fcr"),
            period=period("2026-09"),
            values=values(70, 65, 60),
            team=team,
            department=team.department,
        )


def test_writes_into_a_closed_period_are_refused(cco):
    p = period("2026-09")
    existing = target("fcr", p, 70, 65, 60)
    close_period(code="2026-09", actor=cco)
    with pytest.raises(PeriodClosedError, match="2026-09 was closed"):
        save_target(actor=cco, kpi=kpi("aht"), period=p, values=values(300, 330, 360))
    with pytest.raises(PeriodClosedError):
        delete_target(actor=cco, target=existing)


def test_delete_is_audited(cco):
    existing = target("fcr", period("2026-09"), 70, 65, 60)
    delete_target(actor=cco, target=existing)
    entry = AuditEntry.objects.get(action="target.delete")
    assert entry.object_id == str(existing.pk) and entry.before["target_value"] == "70.0000"


def test_bulk_edit_creates_updates_and_removes_per_kpi(cco):
    department = DepartmentFactory()
    p = period("2026-09")
    target("fcr", p, 70, 65, 60, department=department)
    target("aht", p, 300, 330, 360, department=department)
    counts = save_scope_targets(
        actor=cco,
        period=p,
        department=department,
        rows=[(kpi("fcr"), values(72, 65, 60)), (kpi("aht"), None), (kpi("nps"), values(30, 20, 10, min_sample=30))],
    )
    assert counts == {"created": 1, "updated": 1, "deleted": 1, "unchanged": 0}
    assert sorted(Target.objects.values_list("kpi__code", "target_value")) == [
        ("fcr", Decimal(72)),
        ("nps", Decimal(30)),
    ]
    assert AuditEntry.objects.filter(action__startswith="target.").count() == 3


def test_bulk_edit_writes_nothing_when_one_row_is_invalid(cco):
    team = TeamFactory()
    with pytest.raises(ValidationError, match="aht"):
        save_scope_targets(
            actor=cco,
            period=period("2026-09"),
            team=team,
            rows=[(kpi("fcr"), values(72, 65, 60)), (kpi("aht"), values(300, 200, 360))],
        )
    assert not Target.objects.exists()


@pytest.fixture
def red_team(lead_a, team_a):
    p = period("2026-09")
    target("fcr", p, 70, 65, 60)
    target("aht", p, 300, 330, 360)
    measure(team_a, "fcr", "2026-09-01", numerator=50, denominator=100)  # red
    measure(team_a, "aht", "2026-09-01", value=400, sample_size=10)  # red
    owner = lead_a.person
    return {"period": p, "owner": owner}


def _action(code, owner, **extra):
    return ActionInput(code, extra.get("comment", "cause"), "coach", owner.pk, dt.date(2026, 10, 15))


def test_review_needs_an_action_for_every_red_kpi(red_team, lead_a, team_a):
    with pytest.raises(ValidationError, match="missing aht"):
        submit_review(
            actor=lead_a,
            team=team_a,
            period=red_team["period"],
            comment="Tough month",
            actions=[_action("fcr", red_team["owner"])],
        )
    assert not Review.objects.exists()


def test_review_is_submitted_once_and_edited_afterwards(red_team, lead_a, team_a):
    args = {"actor": lead_a, "team": team_a, "period": red_team["period"]}
    actions = [_action("fcr", red_team["owner"]), _action("aht", red_team["owner"])]
    first = submit_review(**args, comment="Tough month", actions=actions)
    second = submit_review(**args, comment="Tough month, staffing", actions=actions)

    assert first.pk == second.pk
    assert Review.objects.get().comment == "Tough month, staffing"
    assert second.actions.count() == 2
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "review.submit",
        "review.update",
    ]


def test_review_owner_must_be_a_current_member(red_team, lead_a, team_a):
    outsider = PersonFactory()
    MembershipFactory(person=outsider, team=TeamFactory(), role=Membership.Role.MEMBER)
    with pytest.raises(ValidationError, match="current member"):
        submit_review(
            actor=lead_a,
            team=team_a,
            period=red_team["period"],
            comment="x",
            actions=[_action("fcr", outsider), _action("aht", red_team["owner"])],
        )


def test_review_of_a_closed_period_is_refused(red_team, lead_a, team_a, cco):
    close_period(code="2026-09", actor=cco)
    with pytest.raises(PeriodClosedError, match="closed"):
        submit_review(actor=lead_a, team=team_a, period=red_team["period"], comment="late", actions=[])


def test_a_closed_quarter_also_freezes_its_months(cco):
    close_period(code="2026-Q3", actor=cco)
    with pytest.raises(PeriodClosedError, match="2026-Q3 was closed"):
        save_target(actor=cco, kpi=kpi("fcr"), period="2026-08", values=values(70, 65, 60))
    save_target(actor=cco, kpi=kpi("fcr"), period="2026-10", values=values(70, 65, 60))
