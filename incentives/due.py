"""Incentives' answer to core.due: draft runs, calculated and waiting for someone who may approve them (not
their preparer: four eyes). One query, however many runs wait."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core.due import DueItem

from .models import PayoutRun


def due_for(user) -> list[DueItem]:
    if not user.has_perm("incentives.approve_payoutrun"):
        return []
    runs = (
        PayoutRun.objects.visible_to(user)
        .filter(status=PayoutRun.Status.DRAFT, computed_at__isnull=False)
        .exclude(prepared_by=user)
        .select_related("plan")
        .order_by("computed_at", "pk")
    )
    return [
        DueItem(
            "incentives.approve_run",
            _("Approve run #%(run)s of %(plan)s") % {"run": run.pk, "plan": run.plan.name},
            reverse("incentives:run_detail", args=[run.pk]),
            _("Incentives"),
        )
        for run in runs
    ]
