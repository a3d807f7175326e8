"""The one read path for the panel's views: scorecards, ratings, scores, recommendations and decisions.

Every page, API serializer, export, PDF and admin view that shows any of them reads them here (or through
the models' `visible_to(user)` that these wrap), so the blind rule and scoping hold in one place: an
interviewer with an interview of an application still to score sees nobody else's scorecard, rating,
score, recommendation or decision reason there, whatever their role. tests/hiring/test_read_path.py walks
every hiring route and serializer as such a pending interviewer.

One reader is outside it by decision: the board report's hiring-quality line (`hiring.insights.hire_quality`)
reads the panel scores of the period's hires without the blind rule, because a closed period's report is
frozen and must be the same document for every reader. It prints only means over the period's hires with
their n (never a candidate, a scorecard, a rating or a recommendation), and only of applications already
hired, after the decision the blind rule protects.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Prefetch, QuerySet

from hiring.models import Application, Decision, Rating, Scorecard, ScorecardDraft
from hiring.models.pipeline import blind_application_ids


def is_blind(user, application: Application) -> bool:
    """Whether the user still has to submit their own scorecard for an interview of this application."""
    return Application.objects.filter(pk=application.pk, pk__in=blind_application_ids(user)).exists()


def visible_scorecards(user, application_ids: Iterable[int]) -> QuerySet[Scorecard]:
    """The scorecards of these applications the user may see, with their ratings (rating values only)."""
    return (
        Scorecard.objects.visible_to(user)
        .filter(interview__application_id__in=list(application_ids))
        .select_related("interview")
        .prefetch_related(Prefetch("ratings", queryset=Rating.objects.only("scorecard_id", "competency_id", "rating")))
    )


def whole_panel_scorecards(application_ids: Iterable[int]) -> QuerySet[Scorecard]:
    """Every scorecard of these applications, unscoped: for the process's own checks (the bar check of a
    decision), never for output to a user."""
    return (
        Scorecard.objects.filter(interview__application_id__in=list(application_ids))
        .select_related("interview")
        .prefetch_related(Prefetch("ratings", queryset=Rating.objects.only("scorecard_id", "competency_id", "rating")))
    )


def visible_scorecards_in_full(user, application_ids: Iterable[int]) -> QuerySet[Scorecard]:
    """As `visible_scorecards`, with the interviewer, evidence and competency names for pages and exports."""
    return (
        Scorecard.objects.visible_to(user)
        .filter(interview__application_id__in=list(application_ids))
        .select_related("interviewer", "interview")
        .prefetch_related(Prefetch("ratings", queryset=Rating.objects.select_related("competency")))
    )


def visible_decisions(user, application_ids: Iterable[int]) -> QuerySet[Decision]:
    """The decisions (with their reasons) of these applications the user may see."""
    return (
        Decision.objects.visible_to(user).filter(application_id__in=list(application_ids)).select_related("decided_by")
    )


def recommendation_counts(user, application_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """{application id: {recommendation: count}} over the scorecards the user may see, in one query."""
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Scorecard.objects.visible_to(user)
        .filter(interview__application_id__in=list(application_ids))
        .values("interview__application_id", "recommendation")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts.setdefault(row["interview__application_id"], {})[row["recommendation"]] = row["n"]
    return counts


def own_draft(user, interview_id: int) -> ScorecardDraft | None:
    """The user's own draft for an interview; nobody ever reads another interviewer's draft."""
    return ScorecardDraft.objects.visible_to(user).filter(interview_id=interview_id).first()


def debrief_scorecards(user, application: Application) -> QuerySet[Scorecard] | None:
    """The whole panel's scorecards for the debrief, or None while the user may not see them all.

    Only through `visible_to` (the blind rule and scoping): if it hides any submitted scorecard of the
    application from this user, there is no debrief for them.
    """
    visible = visible_scorecards_in_full(user, [application.pk])
    total = Scorecard.objects.filter(interview__application_id=application.pk).count()
    return visible if visible.count() == total else None
