"""What hiring has due for a person on the home page (core.due): the 90-day reviews they should record.

Listed from the day a review falls due (the form opens that day, not before) until it is recorded, for the
position's hiring manager and the leads of its team. One query, however many reviews wait.
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.due import DueItem
from culture.models import Team

from ..models import HireReview


def hire_reviews_due_for(user) -> list[DueItem]:
    """The open 90-day reviews of hires into positions the user manages or whose team they lead."""
    today = timezone.localdate()
    reviews = (
        HireReview.objects.pending()
        .filter(due_on__lte=today, application__stage="hired")
        .filter(
            Q(application__position__hiring_manager=user) | Q(application__position__team__in=Team.objects.led_by(user))
        )
        .select_related("application__candidate", "application__position")
        .order_by("due_on", "pk")
    )
    return [
        DueItem(
            kind="hiring.hire_review",
            title=_("90-day review of %(name)s (%(position)s)")
            % {"name": review.application.candidate.name, "position": review.application.position.title},
            url=reverse("hiring:hirereview_create", kwargs={"pk": review.application_id}),
            section=_("Hiring"),
            due_on=review.due_on,
        )
        for review in reviews
    ]
