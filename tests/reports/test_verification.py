"""Verifiable evidence: the verification code and file hash, the public verify page and the command."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from culture.scorecards import close_period
from reports.documents import Stamp
from reports.documents.board_report import gather_board_report, render_board_report
from reports.documents.team_scorecard import gather_team_scorecards, render_team_scorecard
from reports.models import GeneratedReport
from reports.services import new_verification_code
from reports.tasks import request_report
from reports.verification import GENUINE, SUPERSEDED, UNKNOWN, verify_code, verify_file

from .pdf_helpers import pdf_text

pytestmark = pytest.mark.django_db


def _one_byte_changed(content: bytes) -> bytes:
    middle = len(content) // 2
    return content[:middle] + bytes([content[middle] ^ 1]) + content[middle + 1 :]


@pytest.fixture
def issued(frozen_world, cco, django_capture_on_commit_callbacks):
    """A closed period's board report, built by the archive."""
    close_period(code="2026-09", actor=cco)
    with django_capture_on_commit_callbacks(execute=True):
        report = request_report(kind="board_report", parameters={"period": "2026-09"}, user=cco)
    report.refresh_from_db()
    return report


def test_verification_codes_carry_fifty_random_bits():
    codes = {new_verification_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(re.fullmatch(r"[A-Z2-7]{10}", code) for code in codes)  # 10 base32 characters: 50 bits


def test_every_pdf_prints_its_input_checksum_and_verification_code(issued):
    text = "".join(pdf_text(issued.file.read()).split())
    assert issued.verification_code and issued.verification_code in text
    assert issued.input_checksum in text
    assert len(issued.checksum) == 64


def test_a_genuine_pdf_and_its_code_are_accepted(issued):
    verdict = verify_file(issued.file.read())
    assert (verdict.standing, verdict.period, verdict.issued) == (GENUINE, "2026-09", issued.finished_at.date())
    assert verify_code(issued.verification_code.lower()).standing == GENUINE  # typed in any case
    assert verify_code("ZZZZZZZZZZ").standing == UNKNOWN


def test_a_pdf_with_one_changed_figure_is_rejected(issued):
    data = gather_board_report(period_code="2026-09")
    stamp = Stamp(verification_code=issued.verification_code, verify_url="http://testserver/reports/verify/")
    forged, _checksum = render_board_report(
        dataclasses.replace(data, incentive_spend=data.incentive_spend + Decimal(1)), stamp=stamp
    )
    assert verify_file(forged).standing == UNKNOWN
    original = issued.file.read()
    flipped = _one_byte_changed(original)
    assert flipped != original and verify_file(flipped).standing == UNKNOWN


def test_a_copy_of_an_open_period_is_superseded_once_the_period_closes(
    frozen_world,
    cco,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = request_report(kind="board_report", parameters={"period": "2026-09"}, user=cco)
    draft.refresh_from_db()
    content = draft.file.read()
    assert verify_file(content).standing == GENUINE  # a draft, in force while the period is open
    close_period(code="2026-09", actor=cco)
    assert verify_file(content).standing == SUPERSEDED
    assert verify_code(draft.verification_code).standing == SUPERSEDED


def test_the_verify_page_is_open_without_login_and_says_only_the_standing(client, issued):
    url = reverse("reports:verify")
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile("report.pdf", issued.file.read(), content_type="application/pdf")

    page = client.post(url, {"document": upload}).content.decode()

    assert "Genuine." in page and "for period 2026-09" in page
    assert issued.input_checksum not in page and "Board report" not in page
    by_code = client.post(url, {"code": issued.verification_code}).content.decode()
    assert "Genuine." in by_code
    forged = SimpleUploadedFile("report.pdf", b"%PDF-1.7 not ours", content_type="application/pdf")
    assert "Unknown." in client.post(url, {"document": forged}).content.decode()


def test_the_verify_page_rejects_a_board_report_with_one_changed_figure(
    client, board, cco, settings, django_capture_on_commit_callbacks
):
    """The forgery prints the genuine code and verify link and differs from the archived PDF in one input figure
    only: the incentive spend, EUR 1,000.00 made 1,001.00 (and the return computed from it)."""
    close_period(code="2026-09", actor=cco)
    with django_capture_on_commit_callbacks(execute=True):
        issued = request_report(kind="board_report", parameters={"period": "2026-09"}, user=cco)
    issued.refresh_from_db()
    content = issued.file.read()
    data = gather_board_report(period_code="2026-09")
    verify_url = settings.CENTRIC_BASE_URL.rstrip("/") + reverse("reports:verify")
    stamp = Stamp(verification_code=issued.verification_code, verify_url=verify_url)
    forged, _checksum = render_board_report(
        dataclasses.replace(data, incentive_spend=data.incentive_spend + Decimal(1)), stamp=stamp
    )
    genuine_text, forged_text = pdf_text(content), pdf_text(forged)
    assert "Incentive spend EUR 1,000.00" in genuine_text and "Incentive spend EUR 1,001.00" in forged_text
    squeezed = "".join(forged_text.split())  # the footer may wrap the link
    assert issued.verification_code in squeezed and verify_url in squeezed
    url = reverse("reports:verify")

    genuine = client.post(url, {"document": SimpleUploadedFile("r.pdf", content)}).content.decode()
    answer = client.post(url, {"document": SimpleUploadedFile("r.pdf", forged)}).content.decode()

    assert "Genuine." in genuine and "for period 2026-09" in genuine
    assert "Unknown." in answer and "Genuine." not in answer and "2026-09" not in answer


def test_the_verify_page_explains_an_empty_form(client):
    response = client.post(reverse("reports:verify"), {})
    assert response.status_code == 200 and "Upload the PDF or type its verification code." in response.content.decode()


def test_the_verify_page_is_throttled(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "verify": "2/min"},
    }
    url = reverse("reports:verify")
    answers = [client.post(url, {"code": "ABCDEFGHJK"}).status_code for _ in range(3)]
    assert answers == [200, 200, 429]


def test_the_command_accepts_a_genuine_pdf_and_rejects_a_changed_one(issued, tmp_path, capsys):
    genuine = tmp_path / "genuine.pdf"
    genuine.write_bytes(issued.file.read())
    call_command("verify_report", str(genuine))
    assert capsys.readouterr().out.startswith("genuine: board_report 2026-09")
    call_command("verify_report", "--code", issued.verification_code)
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(_one_byte_changed(genuine.read_bytes()))
    with pytest.raises(CommandError, match="unknown"):
        call_command("verify_report", str(changed))


def _forged_team_pdf(team_id: int, code: str) -> bytes:
    """The team's scorecard with one figure changed, stamped with the genuine code."""
    (data,) = gather_team_scorecards(period_code="2026-09", team_ids=[team_id])
    card = data.card
    line = next(iter(card.lines.values()))
    changed = dataclasses.replace(
        card, lines={**card.lines, line.kpi_code: dataclasses.replace(line, actual=Decimal(1))}
    )
    stamp = Stamp(verification_code=code, verify_url="http://testserver/reports/verify/")
    forged = dataclasses.replace(data, series={**data.series, data.period_code: changed})
    return render_team_scorecard(forged, stamp=stamp)[0]


def test_every_pdf_in_a_batch_zip_carries_its_own_code_and_verifies(
    frozen_world, cco, team_a, team_b, lead_a, django_capture_on_commit_callbacks
):
    close_period(code="2026-09", actor=cco)
    with django_capture_on_commit_callbacks(execute=True):
        batch = request_report(kind="team_scorecards_batch", parameters={"period": "2026-09"}, user=cco)
    batch.refresh_from_db()
    archive = zipfile.ZipFile(io.BytesIO(batch.file.read()))
    manifest = json.loads(archive.read("manifest.json"))
    codes = {slug: entry["verification_code"] for slug, entry in manifest["teams"].items()}
    assert len(set(codes.values())) == 2 and batch.verification_code not in codes.values()
    for slug, entry in manifest["teams"].items():
        pdf = archive.read(entry["file"])
        assert codes[slug] in "".join(pdf_text(pdf).split())
        verdict = verify_file(pdf)  # team A's copy is lead A's, team B (no lead with a login) the CCO's
        assert (verdict.standing, verdict.kind, verdict.period) == (GENUINE, "team_scorecard", "2026-09")
        assert verify_code(codes[slug]).standing == GENUINE

    forged = _forged_team_pdf(team_b.pk, codes[team_b.slug])
    assert verify_file(forged).standing == UNKNOWN


def test_a_pdf_written_by_a_command_carries_a_code_and_verifies(frozen_world, cco, tmp_path, capsys):
    close_period(code="2026-09", actor=cco)
    call_command("board_report", period="2026-09", out=str(tmp_path))
    written = (tmp_path / "board-report-2026-09.pdf").read_bytes()
    report = GeneratedReport.objects.get(kind="board_report")
    assert report.requested_by is None and report.verification_code in capsys.readouterr().out
    assert report.verification_code in "".join(pdf_text(written).split())
    assert verify_file(written).standing == GENUINE and verify_code(report.verification_code).standing == GENUINE
    call_command("verify_report", str(tmp_path / "board-report-2026-09.pdf"))
    assert capsys.readouterr().out.startswith("genuine: board_report 2026-09")

    # A closed period's archived copy is written again, byte for byte.
    call_command("board_report", period="2026-09", out=str(tmp_path / "again.pdf"))
    assert (tmp_path / "again.pdf").read_bytes() == written and GeneratedReport.objects.count() == 1

    data = gather_board_report(period_code="2026-09")
    stamp = Stamp(verification_code=report.verification_code, verify_url="http://testserver/reports/verify/")
    forged, _checksum = render_board_report(
        dataclasses.replace(data, incentive_spend=data.incentive_spend + Decimal(1)), stamp=stamp
    )
    (tmp_path / "forged.pdf").write_bytes(forged)
    assert verify_file(forged).standing == UNKNOWN
    with pytest.raises(CommandError, match="unknown"):
        call_command("verify_report", str(tmp_path / "forged.pdf"))


def test_a_team_scorecard_written_by_the_command_verifies(frozen_world, team_a, tmp_path):
    call_command("team_scorecard", team=team_a.slug, period="2026-09", out=str(tmp_path / "a.pdf"))
    written = (tmp_path / "a.pdf").read_bytes()
    report = GeneratedReport.objects.get(kind="team_scorecard")
    assert report.verification_code in "".join(pdf_text(written).split())
    assert verify_file(written).standing == GENUINE
    assert verify_file(_forged_team_pdf(team_a.pk, report.verification_code)).standing == UNKNOWN


def test_after_reopening_and_closing_again_both_versions_verify_and_only_the_new_one_is_served(
    frozen_world, cco, team_a, django_capture_on_commit_callbacks
):
    """Reopening needs a second executive; the copy of the first close stays verifiable (superseded, by file and
    by code), the second close's copy is genuine, and a request never serves the first again."""
    from culture.models import PeriodClosing
    from culture.scorecards import approve_reopen, request_reopen, verify_closing
    from tests.culture.scorecard_helpers import measure
    from tests.factories import UserFactory
    from users.roles import Role

    second_cco = UserFactory(email="cfo@example.com", roles=[Role.CCO])

    def board_report() -> GeneratedReport:
        with django_capture_on_commit_callbacks(execute=True):
            report = request_report(kind="board_report", parameters={"period": "2026-09"}, user=cco)
        report.refresh_from_db()
        return report

    close_period(code="2026-09", actor=cco)
    first = board_report()
    first_pdf = first.file.read()
    assert verify_file(first_pdf).standing == GENUINE
    request_reopen(code="2026-09", actor=cco, reason="A vendor file for September arrived late.")
    assert verify_file(first_pdf).standing == GENUINE  # asking alone changes nothing
    approve_reopen(code="2026-09", actor=second_cco)
    assert verify_file(first_pdf).standing == SUPERSEDED  # open again: its figures may change

    measure(team_a, "fcr", "2026-09-20", numerator=990, denominator=1000)  # the late data
    close_period(code="2026-09", actor=second_cco)
    second = board_report()
    second_pdf = second.file.read()

    v1, v2 = PeriodClosing.objects.filter(period__code="2026-09").order_by("version")
    assert (v1.version, v2.version) == (1, 2) and v1.checksum != v2.checksum
    assert verify_closing(v1) and verify_closing(v2)
    assert (first.snapshot_checksum, second.snapshot_checksum) == (v1.checksum, v2.checksum)
    assert second.pk != first.pk and second_pdf != first_pdf
    assert second.input_checksum != first.input_checksum  # the late row is in the second version's figures
    for verdict in (verify_file(first_pdf), verify_code(first.verification_code)):
        assert (verdict.standing, verdict.period) == (SUPERSEDED, "2026-09")
    for verdict in (verify_file(second_pdf), verify_code(second.verification_code)):
        assert (verdict.standing, verdict.period) == (GENUINE, "2026-09")
    assert board_report().pk == second.pk  # served from the archive: the second version, never the first
    first_text, second_text = ("".join(pdf_text(pdf).split()) for pdf in (first_pdf, second_pdf))
    assert first.input_checksum in first_text
    assert second.input_checksum in second_text and first.input_checksum not in second_text
