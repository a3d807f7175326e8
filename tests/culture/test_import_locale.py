"""The import wizard's pure steps: encoding, the file's locale (proposed with evidence), cell normalization."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from culture.measurements.cells import CellError, parse_decimal
from culture.measurements.filelocale import (
    FileLocale,
    LocaleChoice,
    detect_encoding,
    normal_date,
    normal_number,
    propose,
    propose_date_order,
    propose_numbers,
)
from culture.measurements.mapping import channel_name, column_aliases, header_key, team_lookup

STOCKHOLM = ZoneInfo("Europe/Stockholm")
COMMA = FileLocale(decimal=",", thousands=" ")


def test_encoding_from_bytes():
    assert detect_encoding(b"\xef\xbb\xbfteam;kpi")[0] == "utf-8"
    assert detect_encoding("Kundtjänst".encode())[0] == "utf-8"
    assert detect_encoding(b"team")[1] == "UTF-8 (plain ASCII so far)"
    encoding, why = detect_encoding("Kundtjänst Malmö".encode("cp1252"))
    assert encoding == "cp1252"
    assert why == "Windows-1252 proposed: the bytes are not UTF-8 (byte 7 is 0xe4)"
    # A character cut by the end of the sample is still UTF-8.
    assert detect_encoding("abcä".encode()[:-1])[0] == "utf-8"


def test_a_semicolon_file_with_decimal_commas_is_proposed_with_its_evidence():
    values = ["402,5"] * 214 + ["12", "", "7"]
    assert propose_numbers(values, delimiter=";") == (
        ",",
        "",
        "semicolon-separated, 214 values with a decimal comma, no dots",
        True,
    )


def test_grouped_thousands_are_evidence_too():
    assert propose_numbers(["1.234,5", "3,25"], delimiter=";")[:2] == (",", ".")
    assert propose_numbers(["1,234.5", "3.25"], delimiter="\t")[:2] == (".", ",")
    assert propose_numbers(["1\u00a0290,75"], delimiter=";")[:2] == (",", " ")


def test_1290_alone_is_undecided_until_the_user_picks():
    _decimal, _thousands, evidence, decided = propose_numbers(["1,290", "3"], delimiter=";")
    assert not decided
    assert "1,290" in evidence
    proposal = propose(numbers=["1,290"], dates=[], delimiter=";", encoding=("utf-8", "x"), choice=LocaleChoice())
    assert proposal.undecided == ("decimal",)
    comma = propose(
        numbers=["1,290"], dates=[], delimiter=";", encoding=("utf-8", "x"), choice=LocaleChoice(decimal=",")
    )
    dot = propose(numbers=["1,290"], dates=[], delimiter=";", encoding=("utf-8", "x"), choice=LocaleChoice(decimal="."))
    assert normal_number("1,290", comma.locale) == "1.290"
    assert normal_number("1,290", dot.locale) == "1290"


def test_a_leading_zero_decides_a_decimal_separator():
    # 0,500 cannot be five hundred (thousands never start with 0), so it decides as 402,5 does.
    assert propose_numbers(["0,500", "3"], delimiter=";")[0::3] == (",", True)
    assert propose_numbers(["0.000", "-0.250"], delimiter=",")[0::3] == (".", True)
    assert propose_numbers(["0.000", "1,290"], delimiter=";")[:2] == (".", ",")  # then 1,290 groups thousands


def test_mixed_decimal_separators_are_undecided():
    assert propose_numbers(["402,5", "12.75"], delimiter=";")[3] is False


def test_whole_numbers_need_no_separator():
    assert propose_numbers(["12", "7"], delimiter=",") == (
        ".",
        "",
        "comma-separated, whole numbers only: no decimal separator needed",
        True,
    )


def test_numbers_in_a_comma_file_and_hints_in_its_own_convention():
    assert normal_number("402,5", COMMA) == "402.5"
    assert normal_number("1 290,75", COMMA) == "1290.75"
    assert normal_number("1\u00a0290,75", COMMA) == "1290.75"
    assert normal_number("-3,25", COMMA) == "-3.25"
    with pytest.raises(CellError, match=r"decimal comma \(write e.g. 402,5\)"):
        normal_number("402.5", COMMA)
    with pytest.raises(CellError, match=r"decimal dot \(write e.g. 402.5\)"):
        normal_number("1,290", FileLocale())
    with pytest.raises(CellError, match="group three digits"):
        normal_number("1.29,5", FileLocale(decimal=",", thousands="."))


def test_the_rules_hint_never_turns_1290_into_one_point_two_nine():
    with pytest.raises(CellError) as error:
        parse_decimal("1,290")
    assert "1.290" not in str(error.value)
    assert "choose" in str(error.value)
    with pytest.raises(CellError, match=r"write 12\.5"):
        parse_decimal("12,5")


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_machine_numbers_read_back_unchanged_in_either_locale(number):
    text = format(number, "f")
    assert parse_decimal(normal_number(text, FileLocale())) == number
    assert parse_decimal(normal_number(text.replace(".", ","), COMMA)) == number


def test_date_order_is_proposed_only_from_days_that_decide_it():
    assert propose_date_order(["2026-12-01", "2026-12-02"]) == ("ymd", "2 ISO dates (YYYY-MM-DD)", True)
    assert propose_date_order(["13.11.2026", "01.11.2026"])[::2] == ("dmy", True)
    assert propose_date_order(["11/13/2026"])[::2] == ("mdy", True)
    assert propose_date_order(["01/02/2026"])[2] is False
    assert propose_date_order(["13/02/2026", "02/13/2026"])[2] is False


def test_dates_and_datetimes_become_iso_days_in_the_company_zone():
    dmy = FileLocale(date_order="dmy")
    assert normal_date("13.11.2026", dmy, STOCKHOLM) == "2026-11-13"
    assert normal_date("11/13/2026 14:05", FileLocale(date_order="mdy"), STOCKHOLM) == "2026-11-13"
    assert normal_date("2026-12-01 00:00:00", FileLocale(), STOCKHOLM) == "2026-12-01"
    # 23:30 UTC on 3 November is already 4 November in Stockholm (UTC+1).
    assert normal_date("2026-11-03T23:30:00Z", FileLocale(), STOCKHOLM) == "2026-11-04"
    assert normal_date("2026-11-03T23:30:00+01:00", FileLocale(), STOCKHOLM) == "2026-11-03"
    assert normal_date("2026-11-03T23:30:00Z", FileLocale(), ZoneInfo("UTC")) == "2026-11-03"
    with pytest.raises(CellError, match="choose the file's date order"):
        normal_date("01/02/2026", FileLocale(), STOCKHOLM)
    assert normal_date("yesterday", FileLocale(), STOCKHOLM) == "yesterday"  # the rules refuse it
    assert dt.date.fromisoformat(normal_date("2026-02-28T12:00", FileLocale(), STOCKHOLM)) == dt.date(2026, 2, 28)


def test_columns_match_case_spacing_and_synonyms():
    aliases = column_aliases(("team", "kpi", "date", "value", "sample_size"))
    assert [aliases.get(header_key(name)) for name in ("Lag", " KPI ", "Datum", "Värde", "Antal svar")] == [
        "team",
        "kpi",
        "date",
        "value",
        "sample_size",
    ]
    saved = column_aliases(("team", "kpi"), {"Avdelning": "team", "Kommentar": ""})
    assert (saved["avdelning"], saved["kommentar"]) == ("team", "")


def test_teams_by_slug_name_or_alias_case_insensitively():
    lookup = team_lookup(
        [("kundtjanst-malmo", "Kundtjänst Malmö"), ("a", "Shared"), ("b", "Shared")], [("KT Malmö", "kundtjanst-malmo")]
    )
    assert lookup["kundtjänst malmö"] == lookup["kt malmö"] == lookup["kundtjanst-malmo"] == "kundtjanst-malmo"
    assert "shared" not in lookup  # two teams share the name: neither is guessed


def test_channels_case_insensitively():
    assert [channel_name(text) for text in ("All", " PHONE ", "E-mail", "Self service")] == [
        "all",
        "phone",
        "email",
        "self_service",
    ]
