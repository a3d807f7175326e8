"""Every file of the bad-input corpus through the web import wizard (upload, then the preview), as the CCO:
never a server error, never a confirm button, nothing written. The services' own verdicts are checked in
test_imports_reject_corpus.py; this adds what the pages do on top (the mapping form, the stored preview,
the job that checks big uploads)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from culture.models import ImportBatch, Measurement, SurveyResponse
from tests.factories import TeamFactory

from .corpus import bad_files

pytestmark = pytest.mark.django_db

CASES = bad_files()


def _counts():
    return (Measurement.objects.count(), SurveyResponse.objects.count(), ImportBatch.objects.count())


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_file_through_the_wizard_is_refused_without_a_server_error(case, client, cco, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    TeamFactory(slug="team-a", name="Team A")
    before = _counts()
    client.force_login(cco)

    upload = SimpleUploadedFile(case.filename, case.content)
    response = client.post(reverse("culture:import_upload"), {"kind": case.kind, "file": upload})

    assert response.status_code in (200, 302), response.status_code  # 200: the form refused it
    if response.status_code == 302:
        page = client.get(response["Location"])
        assert page.status_code == 200, page.status_code
        assert b"Confirm and import" not in page.content
    assert _counts() == before
