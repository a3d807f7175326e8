"""The PDF renderer: static files from disk only, tagged output, byte-for-byte reproducible."""

import datetime as dt
import hashlib
import io
import threading

import pytest
from pypdf import PdfReader
from weasyprint.urls import URLFetchingError

from core.pdf import (
    ARCHIVAL,
    FONT_TIMESTAMP,
    STATIC_BASE,
    RefusedURL,
    StaticOnlyFetcher,
    font_configuration,
    render_html_to_pdf,
)

GENERATED_AT = dt.datetime(2026, 10, 1, 12, 0, tzinfo=dt.UTC)


def _html(body: str, head: str = "") -> str:
    return (
        f'<html lang="en"><head><meta charset="utf-8"><title>T</title>'
        f'<link rel="stylesheet" href="{STATIC_BASE}static/css/pdf.css">{head}</head><body>{body}</body></html>'
    )


def _reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in _reader(pdf).pages)


def test_renders_text_with_our_stylesheet_read_from_disk():
    fetcher = StaticOnlyFetcher()
    pdf = render_html_to_pdf(_html("<h1>Team scorecard</h1><p>NPS 42</p>"), fetcher=fetcher)
    assert pdf.startswith(b"%PDF-")
    assert "Team scorecard" in _text(pdf)
    assert fetcher.fetched == [f"{STATIC_BASE}static/css/pdf.css"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/evil.css",
        "https://example.com/x.css",
        "file:///etc/passwd",
        f"{STATIC_BASE}static/../../../etc/passwd",
        f"{STATIC_BASE}media/secret.pdf",
        f"{STATIC_BASE}static/css/missing.css",
    ],
)
def test_refuses_every_url_that_is_not_a_static_file(url):
    fetcher = StaticOnlyFetcher()
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.fetched == []


def test_a_template_pointing_outside_fails_instead_of_fetching():
    with pytest.raises((RefusedURL, URLFetchingError)):
        render_html_to_pdf(_html("<p>x</p>", head='<link rel="stylesheet" href="https://example.com/a.css">'))


def test_same_html_gives_the_same_bytes():
    html = _html(f'<meta name="dcterms.created" content="{GENERATED_AT.isoformat()}"><h1>Board report</h1>')
    assert render_html_to_pdf(html) == render_html_to_pdf(html)


def test_renders_seconds_apart_give_the_same_bytes(monkeypatch):
    """The embedded fonts' timestamp is pinned (SOURCE_DATE_EPOCH): a clock that moved between two renders
    used to change the fonts' `head` tables."""
    from fontTools.misc import timeTools

    seconds = iter(range(1_700_000_000, 1_700_000_100, 7))

    class Clock:
        @staticmethod
        def time() -> float:
            return float(next(seconds))

    monkeypatch.setattr(timeTools, "time", Clock)
    html = "<p>Customer <b>centric</b> scorecards 0123456789</p>"
    assert render_html_to_pdf(html) == render_html_to_pdf(html)
    # The stamp fontTools writes is the pinned one whatever the clock says.
    assert timeTools.timestampNow() == int(FONT_TIMESTAMP) - timeTools.epoch_diff
    assert timeTools.timestampNow() == int(FONT_TIMESTAMP) - timeTools.epoch_diff


def test_output_is_tagged_for_accessibility():
    pdf = render_html_to_pdf(_html("<h1>Heading</h1><table><tr><th>KPI</th></tr><tr><td>NPS</td></tr></table>"))
    catalog = _reader(pdf).trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "en"


def test_archival_variant_declares_pdfa():
    pdf = render_html_to_pdf(_html("<h1>Archive</h1>"), variant=ARCHIVAL)
    xmp = _reader(pdf).xmp_metadata
    assert xmp is not None
    assert b"pdfaid" in xmp.stream.get_data()
    assert "/StructTreeRoot" in _reader(pdf).trailer["/Root"]


def test_reused_font_configuration_gives_the_bytes_of_a_fresh_one():
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    html = _html("<h1>Board report</h1><p><b>NPS</b> 42 <i>up 3</i></p>")
    render_html_to_pdf(_html("<p>another document first, with <b>other</b> glyphs: Ωß€</p>"))
    reused = render_html_to_pdf(html)
    fresh = HTML(string=html, base_url=STATIC_BASE, url_fetcher=StaticOnlyFetcher()).write_pdf(
        pdf_variant="pdf/ua-1",
        pdf_identifier=hashlib.sha256(html.encode()).hexdigest()[:32].encode(),
        custom_metadata=False,
        font_config=FontConfiguration(),
    )
    assert reused == fresh


def test_each_thread_has_its_own_font_configuration():
    seen = []
    thread = threading.Thread(target=lambda: seen.append(font_configuration()))
    thread.start()
    thread.join()
    assert seen[0] is not font_configuration()
    assert font_configuration() is font_configuration()
