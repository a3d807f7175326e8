"""Import pages, import history, measurement list and KPI catalogue: access, behaviour, query counts."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEntry
from culture.models import ImportBatch, Kpi, Measurement
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

GOOD = b"team,kpi,date,numerator,denominator\nteam-a,fcr,2026-04-01,4,5\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _upload(client, content=GOOD, kind="measurements", name="m.csv"):
    return client.post(reverse("culture:import_upload"), {"kind": kind, "file": SimpleUploadedFile(name, content)})


def _measurements(team, count, kpi="fcr"):
    kpi = Kpi.objects.get(code=kpi)
    Measurement.objects.bulk_create(
        [
            Measurement(
                team=team, kpi=kpi, date=f"2026-0{1 + day // 28}-{1 + day % 28:02d}", numerator=1, denominator=2
            )
            for day in range(count)
        ]
    )


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "name", ["culture:import_upload", "culture:importbatch_list", "culture:measurement_list", "culture:kpi_list"]
)
def test_pages_send_anonymous_users_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_employees_may_not_import_or_list_measurements(client, employee_a):
    client.force_login(employee_a)
    assert client.get(reverse("culture:import_upload")).status_code == 403
    assert client.get(reverse("culture:measurement_list")).status_code == 403
    assert client.get(reverse("culture:kpi_list")).status_code == 200
    assert client.get(reverse("culture:kpi_create")).status_code == 403


def test_upload_preview_confirm_writes_once(client, team_a, lead_a):
    client.force_login(lead_a)
    response = _upload(client)
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert preview.context["result"].counts.created == 1
    assert b"Confirm and import" in preview.content
    assert b"team-a" in preview.content
    assert Measurement.objects.count() == 0
    done = client.post(response["Location"] + "confirm/")
    assert done.status_code == 302 and done["Location"] == reverse("culture:importbatch_list")
    assert Measurement.objects.count() == 1
    batch = ImportBatch.objects.get()
    assert (batch.source, batch.uploaded_by, batch.filename) == ("web", lead_a, "m.csv")
    assert client.post(response["Location"] + "confirm/").status_code == 404  # the upload is used up


def test_preview_lists_every_error_and_offers_no_confirm(client, team_a, team_b, lead_a):
    client.force_login(lead_a)
    content = b"team,kpi,date,numerator,denominator\nteam-b,fcr,2026-04-01,4,5\nteam-a,fcr,2026-04-01,4,5,1\n"
    preview = client.get(_upload(client, content)["Location"])
    errors = [(e.row, e.column) for e in preview.context["result"].errors]
    assert errors == [(2, "team"), (3, "(row)")]
    assert b"Confirm and import" not in preview.content
    assert b"nothing will be written" in preview.content


def test_unreadable_upload_is_explained_on_the_preview(client, team_a, cco):
    client.force_login(cco)
    preview = client.get(_upload(client, "team,kpi\n".encode("utf-16"))["Location"])
    assert b"UTF-16" in preview.content


def test_empty_upload_keeps_the_form_with_an_error(client, cco):
    client.force_login(cco)
    response = _upload(client, b"")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_another_users_upload_cannot_be_confirmed(client, team_a, cco, lead_a):
    client.force_login(cco)
    location = _upload(client)["Location"]
    client.force_login(lead_a)
    assert client.get(location).status_code == 404
    assert client.post(location + "confirm/").status_code == 404
    assert client.get(reverse("culture:import_preview", args=["not-a-checksum"])).status_code == 404


def test_survey_responses_upload(client, team_a, cco):
    client.force_login(cco)
    content = b"team,survey,date,score,respondent\nteam-a,nps,2026-04-01,10,r1\n"
    location = _upload(client, content, kind="responses")["Location"]
    assert client.get(location).context["result"].measurement_counts.created == 1
    client.post(location + "confirm/")
    assert Measurement.objects.get().sample_size == 1


def test_survey_responses_clashing_with_stored_channels_are_explained_and_not_written(client, team_a, cco):
    client.force_login(cco)
    stored = b"team,kpi,date,channel,numerator,denominator\nteam-a,nps,2026-04-01,all,1,2\n"
    client.post(_upload(client, stored)["Location"] + "confirm/")
    content = b"team,survey,date,channel,score,respondent\nteam-a,nps,2026-04-01,chat,10,r1\n"
    location = _upload(client, content, kind="responses")["Location"]
    preview = client.get(location)
    assert b"the database already holds channel all of nps for this day" in preview.content
    assert client.post(location + "confirm/").status_code == 400
    assert list(Measurement.objects.values_list("channel", flat=True)) == ["all"]
    assert ImportBatch.objects.count() == 1


def test_import_history_shows_executives_everything_and_leads_their_own(client, team_a, cco, lead_a):
    ImportBatch.objects.create(kind="measurements", source="web", uploaded_by=cco, checksum="a" * 64, filename="c.csv")
    ImportBatch.objects.create(
        kind="measurements", source="web", uploaded_by=lead_a, checksum="b" * 64, filename="l.csv"
    )
    client.force_login(lead_a)
    rows = client.get(reverse("culture:importbatch_list")).context["table"].page.object_list
    assert [row.record.filename for row in rows] == ["l.csv"]
    client.force_login(cco)
    assert len(client.get(reverse("culture:importbatch_list")).context["table"].page.object_list) == 2


def test_measurement_list_is_scoped_filtered_and_exported(client, team_a, team_b, lead_a):
    _measurements(team_a, 3)
    _measurements(team_b, 2)
    client.force_login(lead_a)
    response = client.get(reverse("culture:measurement_list"))
    assert {row.record.team_id for row in response.context["table"].page.object_list} == {team_a.pk}
    filtered = client.get(reverse("culture:measurement_list"), {"date_from": "2026-01-02", "date_to": "2026-01-02"})
    assert len(filtered.context["table"].page.object_list) == 1
    assert client.get(reverse("culture:measurement_list"), {"team": team_b.pk}).context["filter"].errors
    export = client.get(reverse("culture:measurement_list"), {"_export": "csv"})
    rows = list(csv.reader(io.StringIO(export.getvalue().decode())))
    assert rows[0][:4] == ["Date", "Team", "KPI", "Channel"]
    assert len(rows) == 4


def test_data_lists_state_how_many_rows_there_are(client, team_a, cco):
    # `count|default:rows|length` once printed the length of an int: "0 in total" above every list.
    _measurements(team_a, 3)
    ImportBatch.objects.create(kind="measurements", source="web", uploaded_by=cco, checksum="a" * 64)
    client.force_login(cco)
    measurements = client.get(reverse("culture:measurement_list")).content.decode()
    assert "in total" not in measurements, "the measurement list pages lazily: it does not count every row"
    assert "1 in total" in client.get(reverse("culture:importbatch_list")).content.decode()
    assert f"{Kpi.objects.count()} in total" in client.get(reverse("culture:kpi_list")).content.decode()


def test_measurement_list_query_count_does_not_grow_with_rows(client, cco):
    client.force_login(cco)
    url = reverse("culture:measurement_list")
    _measurements(TeamFactory(), 3)
    few = _queries(client, url)
    for _ in range(5):
        _measurements(TeamFactory(), 40, kpi="fcr")
    assert _queries(client, url) == few
    assert few <= 12


def _batches_and_kpis(user, start, count):
    for n in range(start, start + count):
        ImportBatch.objects.create(kind="measurements", source="web", uploaded_by=user, checksum=f"{n:064d}")
        Kpi.objects.create(
            code=f"custom_{n}", name="x", definition="x", category="loyalty", unit="count", aggregation="sum"
        )


@pytest.mark.parametrize("name", ["culture:importbatch_list", "culture:kpi_list"])
def test_import_history_and_kpi_list_query_counts_do_not_grow(client, cco, name):
    client.force_login(cco)
    _batches_and_kpis(cco, 0, 3)
    few = _queries(client, reverse(name))
    _batches_and_kpis(cco, 3, 40)
    assert _queries(client, reverse(name)) == few
    assert few <= 12


def test_cco_adds_and_edits_a_user_kpi_but_not_a_standard_one(client, cco):
    client.force_login(cco)
    data = {
        "code": "nps_partner",
        "name": "Partner NPS",
        "definition": "NPS among partners",
        "category": "loyalty",
        "unit": "score",
        "direction": "higher",
        "aggregation": "ratio",
        "scale": "100",
        "decimals": "0",
    }
    assert client.post(reverse("culture:kpi_create"), data).status_code == 302
    kpi = Kpi.objects.get(code="nps_partner")
    assert not kpi.is_standard
    response = client.post(reverse("culture:kpi_update", args=["nps_partner"]), data | {"name": "Partner NPS 2"})
    assert response.status_code == 302
    kpi.refresh_from_db()
    assert kpi.name == "Partner NPS 2"
    assert AuditEntry.objects.filter(action__in=["kpi.create", "kpi.update"]).count() == 2
    assert client.get(reverse("culture:kpi_update", args=["nps"])).status_code == 404
    listing = client.get(reverse("culture:kpi_list"))
    assert reverse("culture:kpi_update", args=["nps_partner"]).encode() in listing.content


def test_kpi_form_keeps_input_and_explains_errors(client, cco):
    client.force_login(cco)
    response = client.post(reverse("culture:kpi_create"), {"code": "nps", "name": "Mine", "scale": "0"})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"code", "definition", "category", "unit", "aggregation"}
    assert form["name"].value() == "Mine"


def test_leads_may_not_edit_the_catalogue(client, lead_a):
    client.force_login(lead_a)
    assert client.get(reverse("culture:kpi_create")).status_code == 403


def test_unconfirmed_uploads_older_than_a_day_are_purged(settings, tmp_path):
    import os
    import time

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from culture.measurements import pending

    old = default_storage.save(pending.name_for("a" * 64), ContentFile(b"x"))
    # The local storage takes its modified time from the file system: age the file there.
    os.utime(default_storage.path(old), (time.time() - 2 * 86400, time.time() - 2 * 86400))
    fresh = default_storage.save(pending.name_for("b" * 64), ContentFile(b"y"))
    assert pending.purge_stale() == 1
    assert not default_storage.exists(old) and default_storage.exists(fresh)
