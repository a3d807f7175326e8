"""Import services against the database (SQLite by default; PostgreSQL exercises the COPY path)."""

import codecs
import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from culture.measurements import Limits, import_measurements, import_responses, upsert_measurements
from culture.models import ImportBatch, Measurement, Period, SurveyResponse

pytestmark = pytest.mark.django_db

HEADER = "team,kpi,date,channel,value,numerator,denominator,sample_size\n"


def _csv(*lines, header=HEADER):
    return io.BytesIO((header + "".join(line + "\n" for line in lines)).encode())


def _import(data, user=None, **kwargs):
    return import_measurements(stream=data, filename="m.csv", user=user, source="command", **kwargs)


def _stored():
    return sorted(
        Measurement.objects.values_list(
            "team__slug", "kpi__code", "date", "channel", "value", "numerator", "denominator"
        )
    )


@pytest.fixture
def teams(team_a, team_b):
    return team_a, team_b


def test_imports_rows_and_records_the_batch(teams, cco):
    result = _import(_csv("team-a,fcr,2026-04-01,phone,,40,50,", "team-b,aht,2026-04-01,,300.5,,,12"), user=cco)
    assert result.is_valid
    assert (result.counts.created, result.counts.updated, result.counts.unchanged) == (2, 0, 0)
    assert _stored() == [
        ("team-a", "fcr", dt.date(2026, 4, 1), "phone", None, Decimal(40), Decimal(50)),
        ("team-b", "aht", dt.date(2026, 4, 1), "all", Decimal("300.5"), None, None),
    ]
    batch = ImportBatch.objects.get()
    assert (batch.kind, batch.source, batch.uploaded_by, batch.filename, batch.row_count) == (
        "measurements",
        "command",
        cco,
        "m.csv",
        2,
    )
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (2, 0, 0)
    assert len(batch.checksum) == 64
    assert Measurement.objects.filter(batch=batch, source="command").count() == 2


def test_reimporting_the_same_file_changes_nothing_and_changed_rows_update(teams):
    lines = ["team-a,fcr,2026-04-01,,,40,50,", "team-a,fcr,2026-04-02,,,41,50,"]
    _import(_csv(*lines))
    again = _import(_csv(*lines))
    assert (again.counts.created, again.counts.updated, again.counts.unchanged) == (0, 0, 2)
    changed = _import(_csv(lines[0], "team-a,fcr,2026-04-02,,,45,50,", "team-a,fcr,2026-04-03,,,1,2,"))
    assert (changed.counts.created, changed.counts.updated, changed.counts.unchanged) == (1, 1, 1)
    assert Measurement.objects.count() == 3
    assert Measurement.objects.get(date="2026-04-02").numerator == 45


def test_one_bad_row_writes_nothing_and_every_bad_row_is_reported(teams):
    result = _import(
        _csv(
            "team-a,fcr,2026-04-01,,,40,50,",
            "team-a,fcr,01/04/2026,,,40,50,",
            "team-x,fcr,2026-04-02,,,40,50,",
            "team-a,aht,2026-04-02,,12,5,,",
            "team-a,fcr,2026-04-01,,,40,50,",
        )
    )
    assert not result.is_valid
    assert [(e.row, e.column) for e in result.errors] == [
        (3, "date"),
        (4, "team"),
        (5, "numerator"),
        (6, "team,kpi,date,channel"),
    ]
    assert Measurement.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_dry_run_counts_but_writes_nothing(teams):
    _import(_csv("team-a,fcr,2026-04-01,,,40,50,"))
    result = _import(_csv("team-a,fcr,2026-04-01,,,41,50,", "team-a,fcr,2026-04-02,,,1,2,"), dry_run=True)
    assert (result.counts.created, result.counts.updated, result.counts.unchanged) == (1, 1, 0)
    assert result.batch_id is None
    assert Measurement.objects.count() == 1
    assert Measurement.objects.get().numerator == 40
    assert ImportBatch.objects.count() == 1


def test_rows_in_a_closed_period_are_refused(teams):
    period, _ = Period.objects.get_or_create_for_code("2026-03")
    period.status = Period.Status.CLOSED
    period.save()
    result = _import(_csv("team-a,fcr,2026-03-31,,,40,50,", "team-a,fcr,2026-04-01,,,40,50,"))
    assert [(e.row, e.column, e.reason) for e in result.errors] == [
        (2, "date", "falls in a closed period (2026-03-01 to 2026-03-31); it is frozen")
    ]
    assert Measurement.objects.count() == 0


def test_a_lead_imports_only_their_teams(teams, lead_a):
    result = _import(_csv("team-a,fcr,2026-04-01,,,40,50,", "team-b,fcr,2026-04-01,,,40,50,"), user=lead_a)
    assert [(e.row, e.value) for e in result.errors] == [(3, "team-b")]
    assert _import(_csv("team-a,fcr,2026-04-01,,,40,50,"), user=lead_a).is_valid


@pytest.mark.parametrize(
    ("raw", "delimiter"),
    [
        (codecs.BOM_UTF8 + HEADER.encode() + b"team-a,fcr,2026-04-01,,,1,2,\n", ","),
        (HEADER.replace(",", ";").encode() + b"team-a;fcr;2026-04-01;;;1;2;\r\n", ";"),
        (HEADER.replace(",", "\t").encode() + b"team-a\tfcr\t2026-04-01\t\t\t1\t2\t\n", "\t"),
        (b"Team, KPI ,date,numerator,denominator\nteam-a,fcr,2026-04-01,1,2\n", ","),
    ],
)
def test_reads_bom_and_any_of_three_delimiters_and_optional_columns(teams, raw, delimiter):
    result = _import(io.BytesIO(raw))
    assert result.is_valid, (result.file_error, result.errors)
    assert Measurement.objects.get().denominator == 2


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "The file is empty."),
        (HEADER.encode(), "header but no data rows"),
        (b"team,kpi,date,numerator,denominator\nteam-\xe9\x81,fcr,2026-04-01,1,2\n", "not cp1252 text either"),
        (codecs.BOM_UTF16_LE + HEADER.encode("utf-16-le"), "UTF-16"),
        (b"team,kpi,kpi,date\n", "duplicated column(s): kpi"),
        (b"team,kpi,date,colour\n", "unknown column(s): colour"),
        (b"team,date,value\n", "missing column(s): kpi"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00binary", "binary file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "legacy Excel"),
    ],
)
def test_unreadable_files_get_one_clear_message(teams, raw, message):
    result = _import(io.BytesIO(raw))
    assert message in result.file_error
    assert Measurement.objects.count() == 0


def test_size_and_row_limits(teams):
    data = _csv(*[f"team-a,fcr,2026-04-{day:02d},,,1,2," for day in range(1, 11)])
    assert "the limit is 100 bytes" in _import(data, limits=Limits(max_bytes=100)).file_error
    assert "more than 5 rows" in _import(data, limits=Limits(max_rows=5)).file_error
    assert Measurement.objects.count() == 0


def test_rows_with_too_many_cells_are_row_errors(teams):
    result = _import(_csv("team-a,fcr,2026-04-01,,,1,2,,extra"))
    assert [(e.row, e.reason) for e in result.errors] == [(2, "has 9 cells; the header has 8")]


def _xlsx(rows):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def test_imports_xlsx_with_real_dates_and_numbers(teams):
    data = _xlsx(
        [
            ["team", "kpi", "date", "channel", "value", "numerator", "denominator", "sample_size"],
            ["team-a", "aht", dt.datetime(2026, 4, 1), "chat", 0.1, None, None, 3],
            ["team-a", "fcr", "2026-04-02", None, None, 40, 50.0, None],
        ]
    )
    result = import_measurements(stream=data, filename="m.xlsx", user=None, source="web")
    assert result.is_valid, (result.file_error, result.errors)
    assert _stored() == [
        ("team-a", "aht", dt.date(2026, 4, 1), "chat", Decimal("0.1"), None, None),
        ("team-a", "fcr", dt.date(2026, 4, 2), "all", None, Decimal(40), Decimal(50)),
    ]


def test_refuses_zip_bombs_and_zips_that_are_not_workbooks(teams):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"<a/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * 5_000_000)
    assert "unpacks to too much data" in _import(io.BytesIO(bomb.getvalue())).file_error
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("notes.txt", b"hello")
    assert "not an Excel workbook" in _import(io.BytesIO(plain.getvalue())).file_error


def test_survey_responses_become_daily_measurements(teams):
    data = _csv(
        "team-a,nps,2026-04-01,phone,10,r1",
        "team-a,nps,2026-04-01,phone,9,r2",
        "team-a,nps,2026-04-01,phone,3,r3",
        "team-a,nps,2026-04-01,phone,7,r4",
        "team-a,csat,2026-04-01,,5,r1",
        "team-a,csat,2026-04-01,,2,r2",
        "team-a,ces,2026-04-01,,6,r1",
        "team-a,ces,2026-04-01,,3,r2",
        header="team,survey,date,channel,score,respondent\n",
    )
    result = import_responses(stream=data, filename="r.csv", user=None, source="command")
    assert result.is_valid, result.errors
    assert (result.counts.created, result.measurement_counts.created) == (8, 3)
    got = {
        m.kpi.code: (m.channel, m.value, m.numerator, m.denominator, m.sample_size, m.sum_squares)
        for m in Measurement.objects.select_related("kpi")
    }
    assert got == {
        "nps": ("phone", None, Decimal(1), Decimal(4), 4, Decimal(3)),
        "csat": ("all", None, Decimal(1), Decimal(2), 2, Decimal(1)),
        # 6 + 3 = 9 over 2 responses: the score sum and count travel with the mean
        "ces": ("all", Decimal("4.5"), Decimal(9), Decimal(2), 2, Decimal(45)),
    }
    data.seek(0)
    again = import_responses(stream=data, filename="r.csv", user=None, source="command")
    assert (again.counts.unchanged, again.measurement_counts.unchanged) == (8, 3)
    assert SurveyResponse.objects.count() == 8


def test_new_responses_are_added_to_the_days_stored_ones(teams):
    header = "team,survey,date,score,respondent\n"
    import_responses(stream=_csv("team-a,nps,2026-04-01,10,r1", header=header), filename="a", user=None, source="web")
    result = import_responses(
        stream=_csv("team-a,nps,2026-04-01,0,r2", header=header), filename="b", user=None, source="web"
    )
    assert result.measurement_counts.updated == 1
    nps = Measurement.objects.get()
    assert (nps.numerator, nps.denominator, nps.sample_size, nps.sum_squares) == (0, 2, 2, 2)


RESPONSES = "team,survey,date,channel,score,respondent\n"


def _responses(*lines, **kwargs):
    return import_responses(stream=_csv(*lines, header=RESPONSES), filename="r.csv", user=None, source="web", **kwargs)


def _stored_state():
    return (_stored(), SurveyResponse.objects.count(), ImportBatch.objects.count())


@pytest.mark.parametrize("dry_run", [False, True])
def test_responses_for_a_channel_that_would_double_count_with_stored_measurements_are_refused(teams, dry_run):
    assert _import(_csv("team-a,nps,2026-04-01,all,,3,10,10", "team-a,csat,2026-04-02,chat,,4,5,5")).is_valid
    before = _stored_state()
    result = _responses(
        "team-a,nps,2026-04-01,phone,9,r1",
        "team-a,nps,2026-04-02,phone,9,r1",
        "team-a,nps,2026-04-01,phone,2,r2",
        "team-a,csat,2026-04-02,,5,r1",
        "team-b,nps,2026-04-01,phone,9,r1",
        dry_run=dry_run,
    )
    assert [(e.row, e.column, e.value, e.reason) for e in result.errors] == [
        (2, "channel", "phone", "the database already holds channel all of nps for this day: both would count"),
        (4, "channel", "phone", "the database already holds channel all of nps for this day: both would count"),
        (5, "channel", "all", "the database already holds specific channels of csat for this day: both would count"),
    ]
    assert result.error_count == 3 and not result.is_valid
    assert _stored_state() == before


def test_responses_clash_with_the_channels_of_earlier_response_imports(teams):
    assert _responses("team-a,ces,2026-04-01,,5,r1").is_valid
    before = _stored_state()
    result = _responses("team-a,ces,2026-04-01,email,6,r2")
    assert [(e.row, e.column) for e in result.errors] == [(2, "channel")]
    assert _stored_state() == before
    # The same channel kind adds to the day; another day or survey is free.
    assert _responses("team-a,ces,2026-04-01,all,7,r2", "team-a,ces,2026-04-02,email,6,r2").is_valid
    assert Measurement.objects.get(kpi__code="ces", date="2026-04-01").sample_size == 2


def test_api_rows_follow_the_same_rules(teams):
    result = upsert_measurements(
        rows=[
            {"team": "team-a", "kpi": "fcr", "date": "2026-04-01", "numerator": 40, "denominator": Decimal("50")},
            {"team": "team-a", "kpi": "aht", "date": "2026-04-01", "value": 0.1, "colour": "red"},
            {"team": "team-a", "kpi": "aht", "date": "2026-04-01", "value": "NaN"},
        ],
        user=None,
    )
    assert [(e.row, e.column, e.reason) for e in result.errors] == [
        (2, "colour", "unknown field"),
        (3, "value", "NaN and Infinity are not numbers we can store"),
    ]
    assert Measurement.objects.count() == 0


@pytest.mark.postgresql
def test_postgres_uses_the_copy_staging_path(teams):
    from culture.measurements.writing import PostgresCopySink, open_sink

    with open_sink(source="web") as sink:
        assert isinstance(sink, PostgresCopySink)
    assert _import(_csv("team-a,fcr,2026-04-01,,,1,2,")).counts.created == 1


@pytest.mark.postgresql
def test_postgres_merges_chunk_by_chunk_and_a_late_bad_row_still_writes_nothing(teams, monkeypatch):
    from culture.measurements import writing

    monkeypatch.setattr(writing, "CHUNK_ROWS", 3)
    lines = [f"team-a,fcr,2026-04-{day:02d},,,1,2," for day in range(1, 11)]
    result = _import(_csv(*lines))
    assert (result.counts.created, result.counts.unchanged) == (10, 0)
    assert _import(_csv(*lines)).counts.unchanged == 10
    bad = _import(_csv(*[line.replace(",1,2,", ",1,3,") for line in lines], "team-a,fcr,2026-04-30,,,x,2,"))
    assert [(e.row, e.column) for e in bad.errors] == [(12, "numerator")]
    assert set(Measurement.objects.values_list("denominator", flat=True)) == {2}


def test_numbers_are_stored_exactly_or_refused_where_the_database_would_round_them(teams):
    """SQLite keeps 15 significant digits: 999999999999.999999 came back as 1E+12, which Django then failed
    to read (every page showing the row was a server error). PostgreSQL keeps numeric(18, 6) exactly."""
    result = _import(_csv("team-a,aht,2026-04-01,,999999999999.999999,,,"))
    if connection.vendor == "sqlite":
        assert [(e.row, e.column, e.reason) for e in result.errors] == [
            (2, "value", "more than 15 significant digits: this database would round it")
        ]
        assert Measurement.objects.count() == 0
    else:
        assert result.is_valid
        assert Measurement.objects.get().value == Decimal("999999999999.999999")
    longest = _csv("team-a,aht,2026-04-02,,999999999999.999,,,", "team-a,fcr,2026-04-02,,,0.000001,123456789.123456,")
    assert _import(longest).is_valid
    stored = Measurement.objects.filter(date="2026-04-02").order_by("kpi__code")
    assert list(stored.values_list("value", "numerator", "denominator")) == [
        (Decimal("999999999999.999"), None, None),
        (None, Decimal("0.000001"), Decimal("123456789.123456")),
    ]
    longest.seek(0)
    assert _import(longest).counts.unchanged == 2


# --- properties ----------------------------------------------------------------------------------------

_day = st.dates(min_value=dt.date(2026, 4, 1), max_value=dt.date(2026, 4, 20))
_amount = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)
_rows = st.lists(
    st.tuples(st.sampled_from(["team-a", "team-b"]), st.sampled_from(["fcr", "aht"]), _day, _amount, _amount),
    min_size=1,
    max_size=30,
    unique_by=lambda row: row[:3],
)


def _lines(rows):
    lines = []
    for team, kpi, day, a, b in rows:
        if kpi == "fcr":
            lines.append(f"{team},fcr,{day},,,{min(a, b)},{max(a, b) or 1},")
        else:
            lines.append(f"{team},aht,{day},,{a},,,")
    return lines


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=_rows)
def test_any_valid_rows_import_and_reimport_changes_nothing(teams, rows):
    Measurement.objects.all().delete()
    first = _import(_csv(*_lines(rows)))
    assert first.is_valid, first.errors
    assert first.counts.created == len(rows)
    second = _import(_csv(*_lines(rows)))
    assert (second.counts.created, second.counts.updated, second.counts.unchanged) == (0, 0, len(rows))
    assert Measurement.objects.count() == len(rows)


_corruptions = st.sampled_from(
    [
        (1, "no-such-team"),
        (2, "not_a_kpi"),
        (3, "2026-02-31"),
        (4, "fax"),
        (6, "12,5"),
        (7, "-1"),
        (6, "NaN"),
        (1, "=cmd"),
    ]
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=_rows, data=st.data())
def test_any_file_with_one_corrupted_row_writes_nothing_and_names_that_row(teams, rows, data):
    Measurement.objects.all().delete()
    lines = _lines(rows)
    index = data.draw(st.integers(min_value=0, max_value=len(lines) - 1))
    column, bad = data.draw(_corruptions)
    cells = lines[index].split(",")
    if column in (6, 7) and cells[1] != "fcr":
        cells[5] = bad if column == 6 else "x"  # a value KPI: corrupt its value instead
    else:
        cells[column - 1] = bad
    lines[index] = ",".join(cells)
    result = _import(_csv(*lines))
    assert not result.is_valid
    assert {error.row for error in result.errors} == {index + 2}
    assert Measurement.objects.count() == 0


def test_refuses_a_channel_that_would_double_count_with_stored_rows(teams):
    assert _import(_csv("team-a,fcr,2026-04-01,all,,40,50,")).is_valid
    result = _import(_csv("team-a,fcr,2026-04-02,phone,,1,2,", "team-a,fcr,2026-04-01,phone,,1,2,"))
    assert [(e.row, e.column, e.reason) for e in result.errors] == [
        (3, "channel", "the database already holds channel all for this day: both would count")
    ]
    assert _import(_csv("team-a,fcr,2026-04-03,chat,,1,2,")).is_valid
    result = _import(_csv("team-a,fcr,2026-04-03,all,,1,2,"))
    assert [(e.row, e.reason) for e in result.errors] == [
        (2, "the database already holds specific channels for this day: both would count")
    ]
    assert Measurement.objects.count() == 2


_scores = st.lists(st.tuples(st.sampled_from(["nps", "csat", "ces"]), st.integers(0, 10)), min_size=1, max_size=40)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers=_scores)
def test_sql_group_by_matches_the_pure_survey_formulas(teams, answers):
    from culture.measurements.survey import survey_figures, tally_scores

    SurveyResponse.objects.all().delete()
    Measurement.objects.all().delete()
    scales = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}
    kept = [(survey, min(max(score, scales[survey][0]), scales[survey][1])) for survey, score in answers]
    lines = [f"team-a,{survey},2026-04-01,{score},r{n}" for n, (survey, score) in enumerate(kept)]
    result = import_responses(
        stream=_csv(*lines, header="team,survey,date,score,respondent\n"), filename="r", user=None, source="web"
    )
    assert result.is_valid, result.errors
    for survey in {survey for survey, _ in kept}:
        expected = survey_figures(survey, tally_scores(survey, [score for s, score in kept if s == survey]))
        stored = Measurement.objects.get(kpi__code=survey)
        assert (stored.value, stored.numerator, stored.denominator, stored.sample_size, stored.sum_squares) == (
            expected.value,
            expected.numerator,
            expected.denominator,
            expected.sample_size,
            expected.sum_squares,
        )


def test_openpyxl_parses_xml_through_defusedxml():
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


@pytest.mark.parametrize("dry_run", [False, True])
def test_responses_for_a_day_whose_total_came_from_a_file_are_refused_not_replaced(teams, dry_run):
    # a day's NPS total of 29 responses sent by file (15 promoters, 4 detractors, sum of squares 19)
    header = HEADER.replace("sample_size", "sample_size,sum_squares")
    assert _import(_csv("team-a,nps,2026-04-01,all,,11,29,29,19", header=header)).is_valid
    before = _stored_state()
    result = _responses("team-a,nps,2026-04-01,all,9,r1", "team-a,nps,2026-04-01,all,2,r2", dry_run=dry_run)
    reason = (
        "the database holds a total of 29 responses for nps on this day and channel from a file or the API, "
        "not from responses: these responses would replace it; send the day as a total instead"
    )
    assert [(e.row, e.column, e.value, e.reason) for e in result.errors] == [(2, "date", "2026-04-01", reason)]
    assert _stored_state() == before
    stored = Measurement.objects.get()
    assert (stored.numerator, stored.denominator, stored.sample_size, stored.sum_squares) == (11, 29, 29, 19)


def test_survey_totals_with_sum_squares_keep_their_interval_after_a_file_import(teams, team_a):
    from culture.scorecards import build_scorecards

    Period.objects.get_or_create(code="2026-04", defaults={"start": dt.date(2026, 4, 1), "end": dt.date(2026, 4, 30)})
    header = HEADER.replace("sample_size", "sample_size,sum_squares")
    # 100 responses: 50 promoters, 20 detractors -> numerator 30, sum of squares 70
    assert _import(_csv("team-a,nps,2026-04-01,all,,30,100,100,70", header=header)).is_valid
    line = build_scorecards(period_code="2026-04", kpi_codes=["nps"])[team_a.pk].lines["nps"]
    # NPS margin: variance 0.70 - 0.30^2 = 0.61, half width 1.96 x sqrt(0.61/100) = 0.15308 -> 14.7 .. 45.3
    assert (line.ci_low, line.ci_high, line.ci_method) == (Decimal("14.7"), Decimal("45.3"), "nps-margin")


def test_customer_base_rows_import_and_an_unbalanced_day_is_refused(teams):
    header = "team,kpi,date,opening,gained,lost,closing\n"
    result = _import(_csv("team-a,churn_rate,2026-04-01,8000,2,3,7999", header=header))
    assert result.is_valid
    stored = Measurement.objects.get(kpi__code="churn_rate")
    assert (stored.opening, stored.gained, stored.lost, stored.closing) == (8000, 2, 3, 7999)

    bad = _import(
        _csv(
            "team-a,churn_rate,2026-04-02,7999,2,3,8000,,,,",  # 7,999 + 2 - 3 = 7,998
            "team-a,churn_rate,2026-04-03,,,3,7996,,,,",
            "team-a,fcr,2026-04-03,,,5,,40,50,,",
            header="team,kpi,date,opening,gained,lost,closing,numerator,denominator,value,sample_size\n",
        )
    )
    assert [(e.row, e.column) for e in bad.errors] == [(2, "closing"), (3, "gained"), (4, "lost")]
    assert Measurement.objects.filter(kpi__code="churn_rate").count() == 1
