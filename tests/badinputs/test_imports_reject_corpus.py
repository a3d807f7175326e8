"""Every file of the bad-input corpus is refused with a clear error, and nothing at all is written."""

import io

import pytest

from culture.measurements import import_measurements, import_responses
from culture.models import ImportBatch, Measurement, SurveyResponse
from tests.factories import TeamFactory

from .corpus import ROW_LEVEL, bad_files

pytestmark = pytest.mark.django_db

CASES = bad_files()


@pytest.fixture
def team_a():
    return TeamFactory(slug="team-a", name="Team A")


def _counts():
    return (Measurement.objects.count(), SurveyResponse.objects.count(), ImportBatch.objects.count())


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_file_is_refused_with_a_reason_and_writes_nothing(case, cco, team_a):
    before = _counts()
    service = import_measurements if case.kind == "measurements" else import_responses
    result = service(stream=io.BytesIO(case.content), filename=case.filename, user=cco, source="web")
    assert not result.is_valid, f"{case.name} was accepted"
    assert result.file_error or result.errors, "a refusal must say why"
    if case.category in ROW_LEVEL and not result.file_error:
        assert all(error.row and error.reason for error in result.errors), "row errors name the row and the reason"
    assert _counts() == before, "nothing may be written"
