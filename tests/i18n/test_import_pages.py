"""The import wizard's pages under the pseudo-locale and in Swedish.

The page tours walk URL patterns with a GET, so the pages that exist only after an upload are not in them: the
preview with the evidence and the locale question, the column-mapping form, the row errors, the old -> new
changes, the upload form's own errors, a big file's progress pages (preview and confirm) and the history's
message after an import. Here the CCO and team A's lead upload files that lead to each of them, and every
page is read as the tours read pages: under the pseudo-locale no unmarked word may be left, in Swedish no
English string of ours. The files' own cells and names are data.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from culture.measurements import tasks
from tests.access.world import MEASURED_VALUE, World
from tests.i18n.test_pseudo_tour import _stored_strings, page_findings

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"
MEASUREMENT_FILES = {
    # 1,290 reads two ways: the page asks for the decimal separator and shows the evidence.
    "two-ways.csv": b"team;kpi;date;value\nteam-alpha;aht;2026-09-01;1,290\n",
    # Columns no synonym matches: the mapping form.
    "own-columns.csv": b"Avdelning;Matt;Dag;Utfall\nteam-alpha;aht;2026-09-01;12,5\n",
    # A stored value changed (4321.5 -> 4400.5) and a new row: the old -> new table and the counts.
    "changes.csv": (
        b"team,kpi,date,value,sample_size\nteam-alpha,aht,2026-09-15,4400.5,10\nteam-alpha,aht,2026-09-16,300,\n"
    ),
    # Row errors: an unknown team, an unknown KPI, a value that is no number.
    "errors.csv": b"team,kpi,date,value\nnobody,aht,2026-09-01,5\nteam-alpha,fcrr,2026-09-02,x\n",
    # The company's own Swedish Excel export: Windows-1252 proposed from the bytes, decimal commas.
    "swedish-excel-cp1252.csv": (FIXTURES / "swedish-excel-cp1252.csv").read_bytes(),
}
BIG = b"team,kpi,date,value\nteam-alpha,aht,2026-09-20,5\n"
ZENDESK = (FIXTURES / "zendesk-satisfaction.csv").read_bytes()


def _file_data() -> list[str]:
    """Every cell and name of the uploaded files: the reader's own data, shown back as it is."""
    cells = {"big.csv", "zendesk.csv", *MEASUREMENT_FILES}
    for raw in (*MEASUREMENT_FILES.values(), BIG, ZENDESK):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
        cells.update(cell.strip() for cell in re.split(r"[;,\r\n]", text) if cell.strip())
        cells.add(hashlib.sha256(raw).hexdigest())
    return sorted(cells, key=len, reverse=True)


def _upload(client, name: str, raw: bytes, **fields) -> str:
    data = {"kind": "measurements", "file": SimpleUploadedFile(name, raw), **fields}
    response = client.post(reverse("culture:import_upload"), data)
    assert response.status_code == 302, response.content[:2000]
    return response["Location"]


def import_pages(world: World, role: str, monkeypatch) -> dict[str, str]:
    """The HTML of every page of the import wizard that needs an upload, as `role` sees them."""
    client = world.pages[role]
    pages: dict[str, str] = {}
    previews = {name: _upload(client, name, raw) for name, raw in MEASUREMENT_FILES.items()}
    for name, url in previews.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        pages[f"preview of {name}"] = response.content.decode()
    assert str(MEASURED_VALUE) in pages["preview of changes.csv"]  # the old value beside the new one

    refused = client.post(
        reverse("culture:import_upload"),
        {"kind": "measurements", "source": "zendesk", "file": SimpleUploadedFile("zendesk.csv", ZENDESK)},
    )
    assert refused.status_code == 200 and refused.context["form"].errors
    pages["upload refused: a survey tool's export as measurements"] = refused.content.decode()
    pages["preview of a Zendesk export"] = client.get(
        _upload(client, "zendesk.csv", ZENDESK, kind="responses", source="zendesk")
    ).content.decode()

    confirmed = client.post(previews["changes.csv"] + "confirm/", follow=True)
    assert confirmed.redirect_chain[-1][0] == reverse("culture:importbatch_list")
    pages["history with the import's message"] = confirmed.content.decode()

    # A big file: no worker picks the jobs up, so the pages show them waiting.
    monkeypatch.setattr(tasks.run_import_job, "delay", lambda *args, **kwargs: None)
    with override_settings(CENTRIC_IMPORT_ASYNC_BYTES=1):
        big = _upload(client, "big.csv", BIG)
        waiting = client.get(big)
        assert b'http-equiv="refresh"' in waiting.content
        pages["big file: the check waiting"] = waiting.content.decode()
    return pages


@pytest.mark.parametrize("role", ["cco", "lead_a"])
def test_the_wizards_pages_show_only_marked_text_or_data(pseudo_world, role, monkeypatch):
    pages = import_pages(pseudo_world, role, monkeypatch)
    data = [*_file_data(), *_stored_strings()]
    failures = {label: found for label, html in pages.items() if (found := page_findings(html, data))}
    assert not failures, "\n".join(f"{label}: {found}" for label, found in failures.items())
    assert len(pages) == 9
