"""The import wizard on the web: the evidence, choosing a locale for a file that reads two ways, mapping
columns, saving a preset and its reuse on the next file without questions."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from culture.models import ImportPreset, Measurement
from tests.pages import upload_measurements

pytestmark = pytest.mark.django_db

AMBIGUOUS = b"team;kpi;date;value\nteam-a;aht;2026-04-01;1,290\n"
FOREIGN = b"Avdelning;Matt;Dag;Utfall\nteam-a;aht;2026-04-01;12,5\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_file_that_reads_two_ways_waits_for_the_users_choice(client, team_a, cco):
    client.force_login(cco)
    preview = upload_measurements(client, AMBIGUOUS)
    page = client.get(preview)
    assert page.status_code == 200
    assert b"Choose how the file writes its numbers or dates" in page.content
    assert b"Confirm and import" not in page.content
    assert "1,290" in page.context["result"].file_error
    options = preview + "options/"
    chosen = client.post(options, {"decimal": ",", "date_order": "", "encoding": "", "map_0": "", "save_as": ""})
    assert chosen.status_code == 302 and chosen["Location"] == preview
    page = client.get(preview)
    assert b"Confirm and import" in page.content
    assert b"decimal &#x27;,&#x27; as chosen" in page.content
    client.post(preview + "confirm/")
    assert list(Measurement.objects.values_list("value", flat=True)) == [Decimal("1.29")]


def test_the_locale_can_be_chosen_onupload_measurements(client, team_a, cco):
    client.force_login(cco)
    preview = upload_measurements(client, AMBIGUOUS, decimal=".")
    client.post(preview + "confirm/")
    assert list(Measurement.objects.values_list("value", flat=True)) == [Decimal(1290)]


def test_columns_are_mapped_saved_as_a_preset_and_reused(client, team_a, cco):
    client.force_login(cco)
    preview = upload_measurements(client, FOREIGN)
    page = client.get(preview)
    assert b"unknown column(s): Avdelning, Matt, Utfall" in page.content
    assert page.context["options_form"].header == ["Avdelning", "Matt", "Dag", "Utfall"]
    mapping = {"map_0": "team", "map_1": "kpi", "map_2": "date", "map_3": "value"}
    twice = client.post(preview + "options/", {**mapping, "map_1": "team", "save_as": "Ekonomi"})
    assert twice.status_code == 400
    assert b"Each column may be chosen once; chosen twice: team." in twice.content
    assert twice.context["options_form"]["save_as"].value() == "Ekonomi"  # the input is kept
    saved = client.post(preview + "options/", {**mapping, "save_as": "Ekonomi"})
    assert saved.status_code == 302
    preset = ImportPreset.objects.get()
    assert (preset.name, preset.columns, preset.header) == (
        "Ekonomi",
        {"Avdelning": "team", "Matt": "kpi", "Dag": "date", "Utfall": "value"},
        ["avdelning", "matt", "dag", "utfall"],
    )
    assert b"Confirm and import" in client.get(preview).content
    # The next file from the same source: no questions.
    second = upload_measurements(client, b"Avdelning;Matt;Dag;Utfall\nteam-a;aht;2026-04-02;7,25\n")
    page = client.get(second)
    assert b"Read with the saved preset Ekonomi." in page.content
    client.post(second + "confirm/")
    assert Measurement.objects.get().value == Decimal("7.25")


def test_leads_reach_only_their_own_pending_upload_options(client, team_a, cco, lead_a):
    client.force_login(cco)
    preview = upload_measurements(client, AMBIGUOUS)
    client.force_login(lead_a)
    assert client.post(preview + "options/", {"decimal": ","}).status_code == 404


def test_templates_download_as_csv_and_xlsx_with_instructions(client, cco, employee_a):
    import io

    import openpyxl

    client.force_login(employee_a)
    assert client.get(reverse("culture:import_template", args=["measurements", "csv"])).status_code == 403
    client.force_login(cco)
    response = client.get(reverse("culture:import_template", args=["measurements", "csv"]))
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert (
        lines[0]
        == "team,kpi,date,channel,value,numerator,denominator,sample_size,sum_squares,opening,gained,lost,closing"
    )
    assert lines[1] == "team-a,fcr,2026-09-05,all,,610,1000,,,,,,"
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("culture:import_template", args=["responses", "xlsx"])).content)
    )
    assert workbook.sheetnames == ["responses", "Instructions"]
    assert [cell.value for cell in workbook["responses"][1]] == [
        "team",
        "survey",
        "date",
        "channel",
        "score",
        "respondent",
        "comment",
    ]
    assert workbook["Instructions"]["A1"].value.startswith("Fill in the first sheet: one row per survey response")
    assert client.get(reverse("culture:import_template", args=["payroll", "csv"])).status_code == 404


def test_every_exported_figure_imports_back_unchanged(client, team_a, cco):
    from culture.models import Kpi

    figures = [
        ("fcr", "all", {"numerator": Decimal("610.5"), "denominator": Decimal(1000)}),
        ("aht", "phone", {"value": Decimal("402.123456"), "sample_size": 120}),
        ("nps", "email", {"numerator": Decimal(-3), "denominator": Decimal(40), "sum_squares": Decimal(25)}),
        ("churn_rate", "all", {"opening": 8000, "gained": 2, "lost": 3, "closing": 7999}),
        ("aht", "chat", {"value": Decimal("1E+3")}),
    ]
    for code, channel, values in figures:
        Measurement.objects.create(
            team=team_a, kpi=Kpi.objects.get(code=code), date="2026-04-01", channel=channel, **values
        )
    fields = ["team_id", "kpi_id", "date", "channel", "value", "numerator", "denominator", "sample_size", "sum_squares"]
    fields += ["opening", "gained", "lost", "closing"]
    before = sorted(Measurement.objects.values_list(*fields))
    client.force_login(cco)
    export = client.get(reverse("culture:measurement_list") + "?_export=import")
    content = b"".join(export.streaming_content)
    assert (
        content.splitlines()[0]
        == b"team,kpi,date,channel,value,numerator,denominator,sample_size,sum_squares,opening,gained,lost,closing"
    )
    Measurement.objects.all().delete()
    preview = upload_measurements(client, content)
    assert b"Confirm and import" in client.get(preview).content
    client.post(preview + "confirm/")
    assert sorted(Measurement.objects.values_list(*fields)) == before


def test_a_survey_tools_export_is_chosen_onupload_measurements(client, team_a, cco):
    from pathlib import Path

    fixture = Path(__file__).parent.parent / "fixtures" / "imports" / "zendesk-satisfaction.csv"
    client.force_login(cco)
    wrong = client.post(
        reverse("culture:import_upload"),
        {"kind": "measurements", "source": "zendesk", "file": SimpleUploadedFile("z.csv", fixture.read_bytes())},
    )
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["source"] == ["Survey tools' exports hold survey responses: choose that kind."]
    preview = upload_measurements(client, fixture.read_bytes(), kind="responses", source="zendesk")
    page = client.get(preview)
    assert b"Confirm and import" in page.content, (page.context["result"].file_error, page.context["result"].errors)
    client.post(preview + "confirm/")
    # The company's zone is UTC here: all four ratings fall on 2 November, three of them Good.
    assert list(Measurement.objects.values_list("numerator", "denominator")) == [(3, 4)]


def test_the_command_reads_a_survey_tools_export(tmp_path, team_a, capsys):
    from pathlib import Path

    from django.core.management import call_command

    fixture = Path(__file__).parent.parent / "fixtures" / "imports" / "netigate-export.csv"
    call_command("import_responses", str(fixture), "--source", "netigate")
    assert "5 rows: 5 created" in capsys.readouterr().out


def test_a_big_upload_is_checked_and_written_by_a_job(client, team_a, cco, settings):
    """Celery runs eagerly in the tests: the job finishes inside the request that queues it."""
    settings.CENTRIC_IMPORT_ASYNC_BYTES = 1
    client.force_login(cco)
    rows = "".join(f"team-a;aht;2026-04-{day:02d};{day},5\n" for day in range(1, 29))
    preview = upload_measurements(client, ("team;kpi;date;value\n" + rows).encode())
    page = client.get(preview)
    assert b"Confirm and import" in page.content
    assert page.context["result"].row_count == 28
    checksum = preview.rstrip("/").rsplit("/", 1)[1]
    status = client.get(reverse("culture:import_job_status", args=[checksum, "preview"])).json()
    assert status == {"status": "done", "rows": 28, "summary": status["summary"], "error": ""}
    assert status["summary"].startswith("28 rows: 28 would be created")
    confirm = client.post(preview + "confirm/")
    assert confirm["Location"] == reverse("culture:import_job", args=[checksum])
    done = client.get(confirm["Location"])
    assert done["Location"] == reverse("culture:importbatch_list")
    # By hand: the values 1,5 .. 28,5 sum to 28 x 29 / 2 + 28 x 0.5 = 420.
    assert sum(Measurement.objects.values_list("value", flat=True)) == Decimal(420)
    assert client.get(confirm["Location"]).status_code == 404  # the upload is gone once written


def test_a_queued_job_shows_its_progress_page(client, team_a, cco, settings, monkeypatch):
    from culture.measurements import tasks

    settings.CENTRIC_IMPORT_ASYNC_BYTES = 1
    monkeypatch.setattr(tasks.run_import_job, "delay", lambda *args: None)  # no worker picks it up
    client.force_login(cco)
    preview = upload_measurements(client, b"team,kpi,date,value\nteam-a,aht,2026-04-01,5\n")
    page = client.get(preview)
    assert b"Waiting for the worker" in page.content
    assert b'<meta http-equiv="refresh" content="2">' in page.content
    checksum = preview.rstrip("/").rsplit("/", 1)[1]
    assert client.get(reverse("culture:import_job_status", args=[checksum, "preview"])).json()["status"] == "queued"
    assert client.get(reverse("culture:import_job_status", args=[checksum, "nonsense"])).status_code == 404
    assert Measurement.objects.count() == 0


def test_the_preview_lists_old_and_new_values_of_every_changed_row(client, team_a, cco):
    from culture.models import Kpi

    aht, fcr = Kpi.objects.get(code="aht"), Kpi.objects.get(code="fcr")
    Measurement.objects.create(team=team_a, kpi=aht, date="2026-04-01", value=Decimal("300.5"), sample_size=10)
    Measurement.objects.create(team=team_a, kpi=fcr, date="2026-04-01", numerator=40, denominator=50)
    Measurement.objects.create(team=team_a, kpi=aht, date="2026-04-02", value=7)
    client.force_login(cco)
    content = (
        b"team,kpi,date,value,numerator,denominator,sample_size\n"
        b"team-a,aht,2026-04-01,310,,,10\n"  # value 300.5 -> 310
        b"team-a,fcr,2026-04-01,,41,50,\n"  # numerator 40 -> 41
        b"team-a,aht,2026-04-02,7,,,\n"  # unchanged
        b"team-a,aht,2026-04-03,8,,,\n"  # new
    )
    page = client.get(upload_measurements(client, content))
    result = page.context["result"]
    assert [(c.row, c.kpi, c.column, c.old, c.new) for c in result.changes] == [
        (2, "aht", "value", "300.5", "310"),
        (3, "fcr", "numerator", "40", "41"),
    ]
    assert (result.counts.created, result.counts.updated, result.counts.unchanged) == (1, 2, 1)
    assert b"What would change" in page.content


def test_an_upload_kept_on_disk_is_stored_whole_under_its_checksum(client, team_a, cco, settings):
    """A big upload arrives as a temporary file, which is handed to the storage as it is (moved, not copied)."""
    import hashlib

    from culture.measurements import pending

    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10  # anything bigger is written to a temporary file by Django
    content = b"team,kpi,date,value\n" + b"".join(b"team-a,aht,2026-04-%02d,%d\n" % (day, day) for day in range(1, 29))
    client.force_login(cco)
    preview = upload_measurements(client, content)
    checksum = preview.rstrip("/").rsplit("/", 1)[1]
    assert checksum == hashlib.sha256(content).hexdigest()
    with pending.open_upload(checksum) as stored:
        assert stored.read() == content
    assert b"Confirm and import" in client.get(preview).content
    assert upload_measurements(client, content) == preview  # the same file again: the one stored copy
