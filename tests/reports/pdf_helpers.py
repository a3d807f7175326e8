"""Reading generated PDFs back: text per page with whitespace collapsed, for exact figure checks."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader


def pdf_pages(content: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(content))
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in reader.pages]


def pdf_text(content: bytes) -> str:
    return " ".join(pdf_pages(content))


def raw_pdf_text(content: bytes) -> str:
    """The text as extracted, no-break spaces and all (only line breaks joined by a space)."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join((page.extract_text() or "").replace("\n", " ") for page in reader.pages)
