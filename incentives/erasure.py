"""Erasure hooks for incentives (core.erasure): paid runs keep the payee's identity as their accounting record."""

from __future__ import annotations

from django.utils import timezone

from core.erasure import Erasure

from .calculations import retention_end
from .models import PayoutLine, PayoutRun, RetainedPayee


def erase(erasure: Erasure) -> None:
    """Copies the payee's name, address and employee number for every paid run they were paid in, before the
    employee record takes the pseudonym. Lines and adjustments point at the person by id, so nothing else holds
    their name; adjustment reasons of approved and paid runs are accounting records and never change."""
    lines = PayoutLine.objects.filter(person_id__in=erasure.person_ids, run__status=PayoutRun.Status.PAID)
    for person_id, run_id, paid_at in lines.values_list("person_id", "run_id", "run__paid_at"):
        original = erasure.originals[person_id]
        paid_on = timezone.localdate(paid_at) if paid_at else timezone.localdate()
        _payee, created = RetainedPayee.objects.get_or_create(
            run_id=run_id,
            person_id=person_id,
            defaults={
                "name": original["name"],
                "email": original["email"],
                "employee_number": original["employee_number"],
                "retain_until": retention_end(paid_on),
            },
        )
        erasure.count("incentives.retainedpayee", int(created))
