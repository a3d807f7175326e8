"""Consent to pay: who had a hand in a run, its fingerprint, approval requests, run and adjustment approvals.

Segregation of duties: a run's contributors (preparer, recalculators, and whoever changed its plan's
rules, eligibility or overrides since the plan's last approved run) may not approve it; approval needs
a closed period and the fingerprint of the run's rules and inputs unchanged since its calculation.
Adjustments are drafted by one person and count once one other person (two above the limits) approved.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Abs
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.aggregates import MONEY, ExactSum
from core.audit import record
from core.due import DueItem
from core.models import AuditEntry
from core.money import round_money
from core.notifications import notify
from users.roles import Role

from .fingerprint import run_fingerprint
from .inputs import PlanInputs, load_plan_inputs
from .models import Adjustment, AdjustmentApproval, PayoutRun, Plan, RunContributor, StatementDispute

logger = logging.getLogger(__name__)

# Audit actions that change what explains a run (a plan.save that only changes the status does not).
# Consent comes from a person whose job it is: the CCO or a compensation approver. An administrator's
# superuser flag grants every permission, but IT does not approve pay (issue 14).
APPROVING_ROLES = frozenset({Role.CCO, Role.APPROVER})
RULE_ACTIONS = ("plan.save", "plan.eligibility", "plan.override", "component.save", "component.delete")
APPROVE_PERMISSION = "incentives.approve_payoutrun"


def lock_plan(plan_id: int | None) -> None:
    """Hold the plan row until commit: approving a run and editing its plan's rules take turns."""
    if plan_id is not None:
        list(Plan.objects.select_for_update().filter(pk=plan_id).values_list("pk"))


# --- fingerprints -------------------------------------------------------------------------------
def fingerprint_of(inputs: PlanInputs) -> str:
    """The fingerprint of a plan's rules and the inputs loaded for it."""
    plan = inputs.plan
    terms = {
        "period": plan.period.code,
        "reward_type": plan.reward_type,
        "currency": plan.currency,
        "target_amount": plan.target_amount,
        "eligible_roles": sorted(plan.eligible_roles or []),
        "eligible_teams": sorted(plan.eligible_teams.values_list("pk", flat=True)),
        "eligible_departments": sorted(plan.eligible_departments.values_list("pk", flat=True)),
    }
    return run_fingerprint(terms=terms, specs=inputs.specs, period_days=inputs.period_days, people=inputs.people)


def current_fingerprint(run: PayoutRun) -> str:
    """The fingerprint the run would get if it were calculated now."""
    return fingerprint_of(load_plan_inputs(plan=run.plan))


# --- contributors -------------------------------------------------------------------------------
def note_contribution(run: PayoutRun, actor, kind: str) -> None:
    """Remember that `actor` had a hand in the run (idempotent)."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        RunContributor.objects.get_or_create(run=run, user=actor, kind=kind)


def note_rule_change(plan: Plan, actor) -> None:
    """Whoever changes a plan's rules contributes to each of its draft runs."""
    for run in plan.runs.filter(status=PayoutRun.Status.DRAFT):
        note_contribution(run, actor, RunContributor.Kind.CHANGED_RULES)


def _rule_changes_since_last_approval(plan: Plan) -> list[int]:
    """Ids of the users whose audited changes of the plan's rules follow its last approved run."""
    last = plan.runs.locked().exclude(approved_at=None).order_by("-approved_at").first()
    component_ids = [str(pk) for pk in plan.components.values_list("pk", flat=True)]
    entries = AuditEntry.objects.filter(
        Q(object_type="incentives.plan", object_id=str(plan.pk))
        | Q(object_type="incentives.component", object_id__in=component_ids),
        action__in=RULE_ACTIONS,
        actor__isnull=False,
    )
    if last is not None:
        entries = entries.filter(created_at__gt=last.approved_at)
    changers = set()
    for actor_id, action, before, after in entries.values_list("actor_id", "action", "before", "after"):
        if action == "plan.save" and isinstance(before, dict) and isinstance(after, dict):
            changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
            if changed <= {"status"}:
                continue  # a status change (activate, close) does not change the rules
        changers.add(actor_id)
    return sorted(changers)


def sync_rule_changers(run: PayoutRun) -> None:
    """Add to the run everyone whose rule changes of its plan follow the plan's last approved run."""
    for user_id in _rule_changes_since_last_approval(run.plan):
        RunContributor.objects.get_or_create(run=run, user_id=user_id, kind=RunContributor.Kind.CHANGED_RULES)


def contributor_ids(run: PayoutRun) -> set[int]:
    ids = set(run.contributors.values_list("user_id", flat=True))
    if run.prepared_by_id is not None:
        ids.add(run.prepared_by_id)
    return ids


# --- approving a run ----------------------------------------------------------------------------
def may_approve(actor) -> bool:
    """The permission and an approving role (CCO or compensation approver), not just a superuser flag."""
    return actor.has_perm(APPROVE_PERMISSION) and bool(actor.roles & APPROVING_ROLES)


def check_run_approval(run: PayoutRun, actor, *, fingerprint: str | None = None) -> None:
    """Raise unless `actor` may approve the draft run now (the service and the approval pack both ask)."""
    if not may_approve(actor):
        raise PermissionDenied(_("You may not approve payout runs."))
    if run.status != PayoutRun.Status.DRAFT:
        raise ValidationError(_("Run #%(run)s is already %(status)s.") % {"run": run.pk, "status": run.status})
    if run.computed_at is None or not run.fingerprint:
        raise ValidationError(_("The run has not been calculated yet."))
    if actor.pk in contributor_ids(run):
        raise PermissionDenied(
            _(
                "You prepared or recalculated this run, or changed its plan's rules, eligibility or overrides: "
                "someone who had no hand in it must approve it."
            )
        )
    if not run.plan.period.is_closed:
        raise ValidationError(
            _("Runs are approved only for a closed period: close %(period)s first.") % {"period": run.plan.period.code}
        )
    if (fingerprint or current_fingerprint(run)) != run.fingerprint:
        raise ValidationError(
            _("The plan's rules or the run's inputs changed since the run was calculated: recalculate first.")
        )


@transaction.atomic
def approve_payout_run(*, run_id: int, actor) -> PayoutRun:
    """Draft -> approved by someone with no hand in the run, for a closed period, on unchanged inputs."""
    run = PayoutRun.objects.select_for_update().select_related("plan__period").get(pk=run_id)
    lock_plan(run.plan_id)  # the plan's rules freeze with this approval: wait for an edit in progress
    sync_rule_changers(run)
    check_run_approval(run, actor)
    run.status = PayoutRun.Status.APPROVED
    run.approved_by = actor
    run.approved_at = timezone.now()
    run.save(update_fields=["status", "approved_by", "approved_at"])
    record(
        actor=actor,
        action="payoutrun.approve",
        obj=run,
        before={"status": "draft"},
        after={"status": run.status, "total": run.total, "fingerprint": run.fingerprint},
    )
    run_id = run.pk
    transaction.on_commit(
        lambda: logger.info("payout run %s approved", run_id, extra={"event": "payoutrun.approved", "run_id": run_id})
    )
    return run


def approvers():
    """Active users who may approve runs (through a role or directly)."""
    user_model = get_user_model()
    codename = APPROVE_PERMISSION.split(".", 1)[1]
    return (
        user_model.objects.filter(is_active=True)
        .filter(Q(groups__permissions__codename=codename) | Q(user_permissions__codename=codename))
        .distinct()
        .order_by("pk")
    )


@transaction.atomic
def request_approval(*, run_id: int, actor) -> list[int]:
    """Ask every approver who had no hand in the run to approve it (email + their home page); their ids."""
    run = PayoutRun.objects.select_for_update().select_related("plan__period").get(pk=run_id)
    if not (actor.has_perm("incentives.add_payoutrun") or actor.pk in contributor_ids(run)):
        raise PermissionDenied(_("Only who prepares runs may ask for approval."))
    if run.status != PayoutRun.Status.DRAFT or run.computed_at is None:
        raise ValidationError(_("Only a calculated draft run can be sent for approval."))
    run.approval_requested_at = timezone.now()
    run.save(update_fields=["approval_requested_at"])
    excluded = contributor_ids(run) | {actor.pk}
    recipients = [user for user in approvers() if user.pk not in excluded and may_approve(user)]
    if not recipients:
        raise ValidationError(_("No compensation approver without a hand in this run exists: assign the role first."))
    for user in recipients:
        notify(
            recipient=user,
            key=f"incentives.approval:run={run.pk}:fingerprint={run.fingerprint[:16]}:user={user.pk}",
            template="incentives/email/approval_request",
            context={"run": run, "plan": run.plan, "requested_by": actor},
        )
    record(actor=actor, action="payoutrun.request_approval", obj=run, after={"recipients": [u.pk for u in recipients]})
    return [user.pk for user in recipients]


@transaction.atomic
def return_run(*, run_id: int, actor, reason: str) -> PayoutRun:
    """An approver sends a draft run back to its preparer with a reason (audited; the preparer is emailed)."""
    run = PayoutRun.objects.select_for_update(of=("self",)).select_related("plan__period", "prepared_by").get(pk=run_id)
    if not may_approve(actor):
        raise PermissionDenied(_("You may not return payout runs."))
    if run.status != PayoutRun.Status.DRAFT or run.approval_requested_at is None:
        raise ValidationError(_("Only a draft run awaiting approval can be returned."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the preparer should look at.")})
    requested = run.approval_requested_at
    run.approval_requested_at = None
    run.save(update_fields=["approval_requested_at"])
    record(actor=actor, action="payoutrun.return", obj=run, before={"requested": requested}, reason=reason.strip())
    if run.prepared_by is not None and run.prepared_by.email:
        notify(
            recipient=run.prepared_by,
            key=f"incentives.return:run={run.pk}:requested={requested.isoformat()}",
            template="incentives/email/run_returned",
            context={"run": run, "plan": run.plan, "returned_by": actor, "reason": reason.strip()},
        )
    return run


# --- adjustments --------------------------------------------------------------------------------
def required_approvals(*, amount: Decimal, run_abs_total: Decimal) -> int:
    """Two approvers above the per-line or the per-run limit (absolute amounts), else one."""
    line_limit = Decimal(str(settings.CENTRIC_ADJUSTMENT_LINE_LIMIT))
    run_limit = Decimal(str(settings.CENTRIC_ADJUSTMENT_RUN_LIMIT))
    return 2 if abs(amount) > line_limit or run_abs_total > run_limit else 1


@transaction.atomic
def add_adjustment(
    *, run_id: int, person_id: int, amount: Decimal, reason: str, actor, reason_code: str = "other"
) -> Adjustment:
    """Draft a correction of an approved or paid run for one person; it counts once approved by others."""
    run = PayoutRun.objects.select_for_update().get(pk=run_id)
    if not actor.has_perm("incentives.add_adjustment"):
        raise PermissionDenied(_("You may not adjust payout runs."))
    if not run.is_locked:
        raise ValidationError(_("A draft run is corrected by recalculating it, not by adjustments."))
    if reason_code not in Adjustment.ReasonCode.values:
        raise ValidationError({"reason_code": _("Choose one of the reason codes.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the correction is needed.")})
    rounded = round_money(Decimal(amount), run.currency)
    if rounded == 0:
        raise ValidationError({"amount": _("The adjustment rounds to zero.")})
    line = run.lines.filter(person_id=person_id).first()
    if line is None:
        raise ValidationError({"person": _("This person has no line in the run.")})
    drafted = Adjustment.objects.filter(run=run, person_id=person_id).aggregate(total=ExactSum("amount"))["total"] or 0
    if line.amount + drafted + rounded < 0:
        raise ValidationError(
            {
                "amount": _("The person's pay from this run would fall below zero (line %(line)s).")
                % {"line": line.amount}
            }
        )
    run_abs = Adjustment.objects.filter(run=run).aggregate(total=ExactSum(Abs("amount"), output_field=MONEY))[
        "total"
    ] or Decimal(0)
    adjustment = Adjustment.objects.create(
        run=run,
        person_id=person_id,
        amount=rounded,
        reason_code=reason_code,
        reason=reason.strip(),
        required_approvals=required_approvals(amount=rounded, run_abs_total=run_abs + abs(rounded)),
        created_by=actor,
    )
    record(
        actor=actor,
        action="payoutrun.adjust",
        obj=run,
        after={"adjustment": adjustment.pk, "person": person_id, "amount": rounded, "code": reason_code},
        reason=reason.strip(),
    )
    return adjustment


@transaction.atomic
def approve_adjustment(*, adjustment_id: int, actor) -> Adjustment:
    """One approver's consent to an adjustment drafted by someone else; it counts once it has enough."""
    adjustment = Adjustment.objects.select_for_update().select_related("run").get(pk=adjustment_id)
    if not may_approve(actor):
        raise PermissionDenied(_("You may not approve adjustments."))
    if adjustment.created_by_id == actor.pk:
        raise PermissionDenied(_("Who drafted an adjustment cannot approve it: a second person must."))
    approvals = set(adjustment.approvals.values_list("approved_by_id", flat=True))
    if actor.pk in approvals:
        raise ValidationError(_("You already approved this adjustment: it needs another person."))
    if len(approvals) >= adjustment.required_approvals:
        raise ValidationError(_("This adjustment is already approved."))
    AdjustmentApproval.objects.create(adjustment=adjustment, approved_by=actor)
    record(
        actor=actor,
        action="adjustment.approve",
        obj=adjustment,
        after={"approvals": len(approvals) + 1, "required": adjustment.required_approvals},
    )
    return adjustment


# --- what is due --------------------------------------------------------------------------------
def due_for(user) -> list[DueItem]:
    """Statement questions awaiting the compensation admin's answer (one query), runs awaiting the user's
    approval and adjustments awaiting it (three queries), however many."""
    if not user.is_authenticated:
        return []
    section = _("Incentives")
    questions = _questions_due(user, section)
    if not may_approve(user):
        return questions
    runs = (
        PayoutRun.objects.awaiting_approval()
        .exclude(prepared_by=user)
        .exclude(contributors__user=user)
        .select_related("plan")
        .order_by("approval_requested_at", "pk")
    )
    items = [
        DueItem(
            kind="incentives.approve_run",
            title=_("Approve payout run #%(run)s of %(plan)s") % {"run": run.pk, "plan": run.plan.name},
            url=reverse("incentives:run_approval", kwargs={"pk": run.pk}),
            section=section,
        )
        for run in runs
    ]
    adjustments = (
        Adjustment.objects.pending().exclude(created_by=user).exclude(approvals__approved_by=user).order_by("pk")
    )
    items.extend(
        DueItem(
            kind="incentives.approve_adjustment",
            title=_("Approve adjustment %(amount)s on run #%(run)s") % {"amount": a.amount, "run": a.run_id},
            url=reverse("incentives:run_approval", kwargs={"pk": a.run_id}),
            section=section,
        )
        for a in adjustments
    )
    return questions + items


def _questions_due(user, section: str) -> list[DueItem]:
    """Open questions about statements, oldest first, for whoever answers them (the compensation admin)."""
    if not user.has_perm("incentives.change_statementdispute"):
        return []
    return [
        DueItem(
            kind="incentives.answer_question",
            title=_("Answer question #%(id)s about statement #%(line)s") % {"id": pk, "line": line_id},
            url=reverse("incentives:dispute_answer", kwargs={"pk": pk}),
            section=section,
        )
        for pk, line_id in StatementDispute.objects.filter(status=StatementDispute.Status.OPEN)
        .order_by("created_at", "pk")
        .values_list("pk", "line_id")
    ]
