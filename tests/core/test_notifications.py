"""The notification outbox: one email per event, in the recipient's language, sent once."""

import datetime as dt
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone, translation

from core import notifications
from core.models import Notification
from core.notifications import MAX_ATTEMPTS, notify, send_pending
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TEMPLATE = "core/email/message"


def _notify(user, key="test.event:1", **context):
    return notify(
        recipient=user,
        key=key,
        template=TEMPLATE,
        context={"subject": "Review due", "text": "Your review of 2026-11 is due.", "link": "/culture/", **context},
    )


def test_an_event_queues_one_email_whatever_the_number_of_calls(django_capture_on_commit_callbacks):
    user = UserFactory(email="lead@example.com", name="Lea Lind")

    with django_capture_on_commit_callbacks(execute=True):
        first = _notify(user)
        second = _notify(user)

    assert first.pk == second.pk
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.subject, message.to) == ("Review due", ["lead@example.com"])
    assert message.body.startswith("Hello Lea,\n\nYour review of 2026-11 is due.\n")
    assert "http://127.0.0.1:8000/culture/" in message.body
    assert message.extra_headers["Message-ID"] == f"<notification-{first.pk}@centric>"


def test_an_event_that_rolls_back_sends_nothing(django_capture_on_commit_callbacks):
    user = UserFactory()

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _notify(user)
        transaction.set_rollback(True)

    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_the_email_is_written_in_the_recipients_language(settings):
    user = UserFactory()
    user.language = "sv"  # the user's chosen language (a field of users.User)
    seen = []
    real_render = notifications.render_to_string

    def render(name, context):
        seen.append(translation.get_language())
        return real_render(name, context)

    with mock.patch.object(notifications, "render_to_string", render):
        note = _notify(user)

    assert note.language == "sv"
    assert seen == ["sv", "sv"]


def test_sending_twice_sends_each_email_once():
    _notify(UserFactory(), key="a")
    _notify(UserFactory(), key="b")

    assert send_pending() == 2
    assert send_pending() == 0
    assert len(mail.outbox) == 2
    assert set(Notification.objects.values_list("status", flat=True)) == {Notification.Status.SENT}


def test_a_row_claimed_by_a_live_worker_is_left_to_it():
    note = _notify(UserFactory())
    Notification.objects.filter(pk=note.pk).update(status=Notification.Status.SENDING, claimed_at=timezone.now())

    assert send_pending() == 0
    assert mail.outbox == []


def test_a_row_left_by_a_dead_worker_is_sent_again_with_the_same_message_id(settings):
    note = _notify(UserFactory())
    died_at = timezone.now() - dt.timedelta(seconds=settings.NOTIFICATION_CLAIM_TIMEOUT + 1)
    Notification.objects.filter(pk=note.pk).update(status=Notification.Status.SENDING, claimed_at=died_at, attempts=1)

    assert send_pending() == 1
    note.refresh_from_db()
    assert (note.status, note.attempts) == (Notification.Status.SENT, 2)
    assert mail.outbox[0].extra_headers["Message-ID"] == note.message_id


def test_two_workers_cannot_claim_the_same_row():
    note = _notify(UserFactory())
    now = timezone.now()

    assert notifications._claim(note.pk, now) is True
    assert notifications._claim(note.pk, now) is False


def test_a_mail_server_failure_is_recorded_and_retried_until_the_limit():
    note = _notify(UserFactory())

    with mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("connection refused")):
        for _attempt in range(MAX_ATTEMPTS):
            assert send_pending() == 0

    note.refresh_from_db()
    assert (note.status, note.attempts) == (Notification.Status.FAILED, MAX_ATTEMPTS)
    assert note.last_error == "connection refused"
    assert send_pending() == 0


def test_attachments_travel_with_the_email():
    notify(
        recipient=UserFactory(),
        key="with.attachment",
        template=TEMPLATE,
        context={"subject": "Invitation", "text": "See you."},
        attachments=[
            {"filename": "invite.ics", "content": "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "mimetype": "text/calendar"}
        ],
    )

    send_pending()

    assert mail.outbox[0].attachments == [("invite.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")]
