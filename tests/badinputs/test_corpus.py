"""The bad-input corpus itself: large enough, every category present, deterministic."""

from .corpus import bad_files


def test_corpus_has_at_least_300_distinct_cases_in_every_category():
    files = bad_files()
    assert len(files) >= 300
    assert len({case.name for case in files}) == len(files)
    assert {case.category for case in files} >= {
        "encoding",
        "structure",
        "date",
        "number",
        "semantics",
        "reference",
        "duplicate",
        "formula",
        "responses",
        "size",
        "bomb",
        "binary",
    }


def test_corpus_is_deterministic():
    first = [(case.name, case.content) for case in bad_files() if case.category != "size"]
    second = [(case.name, case.content) for case in bad_files() if case.category != "size"]
    assert [name for name, _ in first] == [name for name, _ in second]
    assert all(a == b for (_, a), (_, b) in zip(first, second, strict=True) if not a.startswith(b"PK"))
