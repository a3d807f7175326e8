"""Culture's panels on the home page (core.home): the CCO's headline figures; for a lead or an employee their
team's scorecard with its trend, what the team is asked to improve (its open review actions) and recent
customer comments. A fixed number of queries, however many teams and actions there are."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from core.home import HomePanel

from .measurements.comments import recent_comments
from .models import Recognition, Review, ReviewAction, Team
from .scorecards.building import build_scorecard_levels, default_period_code
from .scorecards.scopes import COMPANY, TEAM

OPEN_ACTIONS_SHOWN = 10


def home_panels(user) -> list[HomePanel]:
    if not user.has_perm("culture.view_scorecard"):
        return []
    code = default_period_code()
    panels = []
    if user.is_executive:
        panels.append(_company_panel(code))
    teams_qs = Team.objects.led_by(user) if user.is_executive else Team.objects.visible_to(user)
    teams = list(teams_qs.filter(is_active=True).order_by("name"))
    if teams:
        panels.append(_teams_panel(user, teams, code))
    return panels


def home_panels_with_recognition(user) -> list[HomePanel]:
    """The scorecard panels, then the recognition the user received (anyone with a login may receive it)."""
    return [*home_panels(user), *recognition_panel(user)]


def _company_panel(code: str) -> HomePanel:
    levels = build_scorecard_levels({COMPANY: [code], TEAM: [code]})
    company = levels[COMPANY][code][None]
    teams = levels[TEAM][code]
    statuses = Counter(line.status for card in teams.values() for line in card.lines.values())
    active = Team.objects.filter(is_active=True).count()
    reviewed = Review.objects.filter(period__code=code, team__is_active=True).count()
    context: dict[str, Any] = {
        "period_code": code,
        "composite": company.composite,
        "red": statuses.get("red", 0),
        "amber": statuses.get("amber", 0),
        "teams": active,
        "reviewed": reviewed,
        "dashboard_url": reverse("culture:scorecard_home") + f"?period={code}",
        "review_status_url": reverse("culture:review_status") + f"?period={code}",
    }
    return HomePanel(
        "culture.company",
        _("Company headline, %(period)s") % {"period": code},
        "culture/home_company.html",
        context,
        order=10,
    )


def _teams_panel(user, teams: list[Team], code: str) -> HomePanel:
    cards = build_scorecard_levels({TEAM: [code]}, ids=[t.pk for t in teams])[TEAM][code]
    led = set(Team.objects.led_by(user).values_list("pk", flat=True))
    actions: dict[int, list[ReviewAction]] = {}
    for action in (
        ReviewAction.objects.open()
        .filter(review__team__in=teams)
        .select_related("kpi", "owner", "review__period")
        .order_by("due_date", "pk")
    ):
        actions.setdefault(action.review.team_id, []).append(action)
    comments = recent_comments([t.pk for t in teams])
    rows = []
    for team in teams:
        card = cards[team.pk]
        team_actions = actions.get(team.pk, [])
        rows.append(
            {
                "team": team,
                "card": card,
                "lines": list(card.lines.values()),
                "is_lead": team.pk in led,
                "actions": team_actions[:OPEN_ACTIONS_SHOWN],
                "more_actions": max(0, len(team_actions) - OPEN_ACTIONS_SHOWN),
                "comments": comments.get(team.pk, []),
                "scorecard_url": reverse("culture:team_scorecard", args=[team.slug]) + f"?period={code}",
                "review_url": reverse("culture:review_edit", args=[team.slug]) + f"?period={code}",
            }
        )
    title = _("My customer impact") if not led else _("My teams")
    return HomePanel("culture.team", title, "culture/home_team.html", {"rows": rows, "period_code": code}, order=20)


RECOGNITION_SHOWN = 5


def recognition_panel(user) -> list[HomePanel]:
    """Recognition the user received: the latest stories and the count (two queries)."""
    received = Recognition.objects.filter(person__user=user)
    count = received.count()
    context = {
        "count": count,
        "recognitions": list(received.select_related("person", "kpi")[:RECOGNITION_SHOWN]),
        "give_url": reverse("culture:recognition_create"),
    }
    title = _("Recognition I received")
    return [HomePanel("culture.recognition", title, "culture/home_recognition.html", context, order=30)]
