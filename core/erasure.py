"""Erasure on request: a person's name and email replaced by a stable pseudonym in every app, in one transaction.

Each app registers, once (in its AppConfig's `ready()`, so core never imports an app), a `collect` hook that
finds the person's rows (a login, an employee record, their ids, names and addresses) and an `erase` hook that
replaces them and every denormalised copy (notification text, audit reasons, comments). Collecting repeats
until nothing new turns up: an employee record found by its address may lead to a login with another address.

What is kept: the accounting records of paid payout runs (incentives keeps a copy of the payee's name for the
legal retention period, docs/administration.md#erasure). Users are deactivated, never deleted: the audit trail
keeps who acted, and shows them by their pseudonym from then on.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from . import export_jobs

PSEUDONYM_PREFIX = "Erased person"
PSEUDONYM_DOMAIN = "erased.invalid"  # RFC 2606: never routable, so no mail reaches a stranger


class ErasureError(Exception):
    """Nobody matches, or the request is incomplete (a reason and an acting administrator are required)."""


# --- pure helpers ---------------------------------------------------------------------------------------------


def pseudonym_token(key: str, secret: str) -> str:
    """Ten hex digits from an HMAC of a row's key ("user:7"): stable for that row, not reversible without the secret."""
    return hmac.new(secret.encode(), key.encode(), hashlib.sha256).hexdigest()[:10]


def pseudonym_name(token: str) -> str:
    return f"{PSEUDONYM_PREFIX} {token}"


def pseudonym_email(token: str) -> str:
    return f"erased-{token}@{PSEUDONYM_DOMAIN}"


def scrub_text(text: str, secrets: Iterable[str], replacement: str) -> str:
    """`text` with every whole-word occurrence of each secret (any case) replaced; longest secrets first."""
    words = sorted({s.strip() for s in secrets if s and s.strip()}, key=len, reverse=True)
    if not text or not words:
        return text
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(word)}(?!\w)" for word in words), re.IGNORECASE)
    return pattern.sub(replacement, text)


def scrub_json(value: Any, secrets: Iterable[str], replacement: str) -> Any:
    """A JSON value with `scrub_text` applied to every string in it (keys included)."""
    secrets = tuple(secrets)
    if isinstance(value, str):
        return scrub_text(value, secrets, replacement)
    if isinstance(value, list):
        return [scrub_json(item, secrets, replacement) for item in value]
    if isinstance(value, dict):
        return {scrub_text(str(k), secrets, replacement): scrub_json(v, secrets, replacement) for k, v in value.items()}
    return value


# --- the erasure in progress -----------------------------------------------------------------------------------


@dataclass
class Erasure:
    """What the collect hooks found and the erase hooks changed, for one person."""

    emails: set[str]
    actor: Any = None
    user_ids: set[int] = field(default_factory=set)
    person_ids: set[int] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    # Per employee record, the values before erasure (for copies that the law requires to keep).
    originals: dict[int, dict[str, str]] = field(default_factory=dict)
    token: str = ""
    changed: dict[str, int] = field(default_factory=dict)

    @property
    def pseudonym(self) -> str:
        return pseudonym_name(self.token)

    @property
    def pseudonym_email(self) -> str:
        return pseudonym_email(self.token)

    @property
    def secrets(self) -> set[str]:
        """Every old name and address: what must not appear anywhere afterwards."""
        return {value for value in self.names | self.emails if value and value != self.pseudonym}

    def scrub(self, text: str) -> str:
        return scrub_text(text, self.secrets, self.pseudonym)

    def scrub_json(self, value: Any) -> Any:
        return scrub_json(value, self.secrets, self.pseudonym)

    def count(self, label: str, rows: int) -> None:
        if rows:
            self.changed[label] = self.changed.get(label, 0) + rows

    def _size(self) -> tuple[int, ...]:
        return (len(self.emails), len(self.user_ids), len(self.person_ids), len(self.names))


Hook = Callable[[Erasure], None]
_hooks: dict[str, tuple[Hook | None, Hook | None]] = {}


def register(name: str, *, collect: Hook | None = None, erase: Hook | None = None) -> None:
    """Registers an app's hooks; registering the same name again replaces them (ready() may run twice)."""
    _hooks[name] = (collect, erase)


def registered() -> dict[str, tuple[Hook | None, Hook | None]]:
    return dict(_hooks)


def scrub_rows(erasure: Erasure, queryset, fields: list[str]) -> None:
    """Scrubs text and JSON fields of the rows that mention the person (found by the database; one UPDATE per
    changed row)."""
    if not erasure.secrets:
        return
    mentions = Q()
    for secret in erasure.secrets:
        for name in fields:
            mentions |= Q(**{f"{name}__icontains": secret})
    for row in queryset.filter(mentions).only("pk", *fields).iterator():
        changes = {}
        for name in fields:
            old = getattr(row, name)
            new = erasure.scrub_json(old) if not isinstance(old, str) else erasure.scrub(old)
            if new != old:
                changes[name] = new
        if changes:
            type(row).objects.filter(pk=row.pk).update(**changes)
            erasure.count(row._meta.label_lower, 1)


def collect(email: str) -> Erasure:
    """Everything every app holds about the person with this address (logins, employee records, old names)."""
    erasure = Erasure(emails={email.strip().lower(), email.strip()})
    for _round in range(5):
        before = erasure._size()
        for hook, _erase in _hooks.values():
            if hook is not None:
                hook(erasure)
        if erasure._size() == before:
            break
    erasure.emails.discard("")
    if not erasure.user_ids and not erasure.person_ids:
        raise ErasureError(f"Nobody has the address {email!r}.")
    key = f"user:{min(erasure.user_ids)}" if erasure.user_ids else f"person:{min(erasure.person_ids)}"
    erasure.token = pseudonym_token(key, settings.SECRET_KEY)
    return erasure


def erase_person(*, email: str, actor: Any, reason: str) -> Erasure:
    """Replaces the person's name and email by their pseudonym everywhere (paid runs' accounting records
    excepted), deactivates their login, and records who did it and why. Safe to run twice."""
    from .models import AuditEntry, Notification

    if not reason.strip():
        raise ErasureError("An erasure needs a reason.")
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise ErasureError("An erasure needs the acting administrator.")
    with transaction.atomic():
        erasure = collect(email)
        erasure.actor = actor
        if actor.pk in erasure.user_ids:
            raise ErasureError("Administrators cannot erase themselves.")
        for _collect, hook in _hooks.values():
            if hook is not None:
                hook(erasure)
        # Core's own copies: mail addressed to the person loses its text; other mail and audit reasons are scrubbed.
        own = Notification.objects.filter(recipient_id__in=erasure.user_ids)
        unsent = own.filter(status__in=[Notification.Status.PENDING, Notification.Status.SENDING])
        unsent.update(status=Notification.Status.FAILED, last_error="The recipient's data was erased.")
        erasure.count(
            "core.notification",
            own.update(email=erasure.pseudonym_email, subject=erasure.pseudonym, body="", attachments=[]),
        )
        scrub_rows(
            erasure, Notification.objects.exclude(recipient_id__in=erasure.user_ids), ["subject", "body", "attachments"]
        )
        scrub_rows(erasure, AuditEntry.objects.all(), ["reason", "before", "after"])
        # Export workbooks (kept a day) cannot be scrubbed and any list can name the person: all of them go.
        transaction.on_commit(export_jobs.discard_all)
        subject_type, subject_id = (
            ("users.user", min(erasure.user_ids)) if erasure.user_ids else ("culture.person", min(erasure.person_ids))
        )
        # Ids, counts and the pseudonym only: the entry that records the erasure holds no personal data itself.
        AuditEntry.objects.create(
            actor=actor,
            action="person.erase",
            object_type=subject_type,
            object_id=str(subject_id),
            after={
                "pseudonym": erasure.pseudonym,
                "users": sorted(erasure.user_ids),
                "people": sorted(erasure.person_ids),
                "changed": dict(sorted(erasure.changed.items())),
            },
            reason=erasure.scrub(reason),
        )
    return erasure
