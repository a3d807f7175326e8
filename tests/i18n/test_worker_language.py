"""Messages made in the Celery worker are in the requesting user's language, not the worker's default:
an import job's summary and row errors, and a report job's error."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from culture.measurements import pending, tasks
from tests.pages import upload_measurements

pytestmark = pytest.mark.django_db

GOOD = "team;kpi;date;value\n" + "".join(f"team-a;aht;2026-04-{day:02d};{day},5\n" for day in range(1, 4))
REFUSED_TEAM = "okänd team-slug, eller ett team som du inte får redigera"
BAD = "team;kpi;date;value\nteam-a;aht;2026-04-01;5,5\nteam-x;aht;2026-04-02;6,5\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CENTRIC_IMPORT_ASYNC_BYTES = 1  # every upload is checked by a job (run eagerly in the tests)


@pytest.fixture
def swedish_cco(cco):
    cco.language = "sv"
    cco.save(update_fields=["language"])
    return cco


def test_an_import_job_reports_in_the_swedish_users_language(client, team_a, swedish_cco):
    client.force_login(swedish_cco)
    preview = upload_measurements(client, GOOD)
    page = client.get(preview)
    assert page.status_code == 200
    checksum = preview.rstrip("/").rsplit("/", 1)[1]
    status = client.get(reverse("culture:import_job_status", args=[checksum, "preview"])).json()
    # 3 rows, none stored yet: all three would be created
    assert status["summary"] == "3 rader: 3 skulle skapas, 0 skulle uppdateras, 0 oförändrade."


def test_a_job_without_a_language_speaks_the_users_chosen_one(client, team_a, swedish_cco):
    """The worker's own default is English; the user's saved language wins when the job names none."""
    client.force_login(swedish_cco)
    with translation.override("en-gb"):
        preview = upload_measurements(client, BAD)
    checksum = preview.rstrip("/").rsplit("/", 1)[1]
    entry = pending.recall(client.session, checksum)
    with translation.override("en-gb"):
        outcome = tasks.run_import_job.apply(args=[swedish_cco.pk, checksum, "preview", entry]).get()
    assert outcome == "done"
    state = tasks.job_state(swedish_cco.pk, checksum, "preview")
    assert state["summary"] == "1 fel; inget har sparats."
    result = pending.stored_preview(swedish_cco.pk, checksum)
    assert [(error.row, error.column, error.reason) for error in result.errors] == [(3, "team", REFUSED_TEAM)]
