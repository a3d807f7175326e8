"""Helpers shared by the document builders: canonical input checksums and number formatting.

Every figure a document prints goes through `number`, `signed`, `percent` and `money` here, in the language
the document is rendered in: `reports.services.run_report` builds each report under
`translation.override(report.language)` (the language it was requested in), and the formatting is
core.formatting's (Babel's locale data): `1,290.5` in English, `1 290,5` in Swedish. English PDFs keep their
house style of a spaced percent sign (`97.0 %`); other languages use their locale's (sv `97,0 %`).
The checksums are of the raw figures, never of the printed text, so they are the same in every language.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.formatting import format_money, format_number, format_percent_spaced
from culture.scorecards import KpiLine, current_closing
from culture.scorecards.status import STATUS_LABELS

DASH = "\u2013"  # an en dash: "no data" in a table cell, and the range in a confidence interval


def _default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"not JSON-serialisable in a checksum: {type(value).__name__}")


def canonical_json(data: Any) -> str:
    """Sorted keys, no whitespace, Decimals as their exact strings: the same figures -> the same text."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), default=_default, ensure_ascii=False)


def input_checksum(data: Any) -> str:
    """SHA-256 of the canonical JSON of every figure a document uses."""
    return hashlib.sha256(canonical_json(data).encode()).hexdigest()


def closing_key(params: Mapping[str, Any]) -> str:
    """The checksum of the period's current closing (what a closed period's documents are built from), or ""."""
    closing = current_closing(params["period"])
    return closing.checksum if closing is not None else ""


def number(value: Decimal | int | None, decimals: int = 1, *, unit: str = "") -> str:
    """A figure as printed in the document's language: fixed decimals, the locale's separators, a dash for
    no data; `unit="percent"` adds the locale's percent sign, `unit="seconds"` an `s`."""
    if value is None:
        return DASH
    if unit == "percent":
        return percent(value, decimals)
    text = format_number(Decimal(value), decimals, get_language())
    return f"{text} s" if unit == "seconds" else text


def percent(value: Decimal | int | None, decimals: int = 1) -> str:
    """A value already in percent: `97.0 %` in English (the PDFs' house style), else the locale's (`97,0 %`)."""
    if value is None:
        return DASH
    return format_percent_spaced(Decimal(value), decimals, get_language())


def signed(value: Decimal | int | None, decimals: int = 1) -> str:
    """A change with its sign (+1.5, -0.3; sv +1,5), a dash when unknown; zero is `+0.0`."""
    if value is None:
        return DASH
    text = format_number(Decimal(value), decimals, get_language())
    return text if text.startswith("-") else f"+{text}"


def money(value: Decimal | None, currency: str) -> str:
    """An already rounded amount with its currency: `EUR 1,234.50`, sv `1 234,50 €`."""
    if value is None:
        return _("unknown")
    return format_money(Decimal(value), currency, get_language())


def ci_text(line: KpiLine) -> str:
    """The 95 % confidence interval and sample of a survey-based line, or the sample alone."""
    if line.ci_low is not None and line.ci_high is not None:
        low, high = number(line.ci_low, line.decimals), number(line.ci_high, line.decimals)
        # The method (Wilson, NPS margin, t) is named once in the PDF's definitions, not in every cell.
        return f"{low} {DASH} {high} (n={line.sample_size})"
    if line.sample_size:
        return f"n={line.sample_size}"
    return DASH


def line_row(line: KpiLine, definitions: Mapping[str, str]) -> dict[str, Any]:
    """One KPI table row as printed."""
    return {
        "code": line.kpi_code,
        "name": line.kpi_name,
        "actual": number(line.actual, line.decimals, unit=line.unit),
        "target": number(line.target, line.decimals, unit=line.unit),
        "attainment": number(line.attainment, 1, unit="percent") if line.attainment is not None else DASH,
        "status": line.status,
        "status_label": STATUS_LABELS.get(line.status, line.status),
        "confidence": ci_text(line),
        "trend": signed(line.trend, line.decimals),
        "direction": "higher is better" if line.direction == "higher" else "lower is better",
        "definition": definitions.get(line.kpi_code, ""),
    }
