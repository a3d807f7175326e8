"""Issue 19: `line_figures` and `line_status` give what `kpi_line` gives (status, rounded actual, score, weight)
on the same sums and target, for every aggregation, survey interval and noise rule; the composite of the
figures is the card's composite."""

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from culture.scorecards.calculations import (
    KpiSpec,
    Sums,
    TargetSpec,
    composite,
    kpi_line,
    scorecard,
)
from culture.scorecards.figures import line_figures, line_status

KPIS = [
    KpiSpec("nps", "NPS", "score", 0, "higher", "ratio", D(100), "nps"),
    KpiSpec("csat", "CSAT", "percent", 1, "higher", "ratio", D(100), "csat"),
    KpiSpec("ces", "CES", "score", 2, "higher", "mean", D(1), "ces"),
    KpiSpec("fcr", "FCR", "percent", 1, "higher", "ratio", D(100)),
    KpiSpec("aht", "AHT", "seconds", 0, "lower", "mean", D(1)),
    KpiSpec("gained", "Gained", "count", 0, "higher", "sum", D(1)),
    KpiSpec("stock", "Customers", "count", 0, "higher", "last", D(1)),
]
_amount = st.decimals(min_value=0, max_value=500, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def _sums(draw) -> Sums:
    rows = draw(st.integers(0, 40))
    denominator = draw(st.integers(0, 400))
    squared = draw(st.sampled_from([0, rows]))
    return Sums(
        rows=rows,
        value=draw(_amount),
        value_x_n=draw(_amount) * 3,
        n=D(draw(st.integers(0, 120))),
        numerator=D(draw(st.integers(-denominator, denominator))),
        denominator=D(denominator),
        sample_size=draw(st.integers(0, 200)),
        sampled_rows=draw(st.integers(0, rows)),
        sum_squares=draw(_amount) * 2,
        squared_rows=squared,
        last=draw(st.none() | _amount),
    )


@st.composite
def _target(draw) -> TargetSpec | None:
    if draw(st.booleans()) and draw(st.booleans()):
        return None
    low, middle, high = sorted(draw(st.lists(st.integers(-100, 300), min_size=3, max_size=3, unique=True)))
    lower_is_better = draw(st.booleans())
    return TargetSpec(
        target=D(low if lower_is_better else high),
        on_track_from=D(middle),
        off_track_from=D(high if lower_is_better else low),
        weight=D(draw(st.sampled_from([0, 1, 2, 3]))),
        min_sample=draw(st.sampled_from([0, 0, 10, 100])),
        noise_by_interval=draw(st.booleans()),
    )


@settings(max_examples=300)
@given(st.sampled_from(KPIS), _sums(), _target())
def test_figures_and_status_are_the_lines(kpi, sums, target):
    """Thresholds in either order against either direction: both sides get the same inputs."""
    line = kpi_line(kpi, sums, target)
    figures = line_figures(kpi, sums, target)
    assert (figures.kpi_code, figures.kpi_name, figures.decimals) == (line.kpi_code, line.kpi_name, line.decimals)
    assert (figures.status, figures.actual, figures.score, figures.weight) == (
        line.status,
        line.actual,
        line.score,
        line.weight,
    )
    assert str(figures.actual) == str(line.actual) and str(figures.score) == str(line.score)
    assert line_status(kpi, sums, target).value == line.status
    assert figures.unit == line.unit


@settings(max_examples=100)
@given(st.lists(st.tuples(_sums(), _target()), min_size=len(KPIS), max_size=len(KPIS)))
def test_figures_card_has_the_cards_composite_and_counts(drawn):
    sums = {kpi.code: s for kpi, (s, _t) in zip(KPIS, drawn, strict=True)}
    targets = {kpi.code: t for kpi, (_s, t) in zip(KPIS, drawn, strict=True) if t is not None}
    common = {"level": "team", "object_id": 1, "period_code": "2026-09", "kpis": KPIS, "sums": sums}
    full = scorecard(**common, previous_sums={}, targets=targets)
    figures = scorecard(**common, previous_sums={}, targets=targets, figures_only=True)
    assert figures.composite == full.composite
    assert composite(figures.lines.values()) == full.composite
    for status in ("red", "amber", "green", "neutral", "noise"):
        assert figures.count(status) == full.count(status)
    assert {code: line.actual for code, line in figures.lines.items()} == {
        code: line.actual for code, line in full.lines.items()
    }


@settings(max_examples=100)
@given(st.lists(st.tuples(st.booleans(), _sums(), _target()), min_size=len(KPIS), max_size=len(KPIS)))
def test_kpis_without_rows_get_the_figures_of_empty_sums(drawn):
    """Lines without sums share one built figure per KPI and target (`no_data_figures`): the same figures,
    and the same whole line, as the line built from empty sums."""
    sums = {kpi.code: s for kpi, (reported, s, _t) in zip(KPIS, drawn, strict=True) if reported}
    targets = {kpi.code: t for kpi, (_r, _s, t) in zip(KPIS, drawn, strict=True) if t is not None}
    common = {"level": "team", "object_id": 1, "period_code": "2026-09", "kpis": KPIS, "sums": sums}
    figures = scorecard(**common, previous_sums={}, targets=targets, figures_only=True)
    full = scorecard(**common, previous_sums={}, targets=targets)
    for kpi in KPIS:
        expected = line_figures(kpi, sums.get(kpi.code, Sums()), targets.get(kpi.code))
        assert figures.lines[kpi.code] == expected
        whole = full.lines[kpi.code]
        assert expected[4:] == (whole.status, whole.actual, whole.score, whole.weight)
    assert figures.composite == full.composite
