import re
from pathlib import Path

from core.palette import AMBER_TEXT, STATUS_COLOURS

CSS = Path(__file__).resolve().parents[2] / "static" / "css"


def test_app_stylesheet_declares_the_palette_as_variables():
    css = (CSS / "app.css").read_text()
    declared = dict(re.findall(r"--status-(\w+(?:-text)?):\s*(#[0-9a-f]{6})", css))

    assert declared == {**STATUS_COLOURS, "amber-text": AMBER_TEXT}


def test_app_stylesheet_uses_no_status_colour_outside_the_variables():
    css = (CSS / "app.css").read_text()
    body = css[css.index("}", css.index(":root")) :]

    assert not set(re.findall(r"#[0-9a-f]{6}", body)) & {*STATUS_COLOURS.values(), AMBER_TEXT}


def test_pdf_stylesheet_fills_status_badges_with_the_palette():
    css = (CSS / "pdf.css").read_text()
    fills = dict(re.findall(r"\.status-(\w+) \{ background: (#[0-9a-f]{6})", css))

    assert fills == STATUS_COLOURS
