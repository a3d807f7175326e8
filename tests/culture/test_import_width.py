"""Headers wider than CENTRIC_IMPORT_MAX_COLUMNS are refused before their names are matched or offered for
mapping: the bad-input corpus's 50,000-column CSV (439 kB) had cost 42 s of CPU and a 9.5 MB preview page with
10,953 column selects, 26 s again on every reload."""

import io

import openpyxl
import pytest

from culture.measurements.reading import FileProblem, Limits, open_table
from culture.measurements.rules import MEASUREMENT_COLUMNS, MEASUREMENT_REQUIRED
from tests.badinputs.corpus import bad_files
from tests.pages import upload_measurements

HEADER = "team,kpi,date,numerator,denominator"


def _csv(extra_columns: int) -> bytes:
    names = "".join(f",note{i}" for i in range(extra_columns))
    return f"{HEADER}{names}\nteam-a,fcr,2026-04-01,4,5{',x' * extra_columns}\n".encode()


def _xlsx(extra_columns: int) -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append(HEADER.split(",") + [f"note{i}" for i in range(extra_columns)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _open(content: bytes, limits: Limits):
    return open_table(io.BytesIO(content), columns=MEASUREMENT_COLUMNS, required=MEASUREMENT_REQUIRED, limits=limits)


@pytest.mark.parametrize("make", [_csv, _xlsx])
def test_a_header_one_column_over_the_limit_is_refused_and_one_at_it_is_matched(make):
    limits = Limits(max_columns=10)
    with pytest.raises(FileProblem, match="more than 10 columns"):
        _open(make(6), limits)  # 5 + 6 = 11 columns
    with pytest.raises(FileProblem, match="unknown column"):  # 10 columns: read and matched by name
        _open(make(5), limits)


def test_duplicated_columns_are_still_named(settings):
    with pytest.raises(FileProblem, match=r"duplicated column\(s\): kpi"):
        _open(b"team,kpi,kpi,date\n", Limits())


@pytest.mark.django_db
def test_the_corpus_50000_column_file_is_refused_on_the_preview_without_a_mapping_per_column(
    client, cco, team_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    case = next(case for case in bad_files() if case.name == "many-columns")
    client.force_login(cco)

    page = client.get(upload_measurements(client, case.content))

    assert page.status_code == 200
    assert "The header row has more than 500 columns" in page.context["result"].file_error
    assert b"Confirm and import" not in page.content
    assert page.content.count(b'name="map_') == 0  # no select per column
    assert len(page.content) < 200_000  # was 9.5 MB
