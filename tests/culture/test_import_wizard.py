"""The import wizard against the database: Swedish Excel files, team names and aliases, saved presets,
the refusal of a file that reads two ways, and the API's value mapping. Figures are checked by hand."""

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import override_settings

from culture.measurements import ImportOptions, LocaleChoice, import_measurements, save_preset, upsert_measurements
from culture.models import ImportPreset, Measurement, TeamAlias
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent.parent / "fixtures" / "imports"


@pytest.fixture
def swedish_teams():
    return (
        TeamFactory(name="Kundtjänst Malmö", slug="kundtjanst-malmo"),
        TeamFactory(name="Återförsäljare Göteborg", slug="aterforsaljare-goteborg"),
    )


def _import(raw: bytes, *, name="m.csv", user=None, options=None, dry_run=False):
    return import_measurements(
        stream=io.BytesIO(raw), filename=name, user=user, source="command", dry_run=dry_run, options=options
    )


def _stored():
    return sorted(
        Measurement.objects.values_list(
            "team__slug", "kpi__code", "date", "channel", "value", "numerator", "denominator", "sample_size"
        )
    )


@override_settings(TIME_ZONE="Europe/Stockholm")
@pytest.mark.parametrize("name", ["swedish-excel-cp1252.csv", "swedish-excel-utf8.csv"])
def test_swedish_excel_csv_imports_with_exact_figures(swedish_teams, name):
    result = _import((FIXTURES / name).read_bytes(), name=name)
    assert result.is_valid, (result.file_error, result.errors)
    assert result.locale.decimal == "," and result.locale.thousands == " "
    encoding = "Windows-1252 proposed" if "cp1252" in name else "UTF-8 (the file starts with a byte-order mark)"
    assert encoding in result.evidence[0]
    assert result.evidence[1] == (
        "Numbers: decimal ',' proposed from the file: semicolon-separated, 4 values with a decimal comma, no dots."
    )

    nov2, nov3, nov4 = dt.date(2026, 11, 2), dt.date(2026, 11, 3), dt.date(2026, 11, 4)
    # By hand from the file: 402,5 -> 402.5; "1 290,75" -> 1290.75; "12 345,60" -> 12345.60; 0,5 -> 0.5;
    # 2026-11-03T23:30:00Z is 00:30 on 4 November in Stockholm.
    assert _stored() == [
        ("aterforsaljare-goteborg", "aht", nov2, "phone", Decimal("1290.75"), None, None, 15),
        ("aterforsaljare-goteborg", "cost_per_contact", nov3, "email", None, Decimal("12345.60"), Decimal(310), None),
        ("aterforsaljare-goteborg", "fcr", nov4, "all", None, Decimal("0.5"), Decimal(2), None),
        ("kundtjanst-malmo", "aht", nov2, "all", Decimal("402.5"), None, None, 120),
        ("kundtjanst-malmo", "fcr", nov2, "all", None, Decimal(610), Decimal(1000), None),
    ]


def test_a_file_that_reads_two_ways_is_refused_until_the_user_picks(team_a):
    raw = b"team;kpi;date;value\nteam-a;aht;2026-04-01;1,290\nteam-a;aht;2026-04-02;7\n"
    refused = _import(raw)
    assert not refused.is_valid and refused.undecided == ["decimal"]
    assert "can be read more than one way" in refused.file_error
    assert "Choose the decimal separator" in refused.file_error
    assert Measurement.objects.count() == 0
    comma = _import(raw, options=ImportOptions(choice=LocaleChoice(decimal=",")), dry_run=True)
    assert comma.is_valid and "decimal ',' as chosen" in comma.evidence[1]
    dot = _import(raw, options=ImportOptions(choice=LocaleChoice(decimal=".")))
    assert dot.is_valid
    assert sorted(Measurement.objects.values_list("value", flat=True)) == [Decimal(7), Decimal(1290)]


def test_day_first_dates_are_read_once_a_day_over_12_decides(team_a):
    raw = b"team,kpi,date,value\nteam-a,aht,13.04.2026,5\nteam-a,aht,01.04.2026,6\n"
    result = _import(raw)
    assert result.is_valid, result.errors
    assert "dmy proposed from the file: 1 dates with a day over 12 first" in result.evidence[2]
    assert sorted(Measurement.objects.values_list("date", "value")) == [
        (dt.date(2026, 4, 1), Decimal(6)),
        (dt.date(2026, 4, 13), Decimal(5)),
    ]


def test_stored_team_alias_and_case_insensitive_codes(team_a):
    TeamAlias.objects.create(team=team_a, alias="Support Nord")
    result = _import(b"Team,KPI,Date,Channel,Value\nsupport nord,AHT,2026-04-01,All,300\n")
    assert result.is_valid, result.errors
    assert _stored() == [("team-a", "aht", dt.date(2026, 4, 1), "all", Decimal(300), None, None, None)]


def test_a_saved_preset_is_reused_on_a_second_file_without_questions(team_a, cco):
    first = b"Avdelning;Matt;Dag;Utfall;Kommentar\nteam-a;aht;2026-04-01;1,290;\n"
    options = ImportOptions(
        choice=LocaleChoice(decimal=","),
        columns={"Avdelning": "team", "Matt": "kpi", "Dag": "date", "Utfall": "value", "Kommentar": ""},
    )
    assert "unknown column(s): Avdelning, Matt" in _import(first).file_error
    assert _import(first, options=options, dry_run=True).is_valid
    save_preset(
        name="Ekonomi", kind="measurements", header=first.decode().splitlines()[0].split(";"), options=options, user=cco
    )
    assert ImportPreset.objects.get().columns["Kommentar"] == ""
    # The second file: same columns in another order, no options given.
    second = b"Dag;Utfall;Avdelning;Matt;Kommentar\n2026-04-02;2,5;team-a;AHT;ok\n"
    result = _import(second)
    assert result.is_valid, (result.file_error, result.errors)
    assert result.preset == "Ekonomi"
    assert list(Measurement.objects.values_list("value", flat=True)) == [Decimal("2.5")]


def test_api_rows_map_names_codes_channels_and_datetimes(team_a, cco):
    result = upsert_measurements(
        rows=[{"team": "Team A", "kpi": "AHT", "date": "2026-04-01T08:00:00", "channel": "Phone", "value": "12.5"}],
        user=cco,
    )
    assert result.is_valid, result.errors
    assert _stored() == [("team-a", "aht", dt.date(2026, 4, 1), "phone", Decimal("12.5"), None, None, None)]
    refused = upsert_measurements(
        rows=[{"team": "team-a", "kpi": "aht", "date": "2026-04-02", "value": "12,5"}], user=cco
    )
    assert [error.reason for error in refused.errors] == [
        "numbers here use a decimal dot (write e.g. 402.5); ',' is not a decimal separator here"
    ]


def _survey_days():
    return sorted(
        Measurement.objects.values_list(
            "kpi__code", "date", "channel", "value", "numerator", "denominator", "sample_size", "sum_squares"
        )
    )


def _responses(name: str, source: str):
    from culture.measurements import import_responses

    return import_responses(
        stream=io.BytesIO((FIXTURES / name).read_bytes()),
        filename=name,
        user=None,
        source="command",
        options=ImportOptions(source=source),
    )


NOV2, NOV3 = dt.date(2026, 11, 2), dt.date(2026, 11, 3)


@override_settings(TIME_ZONE="Europe/Stockholm")
def test_qualtrics_export_three_header_rows_one_column_per_question(team_a):
    result = _responses("qualtrics-responses.csv", "qualtrics")
    assert result.is_valid, (result.file_error, result.errors)
    # 2 November, NPS 10, 9, 6, 8, 0: promoters 2, detractors 2 -> numerator 0 of 5, squares 2 + 2 = 4.
    # CSAT 5, 4, 2, 1 (R_4dAn left it blank): satisfied 2 of 4. 3 November: NPS 10 and CSAT 5, one each.
    assert _survey_days() == [
        ("csat", NOV2, "all", None, Decimal(2), Decimal(4), 4, Decimal(2)),
        ("csat", NOV3, "all", None, Decimal(1), Decimal(1), 1, Decimal(1)),
        ("nps", NOV2, "all", None, Decimal(0), Decimal(5), 5, Decimal(4)),
        ("nps", NOV3, "all", None, Decimal(1), Decimal(1), 1, Decimal(1)),
    ]
    assert (result.row_count, result.counts.created) == (11, 11)


@override_settings(TIME_ZONE="Europe/Stockholm")
def test_zendesk_good_bad_ratings_with_iso_timestamps(team_a):
    result = _responses("zendesk-satisfaction.csv", "zendesk")
    assert result.is_valid, (result.file_error, result.errors)
    # Good = 5, Bad = 1; "Offered" is no rating. 22:59 UTC is 23:59 on 2 November in Stockholm; 23:30 UTC
    # is 00:30 on 3 November. 2 November: Good, Bad, Good -> 2 satisfied of 3; 3 November: 1 of 1.
    assert _survey_days() == [
        ("csat", NOV2, "email", None, Decimal(2), Decimal(3), 3, Decimal(2)),
        ("csat", NOV3, "email", None, Decimal(1), Decimal(1), 1, Decimal(1)),
    ]


def test_netigate_export_semicolons_and_question_columns(team_a):
    result = _responses("netigate-export.csv", "netigate")
    assert result.is_valid, (result.file_error, result.errors)
    # NPS 9, 7, 3: one promoter, one detractor -> 0 of 3, squares 2. CES 2 and 5: mean 3.5, sum 7, squares 29.
    assert _survey_days() == [
        ("ces", NOV2, "all", Decimal("3.5"), Decimal(7), Decimal(2), 2, Decimal(29)),
        ("nps", NOV2, "all", None, Decimal(0), Decimal(3), 3, Decimal(2)),
    ]


def test_a_file_that_is_not_the_chosen_tools_export_is_refused(team_a):
    from culture.measurements import import_responses

    raw = io.BytesIO(b"team,survey,date,score,respondent\nteam-a,nps,2026-11-02,9,r1\n")
    result = import_responses(
        stream=raw, filename="r.csv", user=None, source="command", options=ImportOptions(source="zendesk")
    )
    assert result.file_error == (
        "This is not a Zendesk satisfaction ratings export (Good/Bad): missing column(s) group, rated_at, "
        "ticket_id, satisfaction."
    )
