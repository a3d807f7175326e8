"""Every write in incentives: plans, payout runs (compute, pay); approvals and adjustments in `approvals`.

Services load rows into the pure dataclasses of `calculations` (through `inputs`), let it do the math,
and persist the result.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from decimal import Decimal
from functools import partial

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from core.audit import record, snapshot
from core.money import round_money
from core.notifications import notify
from culture.models import Department, Team
from users.models import User

from . import calculations as calc
from .approvals import (
    add_adjustment,
    approve_adjustment,
    approve_payout_run,
    fingerprint_of,
    lock_plan,
    note_contribution,
    note_rule_change,
    request_approval,
    sync_rule_changers,
)
from .bulk import delete_run_rows, replace_run_lines
from .explain import stint_components_json
from .inputs import load_plan_inputs
from .models import (
    Component,
    ImmutableRunError,
    PayoutLine,
    PayoutRun,
    Plan,
    RunContributor,
    StatementDispute,
)
from .payroll import issue_payroll_file, unfiled_adjustments

__all__ = [  # the approval services live in `approvals`; callers may keep using `services`
    "add_adjustment",
    "approve_adjustment",
    "approve_payout_run",
    "request_approval",
]

PLAN_FIELDS = ["name", "period", "reward_type", "currency", "target_amount", "eligible_roles", "status"]
COMPONENT_FIELDS = [
    "plan",
    "kpi",
    "level",
    "weight",
    "threshold",
    "target",
    "stretch",
    "threshold_payout_pct",
    "stretch_payout_pct",
    "cap_pct",
    "is_gate",
    "min_sample",
    "min_response_rate_pct",
]
SIX_PLACES = Decimal("0.000001")
TEN_PLACES = Decimal("1E-10")

logger = logging.getLogger(__name__)


# --- plans --------------------------------------------------------------------------------------
LOCKED_PLAN_MESSAGE = gettext_lazy(
    "This plan has an approved or paid payout run, so its rules (amounts, components, eligibility, "
    "overrides) can no longer change: they explain that run. Only its status can. Create a new plan instead."
)


_lock_plan = lock_plan


def _refuse_if_plan_locked(plan: Plan) -> None:
    _lock_plan(plan.pk)
    if plan.is_locked:
        raise ValidationError(LOCKED_PLAN_MESSAGE)


@transaction.atomic
def save_plan(*, plan: Plan, actor, reason: str = "") -> Plan:
    """Create or update a plan (validated) and audit the change; a locked plan may change its status only."""
    _lock_plan(plan.pk)
    before = snapshot(Plan.objects.get(pk=plan.pk), PLAN_FIELDS) if plan.pk else None
    if before is not None and plan.is_locked:
        after = snapshot(plan, PLAN_FIELDS)
        if any(before[name] != after[name] for name in PLAN_FIELDS if name != "status"):
            raise ValidationError(LOCKED_PLAN_MESSAGE)
    if plan.pk is None:
        plan.created_by = actor
    plan.full_clean()
    plan.save()
    after = snapshot(plan, PLAN_FIELDS)
    if before is None or any(before[name] != after[name] for name in PLAN_FIELDS if name != "status"):
        note_rule_change(plan, actor)
    record(actor=actor, action="plan.save", obj=plan, before=before, after=snapshot(plan, PLAN_FIELDS), reason=reason)
    return plan


@transaction.atomic
def set_plan_eligibility(*, plan: Plan, teams: Iterable[Team], departments: Iterable[Department], actor) -> None:
    """Replace the plan's eligible teams and departments, audited (a locked plan refuses any change)."""
    before = {
        "teams": sorted(plan.eligible_teams.values_list("pk", flat=True)),
        "departments": sorted(plan.eligible_departments.values_list("pk", flat=True)),
    }
    teams, departments = list(teams), list(departments)
    wanted = {"teams": sorted(t.pk for t in teams), "departments": sorted(d.pk for d in departments)}
    _lock_plan(plan.pk)
    if plan.is_locked:
        if wanted != before:
            raise ValidationError(LOCKED_PLAN_MESSAGE)
        return
    plan.eligible_teams.set(teams)
    plan.eligible_departments.set(departments)
    after = {
        "teams": sorted(plan.eligible_teams.values_list("pk", flat=True)),
        "departments": sorted(plan.eligible_departments.values_list("pk", flat=True)),
    }
    record(actor=actor, action="plan.eligibility", obj=plan, before=before, after=after)
    note_rule_change(plan, actor)


@transaction.atomic
def set_override(*, plan: Plan, person_id: int, target_amount: Decimal | None, actor, reason: str = "") -> None:
    """Set (or, with None, remove) a person's own target amount in a plan, audited."""
    _refuse_if_plan_locked(plan)
    current = plan.overrides.filter(person_id=person_id).first()
    before = {"person": person_id, "target_amount": current.target_amount if current else None}
    if target_amount is None:
        plan.overrides.filter(person_id=person_id).delete()
    else:
        if target_amount < 0:
            raise ValidationError({"target_amount": gettext("A target amount cannot be negative.")})
        plan.overrides.update_or_create(person_id=person_id, defaults={"target_amount": target_amount})
    after = {"person": person_id, "target_amount": target_amount}
    record(actor=actor, action="plan.override", obj=plan, before=before, after=after, reason=reason)
    note_rule_change(plan, actor)


@transaction.atomic
def save_component(*, component: Component, actor, reason: str = "") -> Component:
    """Create or update a plan component; its curve is validated by `Component.clean`."""
    _refuse_if_plan_locked(component.plan)
    before = snapshot(Component.objects.get(pk=component.pk), COMPONENT_FIELDS) if component.pk else None
    component.full_clean()
    component.save()
    note_rule_change(component.plan, actor)
    record(
        actor=actor,
        action="component.save",
        obj=component,
        before=before,
        after=snapshot(component, COMPONENT_FIELDS),
        reason=reason,
    )
    return component


@transaction.atomic
def delete_component(*, component: Component, actor, reason: str = "") -> None:
    """Remove a component from a plan whose rules may still change (a locked plan refuses), audited."""
    _refuse_if_plan_locked(component.plan)
    before = snapshot(component, COMPONENT_FIELDS)
    record(actor=actor, action="component.delete", obj=component, before=before, reason=reason)
    component.delete()


# --- payout runs --------------------------------------------------------------------------------
@transaction.atomic
def create_payout_run(*, plan: Plan, actor) -> PayoutRun:
    """An empty draft run for a plan; `calculate_payouts` fills it (often from a task)."""
    if plan.status != Plan.Status.ACTIVE:
        raise ValidationError(
            gettext("Only an active plan can have new payout runs (draft plans: activate; closed: done).")
        )
    if not plan.components.exists():
        raise ValidationError(gettext("The plan has no components."))
    run = PayoutRun.objects.create(plan=plan, currency=plan.currency, prepared_by=actor)
    note_contribution(run, actor, RunContributor.Kind.PREPARED)
    sync_rule_changers(run)
    record(actor=actor, action="payoutrun.create", obj=run, after={"plan": plan.pk})
    return run


def _main_team(line: calc.LineResult) -> int:
    return max(line.stints, key=lambda s: (s.days, s.team_id)).team_id


@transaction.atomic
def calculate_payouts(*, run_id: int, actor=None) -> PayoutRun:
    """Compute a draft run's lines from current data, replacing any previous lines. Same data, same lines."""
    run = PayoutRun.objects.select_for_update().select_related("plan__period").get(pk=run_id)
    if run.is_locked:
        raise ImmutableRunError(
            gettext("Run #%(id)s is %(status)s: it cannot be recalculated.")
            % {"id": run.pk, "status": str(run.get_status_display()).lower()}
        )
    inputs = load_plan_inputs(plan=run.plan)
    rounder = partial(round_money, currency=run.currency)
    result = calc.calculate_run(
        specs=inputs.specs, people=inputs.people, period_days=inputs.period_days, rounder=rounder
    )
    kept = [line for line in result.lines if line.stints]
    explained: dict[int, dict] = {}  # identical stints share one result object: explain each once
    breakdowns: list[tuple[dict, list[dict]]] = []
    index_of: dict[int, int] = {}  # calculate_run gives lines with the same stints and target one tuple
    people: list[tuple[int, int]] = []

    def stint_row(stint: calc.StintResult) -> dict:
        row = explained.get(id(stint))
        if row is None:
            row = explained[id(stint)] = {
                "team_id": stint.team_id,
                "days": stint.days,
                "proration": stint.proration.quantize(SIX_PLACES),
                "gates_met": stint.gates_met,
                "exact_amount": stint.amount.quantize(TEN_PLACES),
                "components": stint_components_json(stint, inputs.components, run.currency),
            }
        return row

    for line in kept:
        index = index_of.get(id(line.stints))
        if index is None:
            index = index_of[id(line.stints)] = len(breakdowns)
            values = {
                "team_id": _main_team(line),
                "target_amount": line.target_amount,
                "proration": line.proration.quantize(SIX_PLACES),
                "exact_amount": line.exact_amount.quantize(TEN_PLACES),
                "amount": line.amount,
            }
            breakdowns.append((values, [stint_row(stint) for stint in line.stints]))
        people.append((line.person_id, index))
    replace_run_lines(run_id=run.pk, breakdowns=breakdowns, people=people)
    before = {"total": run.total, "line_count": run.line_count, "fingerprint": run.fingerprint}
    run.total = result.total
    run.line_count = len(kept)
    run.computed_at = timezone.now()
    run.fingerprint = fingerprint_of(inputs)
    run.save(update_fields=["total", "line_count", "computed_at", "fingerprint"])
    note_contribution(run, actor, RunContributor.Kind.RECALCULATED)
    sync_rule_changers(run)
    after = {"total": run.total, "fingerprint": run.fingerprint}
    record(actor=actor, action="payoutrun.calculate", obj=run, before=before, after=after)
    return run


@transaction.atomic
def mark_payout_run_paid(*, run_id: int, actor) -> PayoutRun:
    """Approved -> paid (the only change an approved run allows)."""
    run = PayoutRun.objects.select_for_update().get(pk=run_id)
    if not actor.has_perm("incentives.pay_payoutrun"):
        raise PermissionDenied(gettext("You may not mark payout runs paid."))
    if run.status != PayoutRun.Status.APPROVED:
        raise ValidationError(gettext("Only an approved run can be marked paid."))
    if not run.payroll_files.exists() or unfiled_adjustments(run).exists():
        # What is paid: everything approved by now is in a payroll file (the first, or changes after one issued
        # early), issued while approved: a paid run without a file is one paid before the register, whose
        # lines `issue_payroll_file` records as paid, not as owed.
        issue_payroll_file(run_id=run.pk, actor=actor)
    run.status = PayoutRun.Status.PAID
    run.paid_by = actor
    run.paid_at = timezone.now()
    run.save(update_fields=["status", "paid_by", "paid_at"])
    record(actor=actor, action="payoutrun.paid", obj=run, before={"status": "approved"}, after={"status": "paid"})
    return run


@transaction.atomic
def delete_draft_run(*, run_id: int, actor) -> None:
    """Discard a draft run (approved runs refuse)."""
    run = PayoutRun.objects.select_for_update().get(pk=run_id)
    if run.is_locked:
        raise ImmutableRunError(
            gettext("Run #%(id)s is %(status)s: it cannot be deleted.")
            % {"id": run.pk, "status": str(run.get_status_display()).lower()}
        )
    record(actor=actor, action="payoutrun.delete", obj=run, before={"total": run.total})
    delete_run_rows(run.pk)
    run.delete()


# --- questions about statements -----------------------------------------------------------------
def _dispute_link(dispute: StatementDispute) -> str:
    return dispute.get_absolute_url()


@transaction.atomic
def raise_dispute(*, line: PayoutLine, question: str, actor) -> StatementDispute:
    """ "Question this statement": an open question on an approved or paid line, audited; the compensation
    admins are notified. The caller has checked that `actor` may read the line."""
    if not actor.has_perm("incentives.add_statementdispute"):
        raise PermissionDenied(gettext("You may not question statements."))
    if not line.run.is_locked:
        raise ValidationError(gettext_lazy("A draft run may still change: question its statement once approved."))
    if not question.strip():
        raise ValidationError({"question": gettext_lazy("Say what looks wrong or unclear.")})
    dispute = StatementDispute.objects.create(line=line, raised_by=actor, question=question.strip())
    record(actor=actor, action="dispute.raise", obj=dispute, after={"line": line.pk, "status": dispute.status})
    answer = Q(content_type__app_label="incentives", codename="change_statementdispute")
    admins = User.objects.filter(
        Q(groups__permissions__in=Permission.objects.filter(answer))
        | Q(user_permissions__in=Permission.objects.filter(answer))
    )
    for admin in admins.exclude(pk=actor.pk).filter(is_active=True).distinct().order_by("pk"):
        notify(
            recipient=admin,
            key=f"incentives.dispute.{dispute.pk}.raised.{admin.pk}",
            template="core/email/message",
            context={
                "subject": gettext_lazy("A statement was questioned"),
                "text": gettext_lazy("Question #%(id)s about statement #%(line)s waits for an answer.")
                % {"id": dispute.pk, "line": line.pk},
                "link": _dispute_link(dispute),
            },
        )
    return dispute


@transaction.atomic
def answer_dispute(*, dispute_id: int, answer: str, actor) -> StatementDispute:
    """The compensation admin answers an open question (audited); whoever raised it is notified."""
    dispute = StatementDispute.objects.select_for_update().select_related("raised_by").get(pk=dispute_id)
    if not actor.has_perm("incentives.change_statementdispute"):
        raise PermissionDenied(gettext("You may not answer questions about statements."))
    if dispute.status != StatementDispute.Status.OPEN:
        raise ValidationError(gettext_lazy("This question has already been answered."))
    if not answer.strip():
        raise ValidationError({"answer": gettext_lazy("Write the answer.")})
    dispute.status = StatementDispute.Status.ANSWERED
    dispute.answer, dispute.answered_by, dispute.answered_at = answer.strip(), actor, timezone.now()
    dispute.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    record(actor=actor, action="dispute.answer", obj=dispute, before={"status": "open"}, after={"status": "answered"})
    notify(
        recipient=dispute.raised_by,
        key=f"incentives.dispute.{dispute.pk}.answered",
        template="core/email/message",
        context={
            "subject": gettext_lazy("Your question about a statement was answered"),
            "text": gettext_lazy("Question #%(id)s has an answer.") % {"id": dispute.pk},
            "link": _dispute_link(dispute),
        },
    )
    return dispute


@transaction.atomic
def resolve_dispute(*, dispute_id: int, actor) -> StatementDispute:
    """Whoever raised an answered question, or a compensation admin, closes it (audited)."""
    dispute = StatementDispute.objects.select_for_update().get(pk=dispute_id)
    if dispute.raised_by_id != actor.pk and not actor.has_perm("incentives.change_statementdispute"):
        raise PermissionDenied(gettext("Only whoever raised the question or a compensation admin may resolve it."))
    if dispute.status != StatementDispute.Status.ANSWERED:
        raise ValidationError(gettext_lazy("Only an answered question can be resolved."))
    dispute.status, dispute.resolved_at = StatementDispute.Status.RESOLVED, timezone.now()
    dispute.save(update_fields=["status", "resolved_at"])
    record(
        actor=actor, action="dispute.resolve", obj=dispute, before={"status": "answered"}, after={"status": "resolved"}
    )
    return dispute
