"""The one notification outbox: every app's email goes through `notify`, and one task sends it.

Exactly once: `notify` is idempotent by event key and runs inside the caller's transaction (an event that
rolls back sends nothing); `send_pending` claims each row (pending -> sending, a conditional UPDATE, so two
workers never take the same row) before talking to the mail server and stamps it sent afterwards. A worker
that dies between the claim and the stamp leaves the row "sending"; after NOTIFICATION_CLAIM_TIMEOUT it is
tried again with the same Message-ID. Mail to the server is the one step no database can make atomic, so
that window (the length of one SMTP exchange) is the only place a duplicate can arise, and a duplicate then
carries the same Message-ID.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Notification

MAX_ATTEMPTS = 5


def recipient_language(user: Any) -> str:
    """The user's chosen language, else the site's."""
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def notify(
    *,
    recipient: Any,
    key: str,
    template: str,
    context: Mapping[str, Any],
    attachments: Iterable[Mapping[str, str]] = (),
) -> Notification:
    """Queues one email for an event, rendered now in the recipient's language and the company's time zone; the
    same key twice is one email.

    `template` names a pair `<template>_subject.txt` and `<template>_body.txt`. Call it inside the
    service's transaction; the send is queued for after the commit.
    """
    existing = Notification.objects.filter(key=key).first()
    if existing is not None:
        return existing
    language = recipient_language(recipient)
    # Times read in the company's time zone (settings.TIME_ZONE), whatever zone the calling request or task
    # had activated: an email is rendered once and read by someone else.
    with translation.override(language), timezone.override(settings.TIME_ZONE):
        full = {**context, "recipient": recipient, "site_url": settings.CENTRIC_BASE_URL.rstrip("/")}
        subject = " ".join(render_to_string(f"{template}_subject.txt", full).split())
        body = render_to_string(f"{template}_body.txt", full)
    note, _created = Notification.objects.get_or_create(
        key=key,
        defaults={
            "recipient": recipient,
            "email": recipient.email,
            "language": language,
            "subject": subject[:200],
            "body": body,
            "attachments": [dict(item) for item in attachments],
        },
    )
    from .tasks import send_notifications  # tasks import this module

    transaction.on_commit(send_notifications.delay)
    return note


def _claimable(now: dt.datetime) -> Q:
    stale = now - dt.timedelta(seconds=settings.NOTIFICATION_CLAIM_TIMEOUT)
    return Q(status=Notification.Status.PENDING) | Q(status=Notification.Status.SENDING, claimed_at__lt=stale)


def _claim(pk: int, now: dt.datetime) -> bool:
    """Takes the row for this worker; False when another worker has it or it is done."""
    claimed = Notification.objects.filter(_claimable(now), pk=pk, attempts__lt=MAX_ATTEMPTS).update(
        status=Notification.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return claimed == 1


def _message(note: Notification) -> EmailMessage:
    message = EmailMessage(
        subject=note.subject,
        body=note.body,
        to=[note.email],
        headers={"Message-ID": note.message_id, "Content-Language": note.language},
    )
    for item in note.attachments:
        message.attach(item["filename"], item["content"], item.get("mimetype", "text/plain"))
    return message


def send_pending(*, limit: int = 200) -> int:
    """Sends what is waiting (and what a dead worker left claimed); returns how many were sent now."""
    now = timezone.now()
    ids = list(
        Notification.objects.filter(_claimable(now), attempts__lt=MAX_ATTEMPTS)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for pk in ids:
        if not _claim(pk, now):
            continue
        note = Notification.objects.get(pk=pk)
        try:
            _message(note).send()
        except Exception as error:
            status = Notification.Status.FAILED if note.attempts >= MAX_ATTEMPTS else Notification.Status.PENDING
            Notification.objects.filter(pk=pk).update(status=status, last_error=str(error)[:2000])
            continue
        Notification.objects.filter(pk=pk).update(status=Notification.Status.SENT, sent_at=timezone.now())
        sent += 1
    return sent
