"""What is due: every app's items on the home page, most urgent first, in a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import due
from core.due import DueItem, due_for, split_overdue
from core.models import AuditEntry
from tests.factories import UserFactory

TODAY = dt.date(2026, 12, 6)


@pytest.fixture
def providers(monkeypatch):
    """A clean registry for the test; the apps' own providers come back afterwards."""
    monkeypatch.setattr(due, "_providers", {})
    return due


def _item(title, due_on=None, section="Culture"):
    return DueItem(kind="test.item", title=title, url="/somewhere/", section=section, due_on=due_on)


def test_dated_items_come_first_earliest_first_then_the_undated(providers):
    providers.register("a", lambda user: [_item("later", TODAY), _item("no date")])
    providers.register("b", lambda user: [_item("sooner", TODAY - dt.timedelta(days=2))])

    titles = [item.title for item in due_for(UserFactory.build())]

    assert titles == ["sooner", "later", "no date"]


def test_registering_a_name_again_replaces_it(providers):
    providers.register("a", lambda user: [_item("old")])
    providers.register("a", lambda user: [_item("new")])

    assert [item.title for item in due_for(UserFactory.build())] == ["new"]


def test_anonymous_visitors_have_nothing_due(providers):
    from django.contrib.auth.models import AnonymousUser

    providers.register("a", lambda user: [_item("x")])

    assert due_for(AnonymousUser()) == []


def test_overdue_means_a_deadline_before_today():
    items = [_item("yesterday", TODAY - dt.timedelta(days=1)), _item("today", TODAY), _item("none")]

    overdue, rest = split_overdue(items, today=TODAY)

    assert [i.title for i in overdue] == ["yesterday"]
    assert [i.title for i in rest] == ["today", "none"]


@pytest.mark.django_db
def test_home_lists_the_items_with_their_links(client, providers, mfa_off):
    providers.register("a", lambda user: [_item("Review team A", TODAY - dt.timedelta(days=400))])
    providers.register("b", lambda user: [_item("Approve run 7", None, section="Incentives")])
    client.force_login(UserFactory())

    page = client.get(reverse("home")).content.decode()

    assert "What is due" in page
    assert 'data-due-kind="test.item"' in page
    assert page.index("Review team A") < page.index("Approve run 7")
    assert "Overdue" in page


@pytest.mark.django_db
def test_home_says_when_nothing_is_due(client, providers, mfa_off):
    client.force_login(UserFactory())

    assert "Nothing is waiting for you." in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_home_query_count_does_not_grow_with_the_items(client, providers, mfa_off):
    """A provider answers from one query; the page costs the same for 1 item and for 50."""

    def provider(user):
        return [_item(f"entry {entry.pk}") for entry in AuditEntry.objects.all()]

    providers.register("audit", provider)
    user = UserFactory()
    client.force_login(user)

    def count_for(items: int) -> int:
        AuditEntry.objects.all().delete()
        AuditEntry.objects.bulk_create(
            [AuditEntry(action="x", object_type="t", object_id=str(i)) for i in range(items)]
        )
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("home"))
        assert response.content.decode().count('data-due-kind="test.item"') == items
        return len(ctx.captured_queries)

    assert count_for(1) == count_for(50)
