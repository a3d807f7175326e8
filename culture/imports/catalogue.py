"""Writes to the KPI catalogue: only user-defined KPIs change; the standard catalogue is read-only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from core.audit import record, snapshot

from ..models import Kpi

KPI_FIELDS = ["code", "name", "definition", "category", "unit", "direction", "aggregation", "scale", "decimals"]


def save_user_kpi(*, kpi: Kpi, actor) -> Kpi:
    """Create or update a user-defined KPI (validated by its form) and leave an audit entry."""
    if kpi.is_standard:
        raise PermissionDenied("Standard KPIs are read-only.")
    with transaction.atomic():
        before = None
        if kpi.pk:
            before = snapshot(Kpi.objects.select_for_update().get(pk=kpi.pk), KPI_FIELDS)
        kpi.save()
        record(
            actor=actor,
            action="kpi.update" if before else "kpi.create",
            obj=kpi,
            before=before,
            after=snapshot(kpi, KPI_FIELDS),
        )
    return kpi
