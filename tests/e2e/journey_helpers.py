"""Helpers for the operations journeys: a real TOTP second factor, CSV uploads, reading figures off pages."""

from __future__ import annotations

import os
import re
import time
from decimal import Decimal
from pathlib import Path

from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value


def enrol_totp(user) -> str:
    """Give the user an authenticator app (as enrolment would) and return its secret, to compute codes."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    """The code the user's authenticator app shows right now (never one about to expire: allauth has no slack)."""
    if time.time() % 30 > 28:
        time.sleep(30 - time.time() % 30)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def enter_totp(page, secret: str) -> None:
    """On allauth's second-factor page after the password: the code from the authenticator app."""
    page.wait_for_url("**/accounts/2fa/authenticate/")
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()


def csv_upload(name: str, rows: list[str]) -> dict:
    """A file for `set_input_files`: the rows joined as a UTF-8 CSV, never written to disk."""
    return {"name": name, "mimeType": "text/csv", "buffer": ("\n".join(rows) + "\n").encode()}


def decimal_in(text: str) -> Decimal:
    """The one number in a cell's text ("1,234.50 EUR" -> 1234.50)."""
    numbers = re.findall(r"-?[\d,]*\.?\d+", text)
    assert len(numbers) == 1, f"expected one number in {text!r}"
    return Decimal(numbers[0].replace(",", ""))


DOCS_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "img"
DOCS_VIEWPORT = {"width": 1280, "height": 800}


def docs_screenshot(page, name: str) -> Path | None:
    """With DOCS_SCREENSHOTS=1 (`make screenshots`), the visible page at 1280x800 becomes docs/img/<name>.png.

    Only the first screen is kept, not the full page: it is what a reader sees first and keeps the PNG small.
    The page's own viewport is restored afterwards, so the journey goes on exactly as without the flag.
    """
    if os.environ.get("DOCS_SCREENSHOTS") != "1":
        return None
    DOCS_IMAGES.mkdir(parents=True, exist_ok=True)
    path = DOCS_IMAGES / f"{name}.png"
    previous = page.viewport_size
    page.set_viewport_size(DOCS_VIEWPORT)
    try:
        page.screenshot(path=path, full_page=False, animations="disabled")
    finally:
        if previous:
            page.set_viewport_size(previous)
    return path
