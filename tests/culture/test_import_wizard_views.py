"""The import wizard on the web: the evidence, choosing a locale for a file that reads two ways, mapping
columns, saving a preset and its reuse on the next file without questions."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from culture.models import ImportPreset, Measurement

pytestmark = pytest.mark.django_db

AMBIGUOUS = b"team;kpi;date;value\nteam-a;aht;2026-04-01;1,290\n"
FOREIGN = b"Avdelning;Matt;Dag;Utfall\nteam-a;aht;2026-04-01;12,5\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _upload(client, content, **fields):
    data = {"kind": "measurements", "file": SimpleUploadedFile("m.csv", content), **fields}
    response = client.post(reverse("culture:import_upload"), data)
    assert response.status_code == 302
    return response["Location"]


def test_a_file_that_reads_two_ways_waits_for_the_users_choice(client, team_a, cco):
    client.force_login(cco)
    preview = _upload(client, AMBIGUOUS)
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


def test_the_locale_can_be_chosen_on_upload(client, team_a, cco):
    client.force_login(cco)
    preview = _upload(client, AMBIGUOUS, decimal=".")
    client.post(preview + "confirm/")
    assert list(Measurement.objects.values_list("value", flat=True)) == [Decimal(1290)]


def test_columns_are_mapped_saved_as_a_preset_and_reused(client, team_a, cco):
    client.force_login(cco)
    preview = _upload(client, FOREIGN)
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
    second = _upload(client, b"Avdelning;Matt;Dag;Utfall\nteam-a;aht;2026-04-02;7,25\n")
    page = client.get(second)
    assert b"Read with the saved preset Ekonomi." in page.content
    client.post(second + "confirm/")
    assert Measurement.objects.get().value == Decimal("7.25")


def test_leads_reach_only_their_own_pending_upload_options(client, team_a, cco, lead_a):
    client.force_login(cco)
    preview = _upload(client, AMBIGUOUS)
    client.force_login(lead_a)
    assert client.post(preview + "options/", {"decimal": ","}).status_code == 404
