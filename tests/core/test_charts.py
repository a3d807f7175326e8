"""Server-side SVG charts: accessible, deterministic, self-contained, gaps for missing values."""

from decimal import Decimal as D

from defusedxml import ElementTree as ET

from core.charts import bar_chart, scatter_chart, sparkline, trend_chart

SVG = "{http://www.w3.org/2000/svg}"


def test_trend_chart_is_accessible_and_well_formed():
    svg = trend_chart([("2026-07", D(30)), ("2026-08", D(35)), ("2026-09", D(40))], title="NPS", target=D(38))
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.get("aria-label") == "NPS: 2026-07 30.0, 2026-08 35.0, 2026-09 40.0; target 38.0"
    assert root.find(f"{SVG}title").text == root.get("aria-label")
    assert len(root.findall(f"{SVG}polyline")) == 1
    assert len(root.findall(f"{SVG}circle")) == 3
    assert root.find(f"{SVG}line").get("stroke-dasharray") == "5 4"


def test_charts_are_deterministic_and_self_contained():
    points = [("a", D("1.5")), ("b", None), ("c", D("-2.25")), ("d", D(4))]
    first, second = trend_chart(points, title="x", target=1), trend_chart(points, title="x", target=1)
    assert first == second
    for svg in (first, sparkline([1, 2, None, 3], title="s"), bar_chart([("A", 50, "#123456")], title="b")):
        assert "class=" not in svg and "url(" not in svg and "<script" not in svg and "href" not in svg


def test_missing_values_break_the_line():
    svg = trend_chart([("a", 1), ("b", 2), ("c", None), ("d", 3), ("e", 4)], title="gaps")
    assert svg.count("<polyline") == 2
    assert "c no data" in svg


def test_empty_series_says_no_data():
    svg = trend_chart([("a", None), ("b", None)], title="Empty")
    assert "No data" in svg and "<polyline" not in svg


def test_titles_are_escaped():
    svg = trend_chart([("<a>", 1)], title='Tom & "Jerry" <script>')
    ET.fromstring(svg)
    assert "<script>" not in svg and "&lt;script&gt;" in svg


def test_sparkline_marks_the_last_point():
    root = ET.fromstring(sparkline([D(1), D(3), D(2)], title="FCR"))
    assert root.get("aria-label") == "FCR: 1.0, 3.0, 2.0"
    assert len(root.findall(f"{SVG}circle")) == 1


def test_bar_chart_clamps_to_the_maximum():
    root = ET.fromstring(bar_chart([("Big", 150, "#000"), ("None", None, "#000")], title="League"))
    widths = [r.get("width") for r in root.findall(f"{SVG}rect")]
    assert widths == ["260", "0"]


def _target_label_and_line_y(svg: str) -> tuple[float, float]:
    root = ET.fromstring(svg)
    label = next(t for t in root.findall(f"{SVG}text") if (t.text or "").startswith("target"))
    return float(label.get("y")), float(root.find(f"{SVG}line").get("y1"))


def test_target_label_sits_on_the_side_away_from_the_last_value():
    rising = trend_chart([("a", 30), ("b", 35), ("c", 42)], title="above at the end", target=40)
    label_y, line_y = _target_label_and_line_y(rising)
    assert label_y > line_y  # below the dashed line: the values end above it

    falling = trend_chart([("a", 45), ("b", 40), ("c", 36)], title="below at the end", target=40)
    label_y, line_y = _target_label_and_line_y(falling)
    assert label_y < line_y


def test_scatter_chart_is_accessible_escaped_and_has_one_dot_per_point():
    svg = str(
        scatter_chart(
            [(10, 50), (20, 70), (30, 65)],
            title="eNPS <vs> NPS",
            description="3 teams; r = 0.8",
            x_label="eNPS",
            y_label="NPS & co",
        )
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg and "<title>eNPS &lt;vs&gt; NPS</title><desc>3 teams; r = 0.8</desc>" in svg
    assert svg.count("<circle") == 3
    assert "NPS &amp; co" in svg and "<script" not in svg
    circles = ET.fromstring(svg).findall(f"{SVG}circle")
    assert ET.fromstring(svg).find(f"{SVG}desc").text == "3 teams; r = 0.8"
    # the lowest x sits left of the next, the higher y above the lower (SVG y grows downwards)
    assert float(circles[0].get("cx")) < float(circles[1].get("cx"))
    assert float(circles[1].get("cy")) < float(circles[0].get("cy"))


def test_scatter_chart_without_points_draws_only_the_frame():
    svg = str(scatter_chart([], title="t", description="d", x_label="x", y_label="y"))
    assert "<circle" not in svg and "<rect" in svg


def test_labels_read_in_the_language_being_rendered():
    from django.utils import translation

    points = [("2026-07", D("1290.5")), ("2026-08", D("1310.25"))]
    with translation.override("sv"):
        swedish = trend_chart(points, title="Cost", target=D("1300"))
    with translation.override("en"):
        english = trend_chart(points, title="Cost", target=D("1300"))
    assert "1\u00a0290,5" in swedish and "1\u00a0310,3" in swedish and "1\u00a0300,0" in swedish
    assert "1,290.5" in english and "1,310.3" in english and "1,300.0" in english
