"""Erasure hooks for employee records (core.erasure): the person's name and address, and leads' comments."""

from __future__ import annotations

from django.db.models import Q

from core.erasure import Erasure, scrub_rows

from ..models import Person, Review, ReviewAction


def collect(erasure: Erasure) -> None:
    """Employee records with one of the addresses or linked to one of the logins; the values kept per record."""
    people = Person.objects.filter(
        Q(email__in=erasure.emails) | Q(user_id__in=erasure.user_ids) | Q(pk__in=erasure.person_ids)
    )
    for person in people:
        erasure.person_ids.add(person.pk)
        erasure.originals.setdefault(
            person.pk, {"name": person.name, "email": person.email, "employee_number": person.employee_number}
        )
        erasure.emails.add(person.email)
        erasure.names.add(person.name)
        if person.user_id:
            erasure.user_ids.add(person.user_id)


def erase(erasure: Erasure) -> None:
    """The record stays (its team history and the payouts computed from it), under the pseudonym, inactive."""
    for person in Person.objects.filter(pk__in=erasure.person_ids):
        several = len(erasure.person_ids) > 1
        person.name = erasure.pseudonym
        person.email = f"{person.pk}.{erasure.pseudonym_email}" if several else erasure.pseudonym_email
        person.is_active = False
        person.save(update_fields=["name", "email", "is_active"])
        erasure.count("culture.person", 1)
    scrub_rows(erasure, Review.objects.all(), ["comment"])
    scrub_rows(erasure, ReviewAction.objects.all(), ["comment", "action"])
