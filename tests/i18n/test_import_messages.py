"""The import wizard's evidence and file-level messages are marked for translation: under the pseudo-locale
every line comes back pseudo-translated, placeholders filled; in English they read as before."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from django.utils import translation

from core.catalogues import CLOSE, OPEN, PSEUDO_LANGUAGE
from culture.measurements.cells import CellError, parse_decimal
from culture.measurements.filelocale import FileLocale, LocaleChoice, detect_encoding, normal_number, propose
from culture.measurements.reading import FileProblem, Limits, count_text, open_table, too_many_rows
from culture.measurements.rules import ImportContext, KpiRule, MeasurementValidator
from culture.measurements.sources import SOURCES, open_source_table

COLUMNS = ["team", "kpi", "date", "value"]
LIMITS = Limits()


@pytest.fixture
def pseudo(pseudo_locale_dir):
    languages = [*django_settings.LANGUAGES, (PSEUDO_LANGUAGE, "Pseudo")]
    paths = [pseudo_locale_dir, *django_settings.LOCALE_PATHS]
    with override_settings(LANGUAGES=languages, LOCALE_PATHS=paths), translation.override(PSEUDO_LANGUAGE):
        yield


def _swedish_proposal(choice: LocaleChoice | None = None):
    return propose(
        numbers=["402,5", "1 290,75", "12 345,60"],
        dates=["2026-11-02", "02.11.2026", "30.11.2026"],
        delimiter=";",
        encoding=detect_encoding("Kundtjänst Malmö".encode("cp1252")),
        choice=choice or LocaleChoice(),
    )


def _marked(line: str) -> bool:
    return line.count(OPEN) >= 1 and line.count(OPEN) == line.count(CLOSE)


def test_the_evidence_is_pseudo_translated(pseudo):
    proposal = _swedish_proposal()
    assert proposal.is_decided and proposal.locale == FileLocale(",", " ", "dmy", "cp1252")
    assert len(proposal.evidence) == 3
    for line in proposal.evidence:
        assert _marked(line), line
    # The figures are filled in, not left as placeholders.
    assert "%(" not in " ".join(proposal.evidence)
    assert "0xe4" in proposal.evidence[0] and "3" in proposal.evidence[1] and "1" in proposal.evidence[2]
    ambiguous = propose(numbers=["1,290"], dates=[], delimiter=",", encoding=("utf-8", "x"), choice=LocaleChoice())
    assert not ambiguous.is_decided
    assert all(_marked(line) for line in ambiguous.evidence)


def test_cell_hints_and_file_problems_are_pseudo_translated(pseudo):
    with pytest.raises(CellError) as hint:
        normal_number("402.5", FileLocale(decimal=","))
    assert _marked(str(hint.value)) and "402,5" in str(hint.value)
    netigate = SOURCES["netigate"]
    with pytest.raises(FileProblem) as problem:
        open_source_table(
            io.BytesIO(b"a;b\n1;2\n"), source=netigate, columns=["team"], encoding="utf-8", limits=Limits()
        )
    assert str(problem.value).count(OPEN) >= 2  # the sentence and the source's label


def test_english_reads_as_before():
    with translation.override("en-gb"):
        proposal = _swedish_proposal(LocaleChoice(decimal=","))
    assert proposal.evidence == (
        "Encoding: Windows-1252 proposed: the bytes are not UTF-8 (byte 7 is 0xe4).",
        "Numbers: decimal ',' as chosen (semicolon-separated, 3 with a decimal comma, 0 with a decimal dot).",
        "Dates: dmy proposed from the file: 1 dates with a day over 12 first (day-first).",
    )


def test_file_level_problems_are_pseudo_translated(pseudo):
    for raw in (b"", b"\xff\xfeu\x00", b"team;kpi;datum\n"):
        with pytest.raises(FileProblem) as problem:
            open_table(io.BytesIO(raw), columns=COLUMNS, required=COLUMNS, limits=LIMITS, encoding="utf-8", aliases={})
        assert _marked(str(problem.value)), str(problem.value)
        assert "%(" not in str(problem.value)


def test_counts_in_messages_are_grouped_in_the_readers_language():
    with translation.override("en-gb"):
        assert too_many_rows(200_000) == "The file has more than 200,000 rows. Split it into parts."
    with translation.override("sv"):
        assert count_text(200_000).replace("\u00a0", " ") == "200 000"


def test_cell_reasons_are_pseudo_translated(pseudo):
    for text in ("402,5", "=1+1", "1.1234567", "nan"):
        with pytest.raises(CellError) as reason:
            parse_decimal(text)
        assert _marked(str(reason.value)) and "%(" not in str(reason.value), str(reason.value)
    with pytest.raises(CellError) as reason:
        parse_decimal("402,5")
    assert "402.5" in str(reason.value)


def test_row_reasons_are_pseudo_translated(pseudo):
    context = ImportContext(
        teams={"care": 1},
        kpis={"fcr": KpiRule(10, "ratio"), "aht": KpiRule(11, "mean")},
        editable_team_ids=None,
        closed_ranges=((dt.date(2026, 1, 1), dt.date(2026, 3, 31)),),
        survey_kpis={"nps": 20},
    )
    validator = MeasurementValidator(context)
    assert validator.check(2, ("nobody", "fcrr", "2026-02-01", "fax", "", "", "", "", "")) is None
    assert validator.check(3, ("care", "aht", "2026-04-01", "all", "", "1", "", "", "")) is None
    reasons = [error.reason for error in validator.errors]
    assert len(reasons) == 6  # team, KPI, closed date, channel; AHT without value, with a numerator
    assert all(_marked(reason) and "%(" not in reason for reason in reasons), reasons
    assert "2026-01-01" in reasons[2] and "mean" in reasons[4]
