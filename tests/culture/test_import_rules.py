"""Pure validation rules: no database."""

import datetime as dt
from decimal import Decimal

import pytest

from culture.measurements.cells import CellError, parse_count, parse_decimal, parse_iso_date
from culture.measurements.response_rules import ResponseValidator
from culture.measurements.rules import ImportContext, KpiRule, MeasurementRow, MeasurementValidator
from culture.measurements.survey import ResponseTally, survey_figures, tally_scores

CONTEXT = ImportContext(
    teams={"care": 1, "sales": 2},
    kpis={"fcr": KpiRule(10, "ratio"), "aht": KpiRule(11, "mean"), "gained": KpiRule(12, "sum")},
    editable_team_ids=None,
    closed_ranges=((dt.date(2026, 1, 1), dt.date(2026, 3, 31)),),
    survey_kpis={"nps": 20, "csat": 21, "ces": 22},
)


def _row(team="care", kpi="fcr", date="2026-04-01", channel="all", value="", num="5", den="10", size="", squares=""):
    return (team, kpi, date, channel, value, num, den, size, squares)


def _errors(validator):
    return [(e.row, e.column, e.value, e.reason) for e in validator.errors]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", Decimal("12")), ("-3.25", Decimal("-3.25")), ("0.000001", Decimal("0.000001")), ("1e3", Decimal("1E+3"))],
)
def test_parses_plain_decimals_exactly(text, expected):
    assert parse_decimal(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("12,5", "decimal comma: write 12.5"),
        ("1,234.5", "thousands separators"),
        ("NaN", "NaN and Infinity"),
        ("inf", "NaN and Infinity"),
        ("=1+2", "formula"),
        ("@SUM(A1)", "formula"),
        ("abc", "not a number"),
        ("0.0000001", "more than 6 decimal places"),
        ("1234567890123", "too large"),
    ],
)
def test_rejects_numbers_with_a_reason(text, reason):
    with pytest.raises(CellError, match=reason):
        parse_decimal(text)


def test_counts_are_whole_and_not_negative():
    assert parse_count("42") == 42
    assert parse_count("12.0") == 12
    with pytest.raises(CellError, match="negative"):
        parse_count("-1")
    with pytest.raises(CellError, match="whole number"):
        parse_count("1.5")


def test_dates_must_be_iso_and_real():
    assert parse_iso_date("2026-02-28") == dt.date(2026, 2, 28)
    with pytest.raises(CellError, match="ISO"):
        parse_iso_date("28/02/2026")
    with pytest.raises(CellError, match="no such day"):
        parse_iso_date("2026-02-30")


def test_accepts_a_clean_ratio_row_and_a_clean_value_row():
    validator = MeasurementValidator(CONTEXT)
    ratio = validator.check(2, _row())
    mean = validator.check(3, _row(kpi="aht", value="312.5", num="", den="", size="40", channel="phone"))
    assert ratio == MeasurementRow(1, 10, dt.date(2026, 4, 1), "all", None, Decimal(5), Decimal(10), None)
    assert mean == MeasurementRow(1, 11, dt.date(2026, 4, 1), "phone", Decimal("312.5"), None, None, 40)
    assert validator.is_valid


def test_reports_every_problem_of_a_row_with_its_column():
    validator = MeasurementValidator(CONTEXT)
    assert validator.check(2, _row(team="nobody", date="2026-13-01", channel="fax", num="x", den="-1")) is None
    assert _errors(validator) == [
        (2, "team", "nobody", "unknown team slug, or a team you may not edit"),
        (2, "date", "2026-13-01", "no such day"),
        (
            2,
            "channel",
            "fax",
            "unknown channel (expected one of all, phone, email, chat, social, self_service, in_person)",
        ),
        (2, "numerator", "x", "not a number: use the digits 0-9, an optional minus sign and a dot for decimals"),
        (2, "denominator", "-1", "must not be negative"),
    ]


def test_ratio_kpis_need_numerator_and_denominator_and_others_a_value():
    validator = MeasurementValidator(CONTEXT)
    validator.check(2, _row(value="50", num="", den=""))
    validator.check(3, _row(kpi="aht", value="", num="1", den="2"))
    assert [(e.row, e.column, e.reason) for e in validator.errors] == [
        (2, "value", "a ratio KPI takes numerator and denominator, not value"),
        (2, "numerator", "required for a ratio KPI"),
        (2, "denominator", "required for a ratio KPI"),
        (3, "value", "required for a mean KPI"),
        (3, "numerator", "only ratio KPIs take a numerator; put the figure in value"),
        (3, "denominator", "only ratio KPIs take a denominator"),
    ]


def test_zero_denominator_needs_zero_numerator():
    validator = MeasurementValidator(CONTEXT)
    assert validator.check(2, _row(num="0", den="0")) is not None
    assert validator.check(3, _row(num="1", den="0", date="2026-04-02")) is None
    assert _errors(validator) == [(3, "denominator", "0", "is 0 while the numerator is not")]


def test_refuses_rows_in_closed_periods():
    validator = MeasurementValidator(CONTEXT)
    validator.check(2, _row(date="2026-03-31"))
    assert _errors(validator) == [
        (2, "date", "2026-03-31", "falls in a closed period (2026-01-01 to 2026-03-31); it is frozen")
    ]


def test_names_the_first_row_of_a_duplicate_key():
    validator = MeasurementValidator(CONTEXT)
    validator.check(2, _row())
    validator.check(7, _row(num="6"))
    assert _errors(validator) == [(7, "team,kpi,date,channel", "care,fcr,2026-04-01,all", "duplicate of row 2")]


@pytest.mark.parametrize("order", [("all", "phone"), ("phone", "all")])
def test_refuses_channel_all_beside_specific_channels_on_one_day(order):
    validator = MeasurementValidator(CONTEXT)
    assert validator.check(2, _row(channel=order[0])) is not None
    assert validator.check(3, _row(channel=order[1])) is None
    assert validator.errors[0].row == 3
    assert "both would count" in validator.errors[0].reason
    assert validator.check(4, _row(channel=order[0], date="2026-04-02")) is not None


def test_leads_may_only_import_their_own_teams():
    context = ImportContext(teams=CONTEXT.teams, kpis=CONTEXT.kpis, editable_team_ids=frozenset({2}))
    validator = MeasurementValidator(context)
    assert validator.check(2, _row(team="sales")) is not None
    assert validator.check(3, _row(team="care")) is None
    assert _errors(validator) == [(3, "team", "care", "unknown team slug, or a team you may not edit")]


def test_formula_looking_text_is_named_as_such():
    validator = MeasurementValidator(CONTEXT)
    validator.check(2, _row(team="=cmd|'/c calc'!A1", kpi="+fcr"))
    assert [e.reason for e in validator.errors] == ["looks like a spreadsheet formula"] * 2


def test_error_list_is_capped_but_counted():
    validator = MeasurementValidator(CONTEXT, max_errors=3)
    for number in range(2, 12):
        validator.check(number, _row(team="nobody"))
    assert len(validator.errors) == 3
    assert validator.error_count == 10
    assert validator.bad_rows == 10


def test_survey_responses_are_checked_against_their_scale():
    validator = ResponseValidator(CONTEXT)
    assert validator.check(2, ("care", "nps", "2026-04-01", "", "0", "r1")) is not None
    validator.check(3, ("care", "nps", "2026-04-01", "", "11", "r2"))
    validator.check(4, ("care", "csat", "2026-04-01", "", "0", "r3"))
    validator.check(5, ("care", "ces", "2026-04-01", "", "8", "r4"))
    validator.check(6, ("care", "xyz", "2026-04-01", "", "1", "r5"))
    validator.check(7, ("care", "nps", "2026-04-01", "", "3", "r1"))
    validator.check(8, ("care", "nps", "2026-04-01", "", "3", "=HYPERLINK()"))
    assert _errors(validator) == [
        (3, "score", "11", "outside the nps scale 0-10"),
        (4, "score", "0", "outside the csat scale 1-5"),
        (5, "score", "8", "outside the ces scale 1-7"),
        (6, "survey", "xyz", "unknown survey (expected nps, csat or ces)"),
        (7, "respondent", "r1", "the same respondent answered already in row 2"),
        (8, "respondent", "=HYPERLINK()", "looks like a spreadsheet formula; text cells may not start with = + - @"),
    ]


def test_nps_figures_from_a_tally():
    tally = tally_scores("nps", [10, 9, 9, 8, 7, 6, 0])
    assert tally == ResponseTally(responses=7, promoters=3, detractors=2, score_sum=49, score_squares=411)
    figures = survey_figures("nps", tally)
    assert (figures.numerator, figures.denominator, figures.sample_size, figures.sum_squares) == (
        Decimal(1),
        Decimal(7),
        7,
        Decimal(5),
    )


def test_csat_and_ces_figures_from_a_tally():
    csat = survey_figures("csat", tally_scores("csat", [5, 4, 3, 1]))
    assert (csat.numerator, csat.denominator, csat.sample_size, csat.sum_squares) == (2, 4, 4, 2)
    ces = survey_figures("ces", tally_scores("ces", [7, 5, 5]))
    assert (ces.value, ces.sample_size, ces.sum_squares) == (Decimal("5.666667"), 3, Decimal(99))
    # 7 + 5 + 5 = 17 over 3: the exact sums, not 5.666667 x 3 = 17.000001
    assert (ces.numerator, ces.denominator) == (Decimal(17), Decimal(3))


@pytest.mark.parametrize(
    "text", ["1_000", "\u0661\u0662\u0663", "\uff11\uff12", "1.5e", "+-1", "nan", "-Infinity", "sNaN"]
)
def test_only_plain_ascii_numbers_are_numbers(text):
    with pytest.raises(CellError):
        parse_decimal(text)


BOUNDED = ImportContext(
    teams={"care": 1},
    kpis={"fcr": KpiRule(10, "ratio", "share"), "nps": KpiRule(20, "ratio", "signed"), "cpc": KpiRule(30, "ratio")},
    editable_team_ids=None,
    closed_ranges=(),
    survey_kpis={},
)


@pytest.mark.parametrize(
    ("kpi", "num", "den", "accepted"),
    [
        ("fcr", "100", "100", True),
        ("fcr", "0", "100", True),
        ("fcr", "120", "100", False),
        ("fcr", "-1", "100", False),
        ("nps", "-40", "100", True),
        ("nps", "-101", "100", False),
        ("nps", "101", "100", False),
        ("cpc", "5400.50", "900", True),
    ],
)
def test_share_kpis_keep_the_numerator_within_the_denominator(kpi, num, den, accepted):
    validator = MeasurementValidator(BOUNDED)
    row = validator.check(2, _row(kpi=kpi, num=num, den=den))
    assert (row is not None) is accepted
    if not accepted:
        assert [e.column for e in validator.errors] == ["numerator"]


def test_unicode_digits_do_not_take_the_fast_path():
    validator = MeasurementValidator(CONTEXT)
    assert validator.check(2, _row(num="\u0665", den="\u0661\u0660")) is None
    assert [e.column for e in validator.errors] == ["numerator", "denominator"]


@pytest.mark.parametrize("text", ["\u0661\u0662", "\uff11\uff12", "\u0661\u0662.0", "-\u0661"])
def test_counts_take_ascii_digits_only(text):
    with pytest.raises(CellError):
        parse_count(text)


def test_dates_with_non_ascii_digits_are_not_iso_dates():
    with pytest.raises(CellError, match="ISO"):
        parse_iso_date("\uff12\uff10\uff12\uff16-\uff10\uff14-\uff10\uff11")


def test_sample_sizes_in_non_ascii_digits_are_refused_in_rows():
    validator = MeasurementValidator(CONTEXT)
    assert validator.check(2, _row(kpi="aht", value="300", num="", den="", size="\u0661\u0662")) is None
    assert [(e.column, e.reason) for e in validator.errors] == [("sample_size", "not a whole number")]


LIMITED = ImportContext(
    teams={"care": 1}, kpis={"fcr": KpiRule(10, "ratio"), "aht": KpiRule(11, "mean")}, max_significant_digits=15
)


@pytest.mark.parametrize(
    ("kpi", "value", "num", "den", "accepted"),
    [
        ("aht", "999999999999.999", "", "", True),
        ("aht", "100.000000", "", "", True),
        ("aht", "999999999999.9999", "", "", False),
        ("aht", "1234567890.123456", "", "", False),
        ("fcr", "", "123456789012.123456", "999999999999", False),
        ("fcr", "", "1", "9999999999999999E-4", False),
    ],
)
def test_a_digit_limit_refuses_numbers_the_database_would_round(kpi, value, num, den, accepted):
    validator = MeasurementValidator(LIMITED)
    row = validator.check(2, _row(kpi=kpi, value=value, num=num, den=den))
    assert (row is not None) is accepted
    if not accepted:
        assert {e.reason for e in validator.errors} == {"more than 15 significant digits: this database would round it"}


def test_without_a_digit_limit_eighteen_digits_are_kept():
    row = MeasurementValidator(CONTEXT).check(2, _row(kpi="aht", value="123456789012.123456", num="", den=""))
    assert row.value == Decimal("123456789012.123456")


NPS_CONTEXT = ImportContext(
    teams={"care": 1},
    kpis={"nps": KpiRule(20, "ratio", bounds="signed"), "ces": KpiRule(22, "mean")},
    survey_kpis={"nps": 20, "ces": 22},
)


def test_survey_totals_carry_their_optional_sum_of_squares():
    validator = MeasurementValidator(NPS_CONTEXT)
    # 29 responses: 15 promoters, 4 detractors -> numerator 11, sum of squares 15 + 4 = 19
    nps = validator.check(2, _row(kpi="nps", num="11", den="29", size="29", squares="19"))
    ces = validator.check(3, _row(kpi="ces", value="5.5", num="", den="", size="4", squares="124"))
    assert nps == MeasurementRow(1, 20, dt.date(2026, 4, 1), "all", None, Decimal(11), Decimal(29), 29, Decimal(19))
    assert ces.sum_squares == Decimal(124)
    assert validator.is_valid


def test_a_sum_of_squares_that_cannot_be_is_refused_with_row_column_value_and_reason():
    validator = MeasurementValidator(NPS_CONTEXT)
    validator.check(2, _row(kpi="nps", num="11", den="29", squares="30"))
    validator.check(3, _row(kpi="nps", num="11", den="29", squares="5", date="2026-04-02"))
    validator.check(4, _row(kpi="ces", value="5", num="", den="", squares="-1", date="2026-04-03"))
    nps_reason = "for NPS the sum of squares is promoters + detractors: between |numerator| and the denominator"
    assert _errors(validator) == [
        (2, "sum_squares", "30", nps_reason),
        (3, "sum_squares", "5", nps_reason),
        (4, "sum_squares", "-1", "a sum of squares cannot be negative"),
    ]


def test_a_response_may_carry_the_customers_comment_up_to_its_limit():
    validator = ResponseValidator(CONTEXT)
    row = validator.check(2, ("care", "nps", "2026-04-01", "", "9", "r1", "Quick and kind, thanks"))
    validator.check(3, ("care", "nps", "2026-04-01", "", "9", "r2", "x" * 2001))
    assert row is not None and row.comment == "Quick and kind, thanks"
    assert _errors(validator) == [(3, "comment", "x" * 20 + "...", "longer than 2000 characters")]
