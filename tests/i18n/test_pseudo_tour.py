"""Every page, rendered in the pseudo-locale, shows no visible text that did not come through a catalogue.

The pseudo-locale (tests/i18n/conftest.py) wraps every msgid, ours and the packages', in ⟦…⟧ with accented
letters. The tour walks every URL pattern of config.urls that renders a page, as the CCO, team A's lead, its
employee, HR and an interviewer (and the login pages anonymously), and reads each HTML answer's visible
text: text nodes outside script and style, and the title, aria-label, placeholder and alt attributes and
the labels of buttons. Whatever is left once the marked parts are taken out must be data, by this rule:
- a value stored in the database (names, codes, comments: the world's own strings), or a line of one, or
- machine text shown as such: inside <code>, <kbd> or <samp> (column names, parameters), or
- digits, punctuation and symbols (figures, ISO dates, arrows), or
- locale data that Babel supplies (ISO currency codes and month names in formatted values), or
- an element that declares its own language (`lang="sv"`: the language switcher's autonyms).
Any other letter is text a reader of another language would see in English: mark it for translation.
The admin (Django's own) and the API (JSON, and the Swagger UI's script) are not pages of this tour.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from babel import Locale
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from core.catalogues import CLOSE, OPEN
from culture.pulse.services import signed_token
from tests.access.pulses import open_invitation
from tests.access.world import PERIOD, World

pytestmark = pytest.mark.django_db

ROLES = ("cco", "lead_a", "employee", "recruiter", "interviewer")
ANONYMOUS_PAGES = ("account_login", "account_reset_password")
SKIPPED_PREFIXES = ("admin/", "api/")
OWN_APPS = {"core", "users", "culture", "incentives", "hiring", "reports", "demo"}
VISIBLE_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}
MARKED = re.compile(re.escape(OPEN) + "[^" + OPEN + CLOSE + "]*" + re.escape(CLOSE))
LETTER = re.compile(r"[^\W\d_]")
ENGLISH = Locale.parse("en_GB")
LOCALE_WORDS = (
    set(ENGLISH.currencies)
    | {name for width in ("abbreviated", "wide") for name in ENGLISH.months["format"][width].values()}
    | {name for width in ("abbreviated", "wide") for name in ENGLISH.days["format"][width].values()}
)


class VisibleText(HTMLParser):
    """Visible text of a page: (where, text) for text nodes and the attributes a reader sees or hears."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str]] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, inside an element that declares its own language)

    def _own_language(self) -> bool:
        return any(declared for _, declared in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        declared = "lang" in values and tag != "html"
        if not declared and not self._own_language():
            for name in VISIBLE_ATTRIBUTES & set(values):
                self.found.append((f"<{tag} {name}>", values[name] or ""))
            if tag == "input" and values.get("type") in {"submit", "button", "reset"} and values.get("value"):
                self.found.append((f"<{tag} value>", values["value"] or ""))
        if tag not in {"input", "br", "img", "meta", "link", "hr", "source", "col", "wbr", "area", "base"}:
            self.stack.append((tag, declared))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data: str) -> None:
        inside = {tag for tag, _ in self.stack}
        if inside & {"script", "style", "code", "kbd", "samp"} or self._own_language() or not data.strip():
            return
        where = self.stack[-1][0] if self.stack else "document"
        self.found.append((f"<{where}>", data))


def _stored_strings() -> list[str]:
    """Every string value stored by the project's apps: what the tour counts as data."""
    found: set[str] = set()

    def collect(value: Any) -> None:
        if isinstance(value, str):
            found.add(value)
            found.update(line.strip() for line in value.splitlines())
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list | tuple):
            for item in value:
                collect(item)

    for model in apps.get_models():
        if model._meta.app_label not in OWN_APPS:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField) and not f.choices
        ]
        if fields:
            for row in model.objects.values_list(*fields):
                collect(row)
    # Long first, so a name is removed whole before a shorter name inside it.
    return sorted((s for s in found if len(s.strip()) >= 2), key=len, reverse=True)


def unmarked(text: str, data: list[str]) -> str:
    """What is left of a text once marked strings, stored values and locale data are taken out."""
    previous = None
    while previous != text:  # marked strings nest (a translated string inside another's placeholder)
        previous, text = text, MARKED.sub(" ", text)
    for value in data:
        if value in text:
            text = text.replace(value, " ")
    words = [word for word in re.split(r"[\W\d_]+", text) if word and word not in LOCALE_WORDS]
    return " ".join(word for word in words if LETTER.search(word))


def page_findings(html: str, data: list[str]) -> list[str]:
    """The visible texts of a page that hold unmarked words: "<where> 'text' -> 'words left'"."""
    parser = VisibleText()
    parser.feed(html)
    return [
        f"{where} {text.strip()[:120]!r} -> {left!r}" for where, text in parser.found if (left := unmarked(text, data))
    ]


def _routes(patterns, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, tuple[str, ...]]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            if prefix.startswith(SKIPPED_PREFIXES) or (prefix + str(entry.pattern)).startswith(SKIPPED_PREFIXES):
                continue
            yield namespace + entry.name, prefix + str(entry.pattern), tuple(entry.pattern.regex.groupindex)


def _kwargs(name: str, world: World) -> dict[str, Any] | None:
    """The world's object for a route's parameters; None for routes that show no page of ours."""
    if name == "culture:pulse_answer":  # an open pulse, so that the tour sees the answer form
        return {"token": signed_token(open_invitation(world.team_a, world.users["cco"]))}
    application = world.application
    position = application.position
    component = world.run.plan.components.first()
    person = world.users["employee"].person_set.first() if hasattr(world.users["employee"], "person_set") else None
    from culture.models import Person
    from users.models import ApiToken

    person = person or Person.objects.filter(user=world.users["employee"]).first()
    by_name: dict[str, dict[str, Any]] = {
        "culture:team_detail": {"slug": world.team_a.slug},
        "culture:team_scorecard": {"slug": world.team_a.slug},
        "culture:review_edit": {"slug": world.team_a.slug},
        "culture:target_bulk": {"slug": world.team_a.slug},
        "culture:department_scorecard": {"slug": world.team_a.department.slug},
        "culture:person_detail": {"pk": person.pk},
        "culture:period_close": {"code": PERIOD},
        "culture:target_update": {"pk": world.target.pk},
        "culture:target_delete": {"pk": world.target.pk},
        "culture:kpi_update": {"code": "aht"},
        "reports:report_detail": {"pk": world.board_report.pk},
        "incentives:plan_detail": {"pk": world.run.plan_id},
        "incentives:plan_update": {"pk": world.run.plan_id},
        "incentives:run_create": {"pk": world.run.plan_id},
        "incentives:override": {"pk": world.run.plan_id},
        "incentives:what_if": {"pk": world.run.plan_id},
        "incentives:plan_impact": {"pk": world.run.plan_id},
        "incentives:component_create": {"plan_pk": world.run.plan_id},
        "incentives:component_update": {"plan_pk": world.run.plan_id, "pk": component.pk},
        "incentives:run_detail": {"pk": world.run.pk},
        "incentives:adjustment_create": {"pk": world.draft_line.run_id},
        "incentives:statement": {"pk": world.line.pk},
        "incentives:run_approval": {"pk": world.draft_line.run_id},
        "incentives:run_return": {"pk": world.draft_line.run_id},
        "hiring:rubric_detail": {"pk": position.rubric_version_id},
        "hiring:rubric_edit": {"pk": position.rubric_version_id},
        "hiring:rubric_validity": {"pk": position.rubric_version_id},
        "hiring:position_detail": {"pk": position.pk},
        "hiring:position_update": {"pk": position.pk},
        "hiring:position_comparison": {"pk": position.pk},
        "hiring:candidate_detail": {"pk": world.candidate.pk},
        "hiring:candidate_update": {"pk": world.candidate.pk},
        "hiring:candidate_erase": {"pk": world.candidate.pk},
        "hiring:application_detail": {"pk": application.pk},
        "hiring:application_decide": {"pk": application.pk},
        "hiring:interview_create": {"pk": application.pk},
        "hiring:hirereview_create": {"pk": application.pk},
        "hiring:interview_kit": {"pk": world.interview_before.pk},
        "hiring:scorecard_create": {"pk": world.interview_before.pk},
        # the CCO's own token: the confirmation page for the CCO, a 404 page for everyone else
        "users:api_token_revoke": {"pk": ApiToken.objects.filter(user=world.users["cco"]).first().pk},
        "culture:pulse_detail": {"pk": world.pulse.pk},
        "culture:pulse_library_detail": {"pk": world.pulse.library_version_id},
    }
    return by_name.get(name)


def _urls(world: World) -> list[str]:
    urls = []
    for name, pattern, params in _routes(get_resolver().url_patterns):
        if pattern.startswith("accounts/"):
            continue
        kwargs = _kwargs(name, world) if params else {}
        if kwargs is None:
            continue  # an import check (needs an upload), a report's file, status JSON or a POST-only action
        urls.append(reverse(name, kwargs=kwargs))
    return [*urls, reverse("mfa_index"), reverse("account_change_password"), "/no-such-page/"]


def test_the_pseudo_locale_marks_what_it_translates(pseudo_world):
    client = pseudo_world.pages["cco"]
    html = client.get(reverse("culture:team_list")).content.decode()
    assert 'lang="qps"' in html
    assert OPEN in html and CLOSE in html


def test_every_page_shows_only_marked_text_or_data(pseudo_world):
    urls = _urls(pseudo_world)  # first: it stores the open pulse whose title the answer page shows
    data = _stored_strings()
    visits = [(role, url) for role in ROLES for url in urls]
    visits += [("anonymous", reverse(name)) for name in ANONYMOUS_PAGES]
    failures: dict[str, set[str]] = {}
    pages = 0
    for role, url in visits:
        response = pseudo_world.pages[role].get(url)
        if not response.get("Content-Type", "").startswith("text/html") or response.status_code in {301, 302}:
            continue
        pages += 1
        for finding in page_findings(response.content.decode(), data):
            failures.setdefault(finding, set()).add(url)
    print(f"\n{pages} pages toured ({len(urls)} URLs x {len(ROLES)} roles, {len(ANONYMOUS_PAGES)} anonymous)")
    report = "\n".join(f"{text}  on {', '.join(sorted(where)[:2])}" for text, where in sorted(failures.items()))
    assert pages >= 150
    assert not failures, f"{len(failures)} unmarked texts:\n{report}"


def test_an_unmarked_string_in_a_template_or_in_python_fails_the_tour(pseudo_world, tmp_path, monkeypatch):
    """Strings never marked for translation are caught too: they are in no catalogue, so the pseudo-locale
    cannot mark them, and the tour reports them. Proven with a template that adds a plain English sentence to
    every page (overriding base.html and extending the real one) and a form label set to a plain str."""
    from culture.measurements.forms import ImportUploadForm

    data = _stored_strings()
    client = pseudo_world.pages["cco"]
    url = reverse("culture:import_upload")
    assert page_findings(client.get(url).content.decode(), data) == []

    (tmp_path / "base.html").write_text(
        '{% extends "base.html" %}{% block extra_body %}<p>Quarterly overview</p>{{ block.super }}'
        "{% endblock extra_body %}"
    )
    monkeypatch.setattr(ImportUploadForm.base_fields["kind"], "label", "Kind of rows")
    templates = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    with override_settings(TEMPLATES=templates):
        found = page_findings(client.get(url).content.decode(), data)
    assert "<p> 'Quarterly overview' -> 'Quarterly overview'" in found
    assert any("'Kind of rows'" in finding for finding in found), found
