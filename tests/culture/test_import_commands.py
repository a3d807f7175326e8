"""import_measurements and import_responses on the command line."""

import pytest
from django.core.management import CommandError, call_command

from culture.models import ImportBatch, Measurement, SurveyResponse

pytestmark = pytest.mark.django_db


def test_import_measurements_prints_counts_and_is_idempotent(tmp_path, team_a, capsys):
    path = tmp_path / "m.csv"
    path.write_text("team,kpi,date,numerator,denominator\nteam-a,fcr,2026-04-01,4,5\n")
    call_command("import_measurements", str(path))
    assert "1 rows: 1 created, 0 updated, 0 unchanged." in capsys.readouterr().out
    call_command("import_measurements", str(path))
    assert "0 created, 0 updated, 1 unchanged." in capsys.readouterr().out
    assert Measurement.objects.count() == 1
    assert ImportBatch.objects.filter(source="command").count() == 2


def test_import_measurements_prints_every_bad_row_and_fails(tmp_path, team_a, capsys):
    path = tmp_path / "m.csv"
    path.write_text("team,kpi,date,numerator,denominator\nteam-a,fcr,2026-04-xx,4,5\nnope,fcr,2026-04-01,4,5\n")
    with pytest.raises(CommandError, match="2 error"):
        call_command("import_measurements", str(path))
    err = capsys.readouterr().err
    assert "row 2, date '2026-04-xx': not an ISO date (YYYY-MM-DD)" in err
    assert "row 3, team 'nope': unknown team slug, or a team you may not edit" in err
    assert Measurement.objects.count() == 0


def test_dry_run_and_user_scope(tmp_path, team_a, team_b, lead_b, capsys):
    path = tmp_path / "m.csv"
    path.write_text("team,kpi,date,numerator,denominator\nteam-a,fcr,2026-04-01,4,5\n")
    call_command("import_measurements", str(path), "--dry-run")
    assert "Dry run: 1 rows: 1 would be created" in capsys.readouterr().out
    assert Measurement.objects.count() == 0
    with pytest.raises(CommandError):
        call_command("import_measurements", str(path), "--user", lead_b.email)
    with pytest.raises(CommandError, match="No user"):
        call_command("import_measurements", str(path), "--user", "ghost@example.com")


def test_import_responses_command(tmp_path, team_a, capsys):
    path = tmp_path / "r.csv"
    path.write_text("team;survey;date;score;respondent\nteam-a;nps;2026-04-01;10;a\n")
    call_command("import_responses", str(path))
    out = capsys.readouterr().out
    assert "1 created" in out and "Daily measurements: 1 created" in out
    assert SurveyResponse.objects.count() == 1


def test_unreadable_file_is_a_command_error(tmp_path, team_a):
    path = tmp_path / "m.csv"
    path.write_bytes(b"")
    with pytest.raises(CommandError, match="empty"):
        call_command("import_measurements", str(path))


def test_the_command_shows_the_evidence_and_takes_the_locale_and_a_preset(tmp_path, team_a, cco, capsys):
    from decimal import Decimal

    from culture.measurements import ImportOptions, save_preset

    path = tmp_path / "m.csv"
    path.write_bytes(b"team;kpi;date;value\nteam-a;aht;2026-04-01;1,290\n")
    with pytest.raises(CommandError, match="can be read more than one way"):
        call_command("import_measurements", str(path))
    assert "Numbers: decimal '.' proposed from the file: semicolon-separated, 1 values such as 1,290" in (
        capsys.readouterr().out
    )
    call_command("import_measurements", str(path), "--decimal", ",")
    assert Measurement.objects.get().value == Decimal("1.29")
    save_preset(name="Ekonomi", kind="measurements", header=["x"], options=ImportOptions(), user=cco)
    with pytest.raises(CommandError, match=r"No measurements preset named Nope\."):
        call_command("import_measurements", str(path), "--preset", "Nope")
    call_command("import_measurements", str(path), "--preset", "Ekonomi", "--decimal", ".")
    assert Measurement.objects.get().value == Decimal(1290)
