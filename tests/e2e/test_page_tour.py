"""The page tour in the browser: every page the CCO reaches, as chromium renders it, under the pseudo-locale
and in Swedish, with axe-core on each Swedish page.

tests/i18n/test_pseudo_tour.py and test_swedish_tour.py read the server's HTML for five roles. This walks the
same URLs (tests.i18n.test_pseudo_tour._urls, the access matrix's company) in a real browser as the CCO, who
reaches the most pages: the pseudo-locale pass reads the document after the page's scripts ran and fails on
any visible text that is neither marked nor data (the same rule); the Swedish pass checks `<html lang="sv">`
and fails on any serious or critical axe violation. The browser carries the CCO's session from the world's
logged-in test client (the world's authenticator has no real secret to type codes from).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings as django_settings

from core.catalogues import PSEUDO_LANGUAGE, extract_messages, package_catalogues, pseudo_catalogue, write_catalogue
from tests.access.world import build_world
from tests.i18n.test_pseudo_tour import _stored_strings, _urls, page_findings

from .conftest import serious_accessibility_violations

OTHER_ROLES = ("lead_a", "employee", "recruiter", "interviewer")

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "sv" / "LC_MESSAGES" / "django.po"


@pytest.fixture
def tour_world(settings, tmp_path):
    """The access matrix's company; the pseudo-locale built from the sources now, Swedish from the catalogue."""
    locales = tmp_path / "locale"
    (tmp_path / "extract").mkdir()
    pseudo = pseudo_catalogue([extract_messages(tmp_path / "extract"), *package_catalogues()])
    write_catalogue(pseudo, locales, PSEUDO_LANGUAGE)
    with CATALOGUE.open("rb") as stream:
        write_catalogue(read_po(stream), locales, "sv")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CENTRIC_REQUIRE_MFA = True
    settings.LANGUAGES = [*django_settings.LANGUAGES, (PSEUDO_LANGUAGE, "Pseudo")]
    settings.LOCALE_PATHS = [locales, *django_settings.LOCALE_PATHS]
    return build_world()


def _pages(world, role: str = "cco") -> list[str]:
    """The tour's URLs that answer the role with an HTML page (no download, JSON or empty 405), asked through
    the world's test client first: chromium shows its own error page for an empty answer, not ours."""
    client = world.pages[role]
    urls = []
    for url in _urls(world):
        response = client.get(url)
        html = response.get("Content-Type", "").startswith("text/html") and response.status_code not in {301, 302}
        if html and b"<html" in response.content:
            urls.append(url)
    return urls


def test_every_page_in_the_browser_is_marked_and_accessible_in_swedish(open_page, live_server, tour_world, settings):
    urls = _pages(tour_world)
    data = _stored_strings()
    session = tour_world.pages["cco"].cookies[django_settings.SESSION_COOKIE_NAME].value
    page = open_page()
    cookie = {"url": live_server.url}
    page.context.add_cookies([{**cookie, "name": django_settings.SESSION_COOKIE_NAME, "value": session}])

    unmarked: dict[str, set[str]] = {}
    inaccessible: dict[str, list] = {}
    visited = {PSEUDO_LANGUAGE: 0, "sv": 0}
    for language in (PSEUDO_LANGUAGE, "sv"):
        if language == "sv":  # the test-only pseudo-language leaves the switcher (axe: "qps" is no language)
            settings.LANGUAGES = [entry for entry in django_settings.LANGUAGES if entry[0] != PSEUDO_LANGUAGE]
        page.context.add_cookies([{**cookie, "name": django_settings.LANGUAGE_COOKIE_NAME, "value": language}])
        for url in urls:
            page.goto(url)
            visited[language] += 1
            assert page.locator("html").get_attribute("lang") == language, url
            if language == PSEUDO_LANGUAGE:
                for finding in page_findings(page.content(), data):
                    unmarked.setdefault(finding, set()).add(url)
            elif violations := serious_accessibility_violations(page):
                inaccessible[url] = violations
    print(f"\nbrowser tour: {visited} pages (of {len(urls)} URLs)")
    assert not unmarked, "\n".join(f"{text} on {sorted(where)[:2]}" for text, where in sorted(unmarked.items()))
    assert not inaccessible, "\n".join(f"{url}: {violations}" for url, violations in inaccessible.items())
    assert visited[PSEUDO_LANGUAGE] >= 85 and visited["sv"] == visited[PSEUDO_LANGUAGE]  # 89 on 2026-12-07


def test_every_page_of_the_other_roles_in_the_browser_is_marked_and_accessible(
    open_page, live_server, tour_world, settings
):
    """The pages the lead, an employee, a recruiter and an interviewer open themselves (their homes, their
    scorecards, statements, pulses and interviews read differently from the CCO's): under the pseudo-locale in
    chromium, then in Swedish with axe. Pages that answer them with 403 or 404 are the CCO tour's error pages."""
    pages = {
        role: [url for url in _pages(tour_world, role) if tour_world.pages[role].get(url).status_code == 200]
        for role in OTHER_ROLES
    }
    data = _stored_strings()  # after the URLs: building them stores the open pulse whose title pages show
    unmarked: dict[str, set[str]] = {}
    inaccessible: dict[str, list] = {}
    visited = dict.fromkeys(OTHER_ROLES, 0)
    tour_languages = list(settings.LANGUAGES)
    for role, urls in pages.items():
        client = tour_world.pages[role]
        page = open_page()
        cookie = {"url": live_server.url}
        session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies([{**cookie, "name": django_settings.SESSION_COOKIE_NAME, "value": session}])
        for language in (PSEUDO_LANGUAGE, "sv"):
            # As in the CCO's tour: the pseudo-language is offered only while it is toured (axe: "qps" is no language).
            settings.LANGUAGES = [
                entry for entry in tour_languages if language == PSEUDO_LANGUAGE or entry[0] != PSEUDO_LANGUAGE
            ]
            page.context.add_cookies([{**cookie, "name": django_settings.LANGUAGE_COOKIE_NAME, "value": language}])
            for url in urls:
                page.goto(url)
                assert page.locator("html").get_attribute("lang") == language, (role, url)
                if language == PSEUDO_LANGUAGE:
                    for finding in page_findings(page.content(), data):
                        unmarked.setdefault(finding, set()).add(f"{role} {url}")
                elif violations := serious_accessibility_violations(page):
                    inaccessible[f"{role} {url}"] = violations
        visited[role] = len(urls)
    print(f"\nbrowser tour of the other roles: {visited} pages in each language")
    assert not unmarked, "\n".join(f"{text} on {sorted(where)[:2]}" for text, where in sorted(unmarked.items()))
    assert not inaccessible, "\n".join(f"{where}: {violations}" for where, violations in inaccessible.items())
    assert all(visited.values()), visited
