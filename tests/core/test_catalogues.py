"""The catalogue check (make check-translations) and the pseudo-locale's transformation."""

from __future__ import annotations

from pathlib import Path

from core.catalogues import CLOSE, OPEN, catalogue_problems, missing_entries, pseudo

HEADER = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

"""
SAMPLE = (
    HEADER
    + """#: templates/base.html:3
msgid "Log out"
msgstr "Logga ut"

#: templates/base.html:4
msgid "Security"
msgstr ""

#: core/charts.py:9
#, fuzzy
msgid "No data"
msgstr "Ingen data"

#: core/formatting.py:80
msgid "%(amount)s point"
msgid_plural "%(amount)s points"
msgstr[0] "%(amount)s poäng"
msgstr[1] ""

msgctxt "language switcher"
msgid "Change"
msgstr "Byt"
"""
)


def _po(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_untranslated_fuzzy_and_half_translated_plurals_are_problems(tmp_path):
    problems = catalogue_problems(_po(tmp_path, "sample.po", SAMPLE))
    assert [(p.kind, p.msgid) for p in problems] == [
        ("untranslated", "Security"),
        ("fuzzy", "No data"),
        ("untranslated", "%(amount)s point"),
    ]
    assert str(problems[0]) == "untranslated: 'Security' (templates/base.html:4)"


def test_a_complete_catalogue_has_no_problems(tmp_path):
    complete = (
        HEADER + 'msgid "Log out"\nmsgstr "Logga ut"\n\nmsgctxt "language switcher"\nmsgid "Change"\nmsgstr "Byt"\n'
    )
    assert catalogue_problems(_po(tmp_path, "complete.po", complete)) == []


def test_strings_marked_since_the_last_extraction_are_missing(tmp_path):
    catalogue = _po(tmp_path, "sv.po", SAMPLE)
    extracted = _po(
        tmp_path,
        "now.po",
        HEADER
        + 'msgid "Log out"\nmsgstr ""\n\nmsgid "New string"\nmsgstr ""\n\nmsgctxt "other"\nmsgid "Change"\nmsgstr ""\n',
    )
    assert [(p.kind, p.msgid, p.context) for p in missing_entries(catalogue, extracted)] == [
        ("missing", "New string", None),
        ("missing", "Change", "other"),
    ]


def test_pseudo_marks_and_accents_but_keeps_placeholders_and_markup():
    assert pseudo("Save") == f"{OPEN}Śàvé{CLOSE}"
    assert (
        pseudo("%(count)s teams, <b>%s</b> &amp; {name} 100%%")
        == f"{OPEN}%(count)s téàmś, <b>%s</b> &amp; {{name}} 100%%{CLOSE}"
    )
    assert pseudo("") == ""
