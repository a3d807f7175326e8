"""Closing a period for good: the checklist before it, the comparison figures frozen with it, and reopening.

A document of a closed period reads only frozen data. Its own scorecards are the `ScorecardSnapshot` rows;
every comparison period it shows (the 12-period trend, the previous period, last year) comes from the
`PeriodClosing` written in the same transaction, whether or not those periods are closed, so a late row in
an open earlier period changes nothing (docs/kpi-maths.md, "Closed means frozen").

Reopening takes a reason and two executives: one asks, another approves. Other apps add checklist items
and reopening refusals through `register_close_check` and `register_reopen_guard`, the inputs their part of
a closed period's documents reads (names, incentive spend, hires, the value model) through `register_freezer`,
and further company comparison periods (the value model's baseline) through `register_comparison_periods`,
all in their AppConfig's `ready()`, so this package never imports them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit

from ..models import Period, PeriodClosing, Review, ScorecardSnapshot, Team
from .building import build_scorecard_series, build_scorecards, series_codes
from .calculations import Scorecard
from .periods import months_of, parse_period, same_period_last_year
from .scopes import COMPANY, DEPARTMENT, TEAM, OrgTree
from .status import Status

TREND_PERIODS = 12
FROZEN_LEVELS = (TEAM, COMPANY)


@dataclass(frozen=True)
class CheckItem:
    """One kind of open item before a close: how many, and where to fix each."""

    kind: str  # a stable code: "culture.no_review", "reports.no_value_model", ...
    label: str
    count: int
    links: list[tuple[str, str]] = field(default_factory=list)  # (text, url), at most a page of them


CloseCheck = Callable[[Period], Sequence[CheckItem]]
ReopenGuard = Callable[[Period], str | None]
# An app's inputs to a closed period's documents, as plain JSON (Decimals as strings), read at the close.
Freezer = Callable[[Period, OrgTree], Any]
ComparisonPeriods = Callable[[Period], Sequence[str]]
_checks: dict[str, CloseCheck] = {}
_guards: dict[str, ReopenGuard] = {}
_freezers: dict[str, Freezer] = {}
_comparison_sources: dict[str, ComparisonPeriods] = {}


def register_close_check(name: str, check: CloseCheck) -> None:
    """An app's extra checklist items (a fixed number of queries); the same name again replaces it."""
    _checks[name] = check


def register_reopen_guard(name: str, guard: ReopenGuard) -> None:
    """An app's reason a period cannot be reopened (a message), or None; the same name again replaces it."""
    _guards[name] = guard


def register_freezer(name: str, freezer: Freezer) -> None:
    """An app's inputs frozen at every close under `name` (`PeriodClosing.frozen[name]`); documents of the
    closed period read them from there instead of live. The same name again replaces it."""
    _freezers[name] = freezer


def register_comparison_periods(name: str, source: ComparisonPeriods) -> None:
    """Further periods whose company scorecard a document of the period shows (e.g. the value baseline)."""
    _comparison_sources[name] = source


def comparison_codes(period_code: str) -> list[str]:
    """The other periods a document of this period shows: its 12-period trend, the same period last year and,
    for a year, its twelve months (the year report's trend runs by month)."""
    span = parse_period(period_code)
    codes = [*series_codes(span.code, TREND_PERIODS), same_period_last_year(span).code]
    if span.kind == "year":
        codes += months_of(span)
    return [c for c in dict.fromkeys(codes) if c != span.code]


def frozen_input(closing: PeriodClosing | None, name: str) -> tuple[bool, Any]:
    """(True, data) when `closing` froze the input `name`; (False, None) for an open period or a closing
    written before that input was frozen (its documents then read it live, as they always did)."""
    if closing is None or name not in closing.frozen:
        return False, None
    return True, closing.frozen[name]


def _checksum(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _key(object_id: int | None) -> str:
    return COMPANY if object_id is None else str(object_id)


def _scope(row: ScorecardSnapshot) -> str:
    if row.level == TEAM:
        return f"team:{row.team_id}"
    if row.level == DEPARTMENT:
        return f"department:{row.department_id}"
    return COMPANY


def _frozen_reviews(period: Period) -> dict[str, Any]:
    """Each team's review and actions as they stand at the close; an action past due then is "overdue"."""
    day = timezone.localdate(period.closed_at) if period.closed_at else timezone.localdate()
    reviews = Review.objects.filter(period=period).prefetch_related("actions__kpi", "actions__owner")
    return {
        str(review.team_id): {
            "comment": review.comment,
            "actions": {
                a.kpi.code: {
                    "comment": a.comment,
                    "action": a.action,
                    "owner": a.owner.name,
                    "due": a.due_date.isoformat(),
                    "status": "overdue" if a.due_date < day else "open",
                }
                for a in review.actions.all()
            },
        }
        for review in reviews
    }


def freeze_closing(
    *, period: Period, rows: Sequence[ScorecardSnapshot], org: OrgTree, actor, reason: str, checklist: dict
) -> PeriodClosing:
    """Write the next version of the period's closing (called by `close_period`, inside its transaction)."""
    extra = [c for source in _comparison_sources.values() for c in source(period)]
    codes = [c for c in dict.fromkeys([*comparison_codes(period.code), *extra]) if c != period.code]
    comparisons: dict[str, dict[str, dict[str, Any]]] = {}
    # Team documents show the 12-period trend only; the company's also last year.
    trend = [c for c in series_codes(period.code, TREND_PERIODS) if c != period.code]
    team_series = build_scorecard_series(period_codes=trend, level=TEAM, ids=list(org.team_department), org=org)
    company_series = build_scorecard_series(period_codes=codes, level=COMPANY, org=org)
    for level, series in ((TEAM, team_series), (COMPANY, company_series)):
        comparisons[level] = {
            code: {_key(i): card.to_json() for i, card in cards.items()} for code, cards in series.items()
        }
    version = (period.closings.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    closing = PeriodClosing(
        period=period,
        version=version,
        closed_at=period.closed_at or timezone.now(),
        closed_by=actor if actor is not None and actor.is_authenticated else None,
        reason=reason,
        checklist=checklist,
        comparisons=comparisons,
        reviews=_frozen_reviews(period),
        snapshot_checksums=dict(sorted((_scope(row), row.checksum) for row in rows)),
        frozen={name: freezer(period, org) for name, freezer in sorted(_freezers.items())},
    )
    closing.checksum = _closing_checksum(closing)
    closing.save()
    return closing


def refresh_snapshot_checksums(*, period: Period, rows: Sequence[ScorecardSnapshot]) -> PeriodClosing | None:
    """After a re-snapshot: the current closing covers the new snapshot rows (its checksum changes with them)."""
    closing = PeriodClosing.objects.select_for_update().current().filter(period=period).first()
    if closing is None:
        return None
    closing.snapshot_checksums = dict(sorted((_scope(row), row.checksum) for row in rows))
    closing.checksum = _closing_checksum(closing)
    closing.save(update_fields=["snapshot_checksums", "checksum"])
    return closing


def _closing_checksum(closing: PeriodClosing) -> str:
    covered = {
        "snapshots": closing.snapshot_checksums,
        "comparisons": closing.comparisons,
        "reviews": closing.reviews,
        "reason": closing.reason,
        "checklist": closing.checklist,
    }
    if closing.frozen:  # absent from closings written before inputs were frozen, so theirs still verify
        covered["frozen"] = closing.frozen
    return _checksum(covered)


def current_closing(period_code: str) -> PeriodClosing | None:
    """The closing in force for a closed period; None for an open one or one closed before closings existed."""
    return (
        PeriodClosing.objects.current()
        .filter(period__code=parse_period(period_code).code, period__status=Period.Status.CLOSED)
        .first()
    )


def closed_series(
    *,
    period_code: str,
    codes: Sequence[str],
    level: str,
    ids: Collection[int] | None = None,
    org: OrgTree | None = None,
    closing: PeriodClosing | None = None,
) -> dict[str, dict[int | None, Scorecard]]:
    """Scorecards of `codes` as a document of `period_code` shows them: frozen at its close when it is closed.

    `closing` is the period's current closing (None: open, or closed before closings existed, when the
    comparison periods are read as `build_scorecard_series` gives them).
    """
    code = parse_period(period_code).code
    frozen = (closing.comparisons if closing is not None else {}).get(level, {})
    wanted = list(ids) if ids is not None else None
    result: dict[str, dict[int | None, Scorecard]] = {}
    live_codes = []
    for c in codes:
        cards = frozen.get(c) if c != code else None
        keys = [_key(i) for i in wanted] if wanted is not None else list(cards or {})
        if cards is not None and keys and all(k in cards for k in keys):
            result[c] = {
                (None if k == COMPANY else int(k)): Scorecard.from_json(cards[k], is_snapshot=True) for k in keys
            }
        else:
            live_codes.append(c)
    if live_codes:
        live = build_scorecard_series(period_codes=live_codes, level=level, ids=wanted, org=org)
        result.update(live)
    return {c: result[c] for c in codes}


# --- the checklist


def close_checklist(period: Period) -> list[CheckItem]:
    """What is missing before closing, in a fixed number of queries whatever the number of teams."""
    teams = {t.pk: t for t in Team.objects.filter(is_active=True).order_by("name")}
    cards = build_scorecards(period_code=period.code, ids=list(teams))
    reviews = {r.team_id: r for r in Review.objects.filter(period=period).prefetch_related("actions__kpi")}

    def link(team: Team, name: str) -> str:
        return f"{reverse(name, kwargs={'slug': team.slug})}?period={period.code}"

    no_review, red_without, gaps = [], [], []
    for pk, team in teams.items():
        card = cards.get(pk)
        review = reviews.get(pk)
        if review is None:
            no_review.append((team.name, link(team, "culture:review_edit")))
        answered = {a.kpi.code for a in review.actions.all()} if review else set()
        lines = card.lines.values() if card is not None else []
        for line in lines:
            if line.status == Status.RED and line.kpi_code not in answered:
                red_without.append((f"{team.name}: {line.kpi_name}", link(team, "culture:review_edit")))
            if line.target is not None and not line.has_data:
                gaps.append((f"{team.name}: {line.kpi_name}", link(team, "culture:team_scorecard")))
    items = [
        CheckItem("culture.no_review", _("Teams without a review"), len(no_review), no_review),
        CheckItem("culture.red_without_action", _("Red KPIs without an action"), len(red_without), red_without),
        CheckItem("culture.data_gap", _("Data gaps (a KPI with a target and no data)"), len(gaps), gaps),
    ]
    for check in _checks.values():
        items.extend(check(period))
    return items


def checklist_summary(items: Sequence[CheckItem]) -> dict[str, int]:
    """The open items' counts by kind, as the closing keeps them."""
    return {item.kind: item.count for item in items if item.count}


# --- reopening


def _refusal(period: Period) -> str | None:
    for guard in _guards.values():
        message = guard(period)
        if message:
            return message
    return None


def _closing_for_update(code: str) -> tuple[Period, PeriodClosing]:
    period = Period.objects.select_for_update().get(code=parse_period(code).code)
    if not period.is_closed:
        raise ValidationError(_("Period %(code)s is open.") % {"code": period.code})
    closing = PeriodClosing.objects.select_for_update().current().filter(period=period).first()
    if closing is None:
        raise ValidationError(_("Period %(code)s was closed before closings were versioned.") % {"code": period.code})
    return period, closing


@transaction.atomic
def request_reopen(*, code: str, actor, reason: str) -> PeriodClosing:
    """An executive asks to reopen a closed period, saying why; another executive must approve. Audited."""
    if actor is None or not actor.is_executive:
        raise PermissionDenied(_("Only an executive may ask to reopen a period."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the period must be reopened.")})
    period, closing = _closing_for_update(code)
    if message := _refusal(period):
        raise ValidationError(message)
    closing.reopen_reason = reason.strip()
    closing.reopen_requested_by = actor
    closing.reopen_requested_at = timezone.now()
    closing.save(update_fields=["reopen_reason", "reopen_requested_by", "reopen_requested_at"])
    audit.record(
        actor=actor, action="period.reopen_request", obj=period, after={"version": closing.version}, reason=reason
    )
    return closing


@transaction.atomic
def approve_reopen(*, code: str, actor) -> Period:
    """A second executive reopens the period: its snapshots move into the closing, kept and verifiable."""
    if actor is None or not actor.is_executive:
        raise PermissionDenied(_("Only an executive may approve reopening a period."))
    period, closing = _closing_for_update(code)
    if not closing.reopen_pending:
        raise ValidationError(_("Nobody has asked to reopen %(code)s.") % {"code": period.code})
    if closing.reopen_requested_by_id == actor.pk:
        raise PermissionDenied(_("Another executive must approve the reopening you asked for."))
    if message := _refusal(period):
        raise ValidationError(message)
    rows = ScorecardSnapshot.objects.filter(period=period)
    closing.archived_snapshots = {
        _scope(row): {"payload": row.payload, "checksum": row.checksum, "definition": row.definition} for row in rows
    }
    closing.reopen_approved_by = actor
    closing.reopened_at = timezone.now()
    closing.save(update_fields=["archived_snapshots", "reopen_approved_by", "reopened_at"])
    rows.delete()
    before = audit.snapshot(period, ["status", "closed_at", "closed_by"])
    period.status, period.closed_at, period.closed_by = Period.Status.OPEN, None, None
    period.save(update_fields=["status", "closed_at", "closed_by"])
    audit.record(
        actor=actor,
        action="period.reopen",
        obj=period,
        before={**before, "version": closing.version, "checksum": closing.checksum},
        after=audit.snapshot(period, ["status", "closed_at", "closed_by"]),
        reason=closing.reopen_reason,
    )
    return period


def _end_request(closing: PeriodClosing) -> tuple[Any, str, Any]:
    """Clear a pending request (the closing stays in force); returns who asked, why, and when."""
    asked = (closing.reopen_requested_by, closing.reopen_reason, closing.reopen_requested_at)
    closing.reopen_requested_by, closing.reopen_reason, closing.reopen_requested_at = None, "", None
    closing.save(update_fields=["reopen_requested_by", "reopen_reason", "reopen_requested_at"])
    return asked


def _pending_for_update(code: str) -> tuple[Period, PeriodClosing]:
    period, closing = _closing_for_update(code)
    if not closing.reopen_pending:
        raise ValidationError(_("Nobody has asked to reopen %(code)s.") % {"code": period.code})
    return period, closing


@transaction.atomic
def reject_reopen(*, code: str, actor, reason: str) -> PeriodClosing:
    """Another executive refuses a pending request, saying why: the period stays closed, the request is
    cleared (so it is no longer due), the refusal is audited and the requester is told by email."""
    from core.notifications import notify

    if actor is None or not actor.is_executive:
        raise PermissionDenied(_("Only an executive may refuse reopening a period."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the period stays closed.")})
    period, closing = _pending_for_update(code)
    if closing.reopen_requested_by_id == actor.pk:
        raise PermissionDenied(_("Another executive must decide on the reopening you asked for: withdraw it instead."))
    requester, asked_reason, asked_at = _end_request(closing)
    audit.record(
        actor=actor,
        action="period.reopen_reject",
        obj=period,
        before={"version": closing.version, "requested_by": requester.pk if requester else None, "asked": asked_reason},
        after={"version": closing.version},
        reason=reason.strip(),
    )
    if requester is not None and requester.is_active and requester.email:
        notify(
            recipient=requester,
            key=f"period.reopen_reject:{closing.pk}:{asked_at.isoformat() if asked_at else ''}",
            template="culture/email/reopen_rejected",
            context={"period": period, "rejected_by": actor, "reason": reason.strip(), "asked": asked_reason},
        )
    return closing


@transaction.atomic
def withdraw_reopen(*, code: str, actor) -> PeriodClosing:
    """The executive who asked to reopen a period takes the request back (audited; nobody is told)."""
    period, closing = _pending_for_update(code)
    if actor is None or closing.reopen_requested_by_id != actor.pk:
        raise PermissionDenied(_("Only the executive who asked may withdraw the request."))
    _requester, asked_reason, _asked_at = _end_request(closing)
    audit.record(
        actor=actor,
        action="period.reopen_withdraw",
        obj=period,
        before={"version": closing.version, "asked": asked_reason},
        after={"version": closing.version},
        reason=asked_reason,
    )
    return closing


def reopen_requests_for(user) -> list[PeriodClosing]:
    """Pending reopening requests another executive may decide on (for what is due): not the user's own."""
    if user is None or not user.is_authenticated or not user.is_executive:
        return []
    pending = PeriodClosing.objects.current().filter(reopen_requested_at__isnull=False, period__status="closed")
    return list(pending.exclude(reopen_requested_by=user).select_related("period").order_by("reopen_requested_at"))


def verify_closing(closing: PeriodClosing) -> bool:
    """Whether a closing's frozen data still matches its checksum (archived snapshots included, once reopened)."""
    snapshots = dict(closing.snapshot_checksums)
    if closing.reopened_at is not None:
        kept = {scope: _checksum(row["payload"]) for scope, row in closing.archived_snapshots.items()}
        if kept != snapshots:
            return False
    else:
        live = {_scope(row): _checksum(row.payload) for row in ScorecardSnapshot.objects.filter(period=closing.period)}
        if live != snapshots:
            return False
    return _closing_checksum(closing) == closing.checksum


# --- culture's own frozen inputs


def freeze_org(period: Period, org: OrgTree) -> dict[str, Any]:
    """The names and the tree a closed period's documents print: teams and departments (with their names at
    the close), which department each team and department sat in, and the KPI definitions (three queries)."""
    from ..models import Department, Kpi

    teams = Team.objects.filter(pk__in=list(org.team_department)).values_list("pk", "name")
    return {
        "teams": {str(pk): name for pk, name in teams},
        "active_teams": sorted(org.active_teams),  # the teams a document lists: those active at the close
        "team_department": {str(team): department for team, department in org.team_department.items()},
        "departments": {str(pk): name for pk, name in Department.objects.values_list("pk", "name")},
        "department_parents": {str(d): parent for d, parent in org.department_parent.items()},
        "definitions": dict(Kpi.objects.order_by("code").values_list("code", "definition")),
    }


register_freezer("culture.org", freeze_org)


def _freeze_year_index(period: Period, org: OrgTree) -> dict[str, Any] | None:
    from .year_index import freeze_year_index

    return freeze_year_index(period, org)


register_freezer("culture.year_index", _freeze_year_index)
