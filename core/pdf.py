"""The one PDF renderer: a Django template + print CSS -> WeasyPrint, static files from disk, nothing else.

Resources are addressed under a host that cannot resolve (`STATIC_BASE`); the fetcher maps those URLs
to our static files through Django's finders and refuses every other URL, so a PDF never reaches the
network. Output is deterministic: the same template and context give the same bytes, which makes a
closed period's report reproducible and its checksum meaningful.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import posixpath
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urlsplit

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

STATIC_HOST = "static.centric.invalid"
STATIC_BASE = f"https://{STATIC_HOST}/"

# fontTools stamps every embedded font subset's `head` table with the current second unless SOURCE_DATE_EPOCH
# is set (the reproducible-builds convention), so two renders a second apart differed in those bytes and a
# closed period's report was reproducible only when both fell in the same second. A fixed stamp, unless the
# environment sets one: 2000-01-01.
FONT_TIMESTAMP = "946684800"
os.environ.setdefault("SOURCE_DATE_EPOCH", FONT_TIMESTAMP)

# Tagged (accessible) output by default; the board report's archive copy is PDF/A-3a (archival and tagged).
ACCESSIBLE = "pdf/ua-1"
ARCHIVAL = "pdf/a-3a"


class RefusedURL(FatalURLFetchingError):
    """A template asked for something that is not one of our static files."""


@dataclass
class StaticOnlyFetcher(URLFetcher):
    """Serves `STATIC_BASE/static/<path>` (and `data:` URIs) from disk; refuses everything else."""

    fetched: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__()

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            self.fetched.append("data:")
            return super().fetch(url, headers)
        parts = urlsplit(url)
        if parts.scheme != "https" or parts.hostname != STATIC_HOST:
            raise RefusedURL(f"PDF templates may only use our static files; refused {url!r}")
        path = posixpath.normpath(unquote(parts.path)).lstrip("/")
        if not path.startswith("static/") or ".." in path.split("/"):
            raise RefusedURL(f"not a static file path: {url!r}")
        found = finders.find(path.removeprefix("static/"))
        if not found:
            raise RefusedURL(f"no such static file: {url!r}")
        with open(found, "rb") as handle:
            body = handle.read()
        self.fetched.append(url)
        content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


_fonts = threading.local()


def font_configuration() -> FontConfiguration:
    """One font configuration per thread, reused across renders.

    WeasyPrint otherwise loads the system's font configuration and a fresh Pango font map for every PDF; the
    documents use system fonts only (no @font-face), so the reused map gives the same bytes, cheaper. Pango
    font maps are not thread-safe, hence one per thread (a Celery prefork child has one thread).
    """
    if not hasattr(_fonts, "config"):
        _fonts.config = FontConfiguration()
    return _fonts.config


def render_html_to_pdf(html: str, *, variant: str = ACCESSIBLE, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    """WeasyPrint on ready HTML; the document identifier derives from the HTML so equal input -> equal bytes."""
    identifier = hashlib.sha256(html.encode()).hexdigest()[:32].encode()
    document = HTML(string=html, base_url=STATIC_BASE, url_fetcher=fetcher or StaticOnlyFetcher())
    return document.write_pdf(
        pdf_variant=variant, pdf_identifier=identifier, custom_metadata=False, font_config=font_configuration()
    )


def render_template_to_pdf(
    template: str, context: dict[str, Any], *, variant: str = ACCESSIBLE, fetcher: StaticOnlyFetcher | None = None
) -> bytes:
    """Render `template` with `context` (which must set `generated_at`, never "now") and print it."""
    html = render_to_string(template, {"STATIC_BASE": STATIC_BASE, **context})
    return render_html_to_pdf(html, variant=variant, fetcher=fetcher)
