"""The one status palette: charts (SVG on pages and in PDFs) and both stylesheets use these colours.

static/css/app.css and static/css/pdf.css repeat the values (CSS cannot import Python); a test keeps them equal.
"""

from __future__ import annotations

from typing import Final

STATUS_COLOURS: Final[dict[str, str]] = {
    "green": "#1f7a3f",
    "amber": "#f0b429",
    "red": "#b42318",
    "neutral": "#6c757d",
    # "within noise": the data cannot tell the band; a cool slate, distinct from not rated.
    "noise": "#475467",
}

# Amber text on white needs a darker shade than the amber fill to reach WCAG's 4.5:1 contrast.
AMBER_TEXT: Final[str] = "#9a6700"
