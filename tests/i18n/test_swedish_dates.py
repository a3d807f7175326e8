"""Dates on pages are written as a Swedish reader writes them ("5 mars 2026", "6 dec. 2026 14:05"), through the
`day` and `moment` filters: no English month names, and no ISO-only date where a human date is meant."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from tests.factories import MembershipFactory, PersonFactory
from users.models import ApiToken

pytestmark = pytest.mark.django_db

ENGLISH_MONTHS = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b"
)
ISO_DAY = re.compile(r"\b20\d\d-\d\d-\d\d\b")


def _visible(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    main = response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    main = re.sub(r"<(script|style)\b.*?</\1>", "", main, flags=re.S)
    return strip_tags(main.split(">", 1)[1])


@pytest.fixture
def swedish(client, cco):
    cco.language = "sv"
    cco.save(update_fields=["language"])
    client.force_login(cco)
    return client


def test_pages_write_days_and_times_the_swedish_way(swedish, cco, team_a, settings):
    settings.TIME_ZONE = "Europe/Stockholm"
    person = PersonFactory(name="Åsa Berg")
    MembershipFactory(person=person, team=team_a, start=dt.date(2026, 3, 5), end=dt.date(2026, 12, 6))
    MembershipFactory(person=PersonFactory(name="Örjan Ek"), team=team_a, start=dt.date(2026, 3, 5))  # current
    # 13:05 UTC is 14:05 in Stockholm (winter time)
    ApiToken.objects.create(
        user=cco,
        name="BI-export",
        key_hash="0" * 64,
        prefix="abcd",
        created_at=dt.datetime(2026, 12, 6, 13, 5, tzinfo=dt.UTC),
        expires_at=dt.datetime(2027, 1, 31, 23, 0, tzinfo=dt.UTC),  # 1 Feb 00:00 in Stockholm
        last_used_at=dt.datetime(2026, 12, 6, 13, 5, tzinfo=dt.UTC),
    )
    pages = {
        "team": _visible(swedish, reverse("culture:team_detail", args=[team_a.slug])),
        "person": _visible(swedish, reverse("culture:person_detail", args=[person.pk])),
        "tokens": _visible(swedish, reverse("users:api_tokens")),
    }
    assert "5 mars 2026" in pages["team"]
    assert "5 mars 2026" in pages["person"] and "6 dec. 2026" in pages["person"]
    assert "6 dec. 2026" in pages["tokens"] and "1 feb. 2027" in pages["tokens"]
    assert "6 dec. 2026 14:05" in pages["tokens"]
    for name, text in pages.items():
        assert not ENGLISH_MONTHS.search(text), (name, ENGLISH_MONTHS.search(text))
        assert not ISO_DAY.search(text), (name, ISO_DAY.search(text))


def test_the_same_pages_in_english_keep_day_first_dates(client, cco, team_a):
    person = PersonFactory(name="Ada Lind")
    MembershipFactory(person=person, team=team_a, start=dt.date(2026, 3, 5))
    client.force_login(cco)
    text = _visible(client, reverse("culture:person_detail", args=[person.pk]))
    assert "5 Mar 2026" in text and "2026-03-05" not in text
