"""Culture's answer to core.due: one's open review actions, the reviews a lead owes for ended periods, and the
ended periods an executive may close, and reopening requests another executive asked for. Five queries at
most, however much is due."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.due import DueItem

from .models import Period, Review, ReviewAction, Team
from .scorecards.closing import reopen_requests_for


def due_for(user) -> list[DueItem]:
    today = timezone.localdate()
    section = _("Culture")
    items: list[DueItem] = []
    for action in (
        ReviewAction.objects.open()
        .filter(owner__user=user)
        .select_related("kpi", "review__team")
        .order_by("due_date", "pk")
    ):
        title = _("Action on %(kpi)s (%(team)s)") % {"kpi": action.kpi.name, "team": action.review.team.name}
        items.append(DueItem("culture.action", title, action.get_absolute_url(), section, action.due_date))
    ended = Period.objects.filter(status=Period.Status.OPEN, kind=Period.Kind.MONTH, end__lt=today)
    if user.has_perm("culture.add_review"):
        teams = list(Team.objects.led_by(user).filter(is_active=True).order_by("name"))
        periods = list(ended.order_by("start")) if teams else []
        done = set(Review.objects.filter(team__in=teams, period__in=periods).values_list("team_id", "period_id"))
        for period in periods:
            for team in teams:
                if (team.pk, period.pk) in done:
                    continue
                url = reverse("culture:review_edit", args=[team.slug]) + f"?period={period.code}"
                title = _("Review %(team)s's scorecard for %(period)s") % {"team": team.name, "period": period.code}
                items.append(DueItem("culture.review", title, url, section, period.end))
    if user.has_perm("culture.close_period"):
        for period in Period.objects.filter(status=Period.Status.OPEN, end__lt=today).order_by("start"):
            url = reverse("culture:period_close", args=[period.code])
            title = _("Close %(period)s") % {"period": period.code}
            items.append(DueItem("culture.close", title, url, section, period.end))
        for closing in reopen_requests_for(user):
            url = reverse("culture:period_reopen", args=[closing.period.code])
            title = _("Decide on reopening %(period)s") % {"period": closing.period.code}
            day = timezone.localdate(closing.reopen_requested_at) if closing.reopen_requested_at else today
            items.append(DueItem("culture.reopen", title, url, section, day))
    return items
