"""PDFs print every figure in the language the report was requested in: the same board report and team
scorecard requested in English and in Swedish state the same figures, each in its locale's form
(hand-written below), and both copies verify with the same input checksum."""

from __future__ import annotations

import pytest
from django.utils import translation

from reports.tasks import request_report
from reports.verification import GENUINE, verify_file

from .pdf_helpers import pdf_text, raw_pdf_text

pytestmark = pytest.mark.django_db


def _requested(kind, parameters, user, language, capture):
    with translation.override(language), capture(execute=True):
        report = request_report(kind=kind, parameters=parameters, user=user)
    report.refresh_from_db()
    assert report.status == "done", report.error
    assert report.language == language
    content = report.file.read()
    report.file.seek(0)
    return report, content


NBSP = "\u00a0"  # Babel's Swedish digit group separator, and the space before % and €


def test_the_board_report_prints_its_figures_in_the_requesters_language(board, cco, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    english, english_pdf = _requested("board_report", {"period": "2026-09"}, cco, "en-gb", capture)
    swedish, swedish_pdf = _requested("board_report", {"period": "2026-09"}, cco, "sv", capture)
    en, sv = pdf_text(english_pdf), pdf_text(swedish_pdf)
    # retention (1940 + 2039) / 4100 = 97.0 % against (1941 + 2040) / 4100 = 97.1 % in 2026-08 (-0.1)
    assert "Customer retention rate 97.0 % 97.1 % -0.1" in en
    assert "Customer retention rate 97,0 % 97,1 % -0,1" in sv
    # self-service 871 / 2050 = 42.5 % against 851 / 2050 = 41.5 % (+1.0)
    assert "Self-service rate 42.5 % 41.5 % +1.0" in en
    assert "Self-service rate 42,5 % 41,5 % +1,0" in sv
    # Revenue retained: (97.05 % - 97.10 %) / 100 x 4,100 customers x EUR 500 = EUR -1,000.00
    assert "= (97.05 % - 97.10 %) / 100 x 4,100 x EUR 500.00 = EUR -1,000.00" in en
    assert "= (97,05 % - 97,10 %) / 100 x 4 100 x 500,00 € = -1 000,00 €" in sv
    # Cost saved: (42.49 % - 41.51 %) / 100 x 2,050 contacts x (EUR 6 - EUR 1) = EUR 100.00
    assert "= (42.49 % - 41.51 %) / 100 x 2,050 x (EUR 6.00 - EUR 1.00) = EUR 100.00" in en
    assert "= (42,49 % - 41,51 %) / 100 x 2 050 x (6,00 € - 1,00 €) = 100,00 €" in sv
    # Return: (EUR -1,000 + EUR 100) / EUR 1,000 spent = -0.90 : 1
    assert "= EUR -900.00 / EUR 1,000.00 = -0.90 : 1" in en
    assert "= -900,00 € / 1 000,00 € = -0,90 : 1" in sv
    # The spaces are no-break spaces in the file itself (a figure never breaks across lines).
    raw = raw_pdf_text(swedish_pdf)
    assert f"4{NBSP}100 x 500,00{NBSP}€ = -1{NBSP}000,00{NBSP}€" in raw
    assert f"97,05{NBSP}%" in raw
    # English has no Swedish forms and Swedish no English ones.
    assert "97,0 %" not in en and "EUR" not in sv.split("Evidence")[0]
    # The same figures in, the same input checksum out; each copy verifies as genuine.
    assert english.input_checksum == swedish.input_checksum
    assert english.checksum != swedish.checksum
    assert verify_file(english_pdf).standing == GENUINE
    assert verify_file(swedish_pdf).standing == GENUINE


def test_the_team_scorecard_prints_its_figures_in_the_requesters_language(
    board, team_a, cco, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    parameters = {"period": "2026-09", "team": team_a.slug}
    english, english_pdf = _requested("team_scorecard", parameters, cco, "en-gb", capture)
    swedish, swedish_pdf = _requested("team_scorecard", parameters, cco, "sv", capture)
    en, sv = pdf_text(english_pdf), pdf_text(swedish_pdf)
    # team index 0, last month: FCR 680 / 1000 = 68.0 % against a target of 75 %; retention (2000 - 60) / 2000
    # = 97.0 % against 92 %; AHT 280 + 12 = 292 s against 300 s
    assert "First-contact resolution 68.0 % 75.0 %" in en
    assert "First-contact resolution 68,0 % 75,0 %" in sv
    assert "Customer retention rate 97.0 % 92.0 %" in en
    assert "Customer retention rate 97,0 % 92,0 %" in sv
    assert "Average handle time 292 s 300 s" in en and "Average handle time 292 s 300 s" in sv
    assert f"68,0{NBSP}%" in raw_pdf_text(swedish_pdf)
    assert english.input_checksum == swedish.input_checksum
    assert verify_file(english_pdf).standing == GENUINE
    assert verify_file(swedish_pdf).standing == GENUINE
