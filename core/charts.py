"""Server-side SVG charts for pages and PDFs: pure functions, deterministic markup, no scripts or external assets.

Every chart is self-contained (presentation attributes, a generic font family, no CSS classes or URLs) so
WeasyPrint renders it exactly like the browser, and it carries `role="img"`, an `aria-label` and a
`<title>` for screen readers. Missing values (None) leave a gap in the line.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from .formatting import format_number, format_percent_spaced

Number = Decimal | int | float
INK = "#212529"
MUTED = "#6c757d"
GRID = "#dee2e6"
LINE = "#0d6efd"
TARGET = "#1f7a3f"
FONT = 'font-family="Helvetica, Arial, sans-serif"'


def _fmt(value: float) -> str:
    """Coordinates with two decimals and no trailing zeros, so output is stable across platforms."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _label(value: Number | None, decimals: int) -> str:
    if value is None:
        return gettext("no data")
    # In the language being rendered (a PDF builds under its requester's): sv "1 290,5", en "1,290.5".
    return format_number(Decimal(str(value)), decimals, get_language())


def _scale(
    values: Sequence[float], target: float | None, limits: tuple[float, float] | None = None
) -> tuple[float, float]:
    """The axis range: the points (and target) padded by 8 %, kept within `limits` (0-100 for a percentage)."""
    points = [*values, *([target] if target is not None else [])]
    low, high = min(points), max(points)
    pad = (abs(low) * 0.1 or 1.0) if low == high else (high - low) * 0.08
    low, high = low - pad, high + pad
    if limits is not None:
        low, high = max(low, limits[0]), min(high, limits[1])
        if low >= high:  # every point sits on a limit
            low, high = (limits[0], limits[1])
    return low, high


def _runs(coords: Sequence[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    runs: list[list[tuple[float, float]]] = [[]]
    for point in coords:
        if point is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(point)
    return [run for run in runs if run]


def _open(width: int, height: int, label: str) -> str:
    text = escape(label)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{text}"><title>{text}</title>'
    )


def trend_chart(
    points: Sequence[tuple[str, Number | None]],
    *,
    title: str,
    target: Number | None = None,
    decimals: int = 1,
    unit: str = "",
    width: int = 480,
    height: int = 180,
    limits: tuple[float, float] | None = None,
) -> SafeString:
    """A line chart of (label, value) points with an optional dashed target line and min/max axis labels;
    `limits` keeps the axis inside a natural range (0-100 for a percentage)."""
    present = [float(v) for _label_, v in points if v is not None]
    described = ", ".join(f"{name} {_label(value, decimals)}" for name, value in points) if present else ""
    target_text = (
        gettext("; target %(value)s") % {"value": f"{_label(target, decimals)}{unit}"} if target is not None else ""
    )
    parts = [_open(width, height, f"{title}: {described or _label(None, 0)}{target_text}")]
    left, right, top, bottom = 44, 10, 10, 24
    plot_w, plot_h = width - left - right, height - top - bottom
    parts.append(
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#ffffff" '
        f'stroke="{GRID}" stroke-width="1"/>'
    )
    if not present:
        empty = gettext("No data")
        parts.append(
            f'<text x="{_fmt(left + plot_w / 2)}" y="{_fmt(top + plot_h / 2)}" text-anchor="middle" '
            f'font-size="12" fill="{MUTED}" {FONT}>{escape(empty)}</text>'
        )
    else:
        low, high = _scale(present, float(target) if target is not None else None, limits)
        count = len(points)

        def x_at(index: int) -> float:
            return left + (plot_w / 2 if count == 1 else plot_w * index / (count - 1))

        def y_at(value: float) -> float:
            return top + plot_h * (high - value) / (high - low)

        for value in (high, low):
            parts.append(
                f'<text x="{left - 4}" y="{_fmt(y_at(value) + 4)}" text-anchor="end" font-size="10" '
                f'fill="{MUTED}" {FONT}>{escape(_label(Decimal(str(value)), decimals))}</text>'
            )
        if target is not None:
            y = _fmt(y_at(float(target)))
            parts.append(
                f'<line x1="{left}" y1="{y}" x2="{left + plot_w}" y2="{y}" stroke="{TARGET}" stroke-width="1.5" '
                f'stroke-dasharray="5 4"/>'
            )
            # The label sits at the right end, on the side of the target line away from the last value, so the
            # line of values never runs through it; it stays inside the plot when the target is at an edge.
            last = next((float(v) for _name, v in reversed(points) if v is not None), float(target))
            label_y = y_at(float(target)) + (12 if last > float(target) else -4)
            label_y = min(max(label_y, top + 10), top + plot_h - 3)
            target_label = gettext("target %(value)s") % {"value": _label(target, decimals)}
            parts.append(
                f'<text x="{left + plot_w - 2}" y="{_fmt(label_y)}" text-anchor="end" font-size="10" '
                f'fill="{TARGET}" {FONT}>{escape(target_label)}</text>'
            )
        coords = [None if v is None else (x_at(i), y_at(float(v))) for i, (_name, v) in enumerate(points)]
        for run in _runs(coords):
            if len(run) > 1:
                path = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in run)
                parts.append(f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="2"/>')
        for point in coords:
            if point is not None:
                parts.append(f'<circle cx="{_fmt(point[0])}" cy="{_fmt(point[1])}" r="2.5" fill="{LINE}"/>')
        step = max(1, (count + 4) // 5)
        for index, (name, _value) in enumerate(points):
            last = index == count - 1
            if (index % step == 0 and count - 1 - index >= step) or last:
                anchor = "end" if last and count > 1 else "start" if index == 0 and count > 1 else "middle"
                parts.append(
                    f'<text x="{_fmt(x_at(index))}" y="{height - 6}" text-anchor="{anchor}" font-size="10" '
                    f'fill="{MUTED}" {FONT}>{escape(name)}</text>'
                )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part above is escaped  # nosec B308 B703


def sparkline(
    values: Sequence[Number | None], *, title: str, width: int = 96, height: int = 24, decimals: int = 1
) -> SafeString:
    """A small line of recent values (no axes), its last point marked; gaps for missing values."""
    present = [float(v) for v in values if v is not None]
    described = ", ".join(_label(v, decimals) for v in values) if present else gettext("no data")
    parts = [_open(width, height, f"{title}: {described}")]
    if present:
        low, high = _scale(present, None)
        count = len(values)

        def x_at(index: int) -> float:
            return 2 + (width - 4) * (0.5 if count == 1 else index / (count - 1))

        def y_at(value: float) -> float:
            return 2 + (height - 4) * (high - value) / (high - low)

        coords = [None if v is None else (x_at(i), y_at(float(v))) for i, v in enumerate(values)]
        for run in _runs(coords):
            if len(run) > 1:
                path = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in run)
                parts.append(f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="1.5"/>')
        last = next((point for point in reversed(coords) if point is not None), None)
        if last is not None:
            parts.append(f'<circle cx="{_fmt(last[0])}" cy="{_fmt(last[1])}" r="2" fill="{INK}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part above is escaped  # nosec B308 B703


def bar_chart(
    bars: Sequence[tuple[str, Number | None, str]],
    *,
    title: str,
    maximum: Number = 100,
    decimals: int = 1,
    width: int = 480,
    bar_height: int = 16,
) -> SafeString:
    """Horizontal bars of (label, value, colour) from 0 to `maximum`, e.g. a league table of composite scores."""
    described = ", ".join(f"{name} {_label(value, decimals)}" for name, value, _colour in bars)
    label_w, gap = 170, 6
    height = max(len(bars), 1) * (bar_height + gap) + gap
    parts = [_open(width, height, f"{title}: {described or _label(None, 0)}")]
    plot_w = width - label_w - 50
    top = float(maximum) or 1.0
    for index, (name, value, colour) in enumerate(bars):
        y = gap + index * (bar_height + gap)
        parts.append(
            f'<text x="{label_w - 6}" y="{_fmt(y + bar_height * 0.75)}" text-anchor="end" font-size="11" '
            f'fill="{INK}" {FONT}>{escape(name[:28])}</text>'
        )
        length = 0.0 if value is None else max(0.0, min(float(value), top)) / top * plot_w
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{_fmt(length)}" height="{bar_height}" fill="{escape(colour)}"/>'
        )
        parts.append(
            f'<text x="{_fmt(label_w + length + 4)}" y="{_fmt(y + bar_height * 0.75)}" font-size="11" '
            f'fill="{INK}" {FONT}>{escape(_label(value, decimals))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part above is escaped  # nosec B308 B703


def curve_chart(
    points: Sequence[tuple[Number, Number]],
    *,
    title: str,
    dot: tuple[Number, Number] | None = None,
    ticks: Sequence[tuple[Number, str]] = (),
    y_ticks: Sequence[Number] = (),
    width: int = 150,
    height: int = 56,
) -> SafeString:
    """An x-y polyline (a payout curve) with labelled x ticks, y ticks and one dot (where a value landed)."""
    xs = [float(x) for x, _y in points] + ([float(dot[0])] if dot else [])
    ys = [float(y) for _x, y in points] + ([float(dot[1])] if dot else []) + [0.0]
    parts = [_open(width, height, title)]
    left, right, top, bottom = 26, 8, 4, 12
    plot_w, plot_h = width - left - right, height - top - bottom
    parts.append(
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#ffffff" '
        f'stroke="{GRID}" stroke-width="1"/>'
    )
    x_low, x_high = min(xs), max(xs)
    y_high = max(ys) or 1.0
    x_span = (x_high - x_low) or 1.0

    def at(x: float, y: float) -> tuple[float, float]:
        return left + plot_w * (x - x_low) / x_span, top + plot_h * (1 - y / y_high)

    path = " ".join(f"{_fmt(px)},{_fmt(py)}" for px, py in (at(float(x), float(y)) for x, y in points))
    parts.append(f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="1.5"/>')
    for value in y_ticks:
        _px, py = at(x_low, float(value))
        parts.append(
            f'<text x="{left - 3}" y="{_fmt(py + 3)}" text-anchor="end" font-size="8" fill="{MUTED}" {FONT}>'
            f"{escape(format_percent_spaced(Decimal(str(value)), 0, get_language()))}</text>"
        )
    for value, label in ticks:
        px, _py = at(float(value), 0.0)
        parts.append(
            f'<text x="{_fmt(px)}" y="{height - 4}" text-anchor="middle" font-size="8" fill="{MUTED}" {FONT}>'
            f"{escape(label)}</text>"
        )
    if dot is not None:
        px, py = at(float(dot[0]), float(dot[1]))
        parts.append(
            f'<circle cx="{_fmt(px)}" cy="{_fmt(py)}" r="3.5" fill="{TARGET}" stroke="{INK}" stroke-width="0.5"/>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part above is escaped  # nosec B308 B703


def scatter_chart(
    points: Sequence[tuple[Number, Number]],
    *,
    title: str,
    description: str,
    x_label: str,
    y_label: str,
    width: int = 560,
    height: int = 320,
) -> SafeString:
    """An x-y scatter (one dot per point) with axis labels and min/max ticks; `description` goes in `<desc>`.
    Pages pair it with a data table of the same points, the fallback for screen readers and print."""
    parts = [_open(width, height, title).replace("</title>", f"</title><desc>{escape(description)}</desc>", 1)]
    left, right, top, bottom = 52, 12, 10, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    parts.append(
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#ffffff" '
        f'stroke="{GRID}" stroke-width="1"/>'
    )
    if points:
        x_low, x_high = _scale([float(x) for x, _y in points], None)
        y_low, y_high = _scale([float(y) for _x, y in points], None)

        def at(x: float, y: float) -> tuple[float, float]:
            return (
                left + plot_w * (x - x_low) / (x_high - x_low),
                top + plot_h * (1 - (y - y_low) / (y_high - y_low)),
            )

        for value in (x_low, x_high):
            px, _py = at(value, y_low)
            parts.append(
                f'<text x="{_fmt(px)}" y="{top + plot_h + 14}" text-anchor="middle" font-size="10" '
                f'fill="{MUTED}" {FONT}>{escape(_label(value, 1))}</text>'
            )
        for value in (y_low, y_high):
            _px, py = at(x_low, value)
            parts.append(
                f'<text x="{left - 4}" y="{_fmt(py + 3)}" text-anchor="end" font-size="10" '
                f'fill="{MUTED}" {FONT}>{escape(_label(value, 1))}</text>'
            )
        for x, y in points:
            px, py = at(float(x), float(y))
            parts.append(
                f'<circle cx="{_fmt(px)}" cy="{_fmt(py)}" r="4" fill="{LINE}" fill-opacity="0.75" '
                f'stroke="{INK}" stroke-width="0.5"/>'
            )
    parts.append(
        f'<text x="{_fmt(left + plot_w / 2)}" y="{height - 6}" text-anchor="middle" font-size="11" '
        f'fill="{INK}" {FONT}>{escape(x_label)}</text>'
    )
    parts.append(
        f'<text x="12" y="{_fmt(top + plot_h / 2)}" text-anchor="middle" font-size="11" fill="{INK}" {FONT} '
        f'transform="rotate(-90 12 {_fmt(top + plot_h / 2)})">{escape(y_label)}</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part above is escaped  # nosec B308 B703
