"""Erasure hooks for logins (core.erasure): the address, the name, allauth's address book, tokens, sessions."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.admin.models import LogEntry
from django.db.models import Q
from django.utils import timezone

from core.erasure import Erasure, scrub_rows

from .models import ApiToken, User


def collect(erasure: Erasure) -> None:
    """Logins with one of the addresses (or already found), and their other addresses."""
    found = EmailAddress.objects.filter(email__in=erasure.emails).values("user_id")
    users = User.objects.filter(Q(email__in=erasure.emails) | Q(pk__in=erasure.user_ids) | Q(pk__in=found))
    for user in users:
        erasure.user_ids.add(user.pk)
        erasure.emails.add(user.email)
        if user.name:
            erasure.names.add(user.name)
    erasure.emails.update(EmailAddress.objects.filter(user_id__in=erasure.user_ids).values_list("email", flat=True))


def erase(erasure: Erasure) -> None:
    """The login keeps its id (the audit trail points at it) under the pseudonym, deactivated and unusable:
    an inactive user's session no longer authenticates."""
    for user in User.objects.filter(pk__in=erasure.user_ids):
        user.email = erasure.pseudonym_email if len(erasure.user_ids) == 1 else f"{user.pk}.{erasure.pseudonym_email}"
        user.name = erasure.pseudonym
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["email", "name", "is_active", "password"])
        erasure.count("users.user", 1)
    erasure.count("account.emailaddress", EmailAddress.objects.filter(user_id__in=erasure.user_ids).delete()[0])
    live = ApiToken.objects.filter(user_id__in=erasure.user_ids, revoked_at__isnull=True)
    erasure.count("users.apitoken", live.update(revoked_at=timezone.now()))
    # The Django admin's own history names objects by their str(): "Anna Berg" in object_repr.
    scrub_rows(erasure, LogEntry.objects.all(), ["object_repr", "change_message"])
