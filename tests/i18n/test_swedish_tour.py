"""Every page in Swedish answers as in English and shows no English string of ours that the catalogue translates.

The pseudo-locale tour proves that every visible text is marked. This tour reads the same pages (same
roles, same URLs) in Swedish, with the committed catalogue compiled afresh, and fails on text a Swedish
reader would still see in English although it is marked and translated: a string translated before the
language was chosen (gettext at import time instead of gettext_lazy), a text node that is exactly an
English msgid, or a sentence holding a longer English msgid. Data (names, codes, comments) is not
translated and cannot match: the world's stored strings are left out first.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse

from tests.i18n.test_pseudo_tour import ANONYMOUS_PAGES, ROLES, VisibleText, _stored_strings, _urls

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES" / "django.po"
LONG = 25  # an English msgid this long is looked for inside longer texts too


def _english_strings() -> tuple[set[str], list[str]]:
    """Our msgids whose Swedish differs and that are no Swedish text themselves: (all, the long ones longest first)."""
    with CATALOGUE.open("rb") as stream:
        catalogue = read_po(stream)
    english: set[str] = set()
    swedish: set[str] = set()  # "Filter" is Swedish for "Filters" and English for "Filtrera": not a finding
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for msgid in ids:
            if "%" in msgid or msgid in strings:
                continue  # placeholders never reach a page as such; a word that is the same in both is fine
            english.add(msgid.strip())
        swedish.update(text.strip() for text in strings)
    english -= swedish
    long = sorted((text for text in english if len(text) >= LONG), key=len, reverse=True)
    return english, long


def english_left(text: str, english: set[str], long: list[str], data: list[str]) -> list[str]:
    """The English msgids a visible text still shows, once stored values are taken out."""
    for value in data:
        if value in text:
            text = text.replace(value, " ")
    stripped = " ".join(text.split())
    if stripped in english:
        return [stripped]
    return [msgid for msgid in long if msgid in stripped]


def test_english_left_finds_a_whole_and_a_contained_msgid():
    english = {"Save", "Nothing matches these filters."}
    long = ["Nothing matches these filters."]
    assert english_left("  Save\n", english, long, []) == ["Save"]
    assert english_left("Oops: Nothing matches these filters. Try again", english, long, []) == [long[0]]
    assert english_left("Spara", english, long, []) == []
    assert english_left("Save", english, long, ["Save"]) == []


def test_every_page_in_swedish_answers_as_in_english_and_shows_no_english_string_of_ours(swedish_world):
    english, long = _english_strings()
    data = _stored_strings()
    urls = _urls(swedish_world)
    visits = [(role, url) for role in ROLES for url in urls]
    visits += [("anonymous", reverse(name)) for name in ANONYMOUS_PAGES]
    failures: dict[str, set[str]] = {}
    pages = 0
    for role, url in visits:
        client = swedish_world.pages[role]
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"
        english_status = client.get(url).status_code
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sv"
        response = client.get(url)
        if response.status_code != english_status:  # e.g. roles looked up by a translated name
            failures.setdefault(f"status {english_status} in English, {response.status_code} in Swedish", set()).add(
                f"{role} {url}"
            )
        if not response.get("Content-Type", "").startswith("text/html") or response.status_code in {301, 302}:
            continue
        html = response.content.decode()
        if "<html" not in html:
            continue  # an empty answer (405 to a GET of a POST-only view): no page
        pages += 1
        assert '<html lang="sv"' in html, url
        parser = VisibleText()
        parser.feed(html)
        for where, text in parser.found:
            for msgid in english_left(text, english, long, data):
                failures.setdefault(f"{where} {msgid[:120]!r}", set()).add(url)
    print(f"\n{pages} pages toured in Swedish")
    report = "\n".join(f"{text}  on {', '.join(sorted(where)[:2])}" for text, where in sorted(failures.items()))
    assert pages >= 150
    assert not failures, f"{len(failures)} findings on Swedish pages:\n{report}"
