"""Storage names come from ids, never from user text (a person's name, an uploaded file's name)."""

import pytest

from hiring.models import _cv_path
from incentives import services as incentive_services
from incentives.models import PayoutLine
from reports.models import GeneratedReport
from reports.tasks import request_report
from tests.incentives.conftest import org, plan, scorecards  # noqa: F401 - fixtures


@pytest.mark.parametrize("filename", ["Ada O'Neil.pdf", "cv./../../etc/passwd", "x.p d f", "lebenslauf.pdfü"])
def test_cv_storage_name_has_no_user_text(filename):
    name = _cv_path(None, filename)
    assert name.startswith("hiring/cv/")
    assert ".." not in name and "Ada" not in name and " " not in name
    assert name.rsplit(".", 1)[-1].isalnum()


@pytest.mark.django_db
def test_statement_storage_name_is_built_from_ids_not_the_persons_name(
    cco,
    plan,  # noqa: F811
    org,  # noqa: F811
    team_a,
    team_b,
    scorecards,  # noqa: F811
    settings,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    """The security review's finding: the statement's file name (and so its storage path) carried the name."""
    settings.MEDIA_ROOT = tmp_path
    scorecards.set("team", team_a.pk, fcr="80")
    scorecards.set("team", team_b.pk, fcr="90")
    run = incentive_services.create_payout_run(plan=plan, actor=cco)
    incentive_services.calculate_payouts(run_id=run.pk, actor=cco)
    person = org["mover"]
    person.name = "Ada O'Neil/../../etc"
    person.save(update_fields=["name"])
    line = PayoutLine.objects.get(run=run, person=person)

    with django_capture_on_commit_callbacks(execute=True):  # the build is queued once the request commits
        report = request_report(kind="incentive_statement", parameters={"line": line.pk}, user=cco)

    report.refresh_from_db()
    assert report.status == GeneratedReport.Status.DONE
    name = report.file.name
    assert name.startswith("reports/incentive_statement/") and name.endswith(f"-statement-2026-09-{line.pk}.pdf")
    assert "Ada" not in name and "neil" not in name.lower() and ".." not in name and " " not in name
    assert (tmp_path / name).is_file()
