"""The import wizard's pages in Swedish: no English string of ours on any of them (the pages and files of
test_import_pages.py; a module of its own because each module builds its own company)."""

from __future__ import annotations

import pytest

from tests.i18n.test_import_pages import _file_data, import_pages
from tests.i18n.test_pseudo_tour import VisibleText, _stored_strings
from tests.i18n.test_swedish_tour import _english_strings, english_left

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["cco", "lead_a"])
def test_the_wizards_pages_in_swedish_show_no_english_string_of_ours(swedish_world, role, monkeypatch):
    pages = import_pages(swedish_world, role, monkeypatch)
    english, long = _english_strings()
    data = [*_file_data(), *_stored_strings()]
    failures: dict[str, list[str]] = {}
    for label, html in pages.items():
        assert '<html lang="sv"' in html, label
        parser = VisibleText()
        parser.feed(html)
        for _where, text in parser.found:
            failures.setdefault(label, []).extend(english_left(text, english, long, data))
    assert not {label: found for label, found in failures.items() if found}
    # The evidence reads in Swedish too (Babel's or our catalogue's words, not the English sentence).
    assert "Windows-1252" in pages["preview of swedish-excel-cp1252.csv"]
