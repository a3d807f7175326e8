"""Rubric pages: create a draft, edit its competencies, publish, copy into a new version; immutability."""

import pytest
from django.urls import reverse

from core.models import AuditEntry
from hiring.models import Rubric, RubricVersion

from .factories import RubricVersionFactory

pytestmark = pytest.mark.django_db


def _competency_form(prefix_index, **values):
    base = {
        "order": "0",
        "key": "empathy",
        "name": "Empathy",
        "weight": "2",
        "description": "",
        "anchor_1": "a1",
        "anchor_2": "a2",
        "anchor_3": "a3",
        "anchor_4": "a4",
        "anchor_5": "a5",
        "questions": "Q1\nQ2",
    }
    base.update(values)
    return {f"form-{prefix_index}-{k}": v for k, v in base.items()}


def _management(total, initial=0):
    return {
        "form-TOTAL_FORMS": str(total),
        "form-INITIAL_FORMS": str(initial),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }


def test_recruiter_creates_edits_and_publishes_a_rubric(client, recruiter):
    client.force_login(recruiter)
    response = client.post(reverse("hiring:rubric_create"), {"name": "Phone care", "description": ""})
    version = RubricVersion.objects.get(rubric__name="Phone care")
    assert response.url == reverse("hiring:rubric_edit", kwargs={"pk": version.pk})
    assert client.get(response.url).status_code == 200
    response = client.post(response.url, {**_management(1), **_competency_form(0)})
    assert response.status_code == 302
    assert list(version.competencies.values_list("key", "weight")) == [("empathy", 2)]
    client.post(reverse("hiring:rubric_publish", kwargs={"pk": version.pk}))
    version.refresh_from_db()
    assert version.is_published
    body = client.get(version.get_absolute_url()).content.decode()
    assert "published" in body
    assert "Q2" in body


def test_edit_form_keeps_input_and_explains_duplicate_keys(client, recruiter):
    draft = RubricVersionFactory(status=RubricVersion.Status.DRAFT, published_at=None, competencies=[])
    client.force_login(recruiter)
    data = {**_management(2), **_competency_form(0, name="First"), **_competency_form(1, name="Second")}
    response = client.post(reverse("hiring:rubric_edit", kwargs={"pk": draft.pk}), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Each key may appear once: empathy." in body
    assert "Second" in body
    assert not draft.competencies.exists()


def test_published_version_has_no_edit_page_and_copies_into_a_draft(client, recruiter):
    version = RubricVersionFactory()
    client.force_login(recruiter)
    assert client.get(reverse("hiring:rubric_edit", kwargs={"pk": version.pk})).status_code == 404
    response = client.post(reverse("hiring:rubric_new_version", kwargs={"pk": version.pk}))
    draft = RubricVersion.objects.get(number=2)
    assert response.url == reverse("hiring:rubric_edit", kwargs={"pk": draft.pk})
    assert draft.competencies.count() == 3


def test_standard_rubric_button_installs_it_once(client, recruiter):
    client.force_login(recruiter)
    client.post(reverse("hiring:rubric_install_standard"))
    client.post(reverse("hiring:rubric_install_standard"))
    assert Rubric.objects.get().versions.get().competencies.count() == 6
    assert AuditEntry.objects.filter(action="hiring.rubric.published").count() == 1


def test_duplicate_rubric_name_is_explained(client, recruiter):
    RubricVersionFactory(rubric__name="Service")
    client.force_login(recruiter)
    response = client.post(reverse("hiring:rubric_create"), {"name": "service"})
    assert "A rubric with this name exists" in response.content.decode()


def test_cco_reads_rubrics_but_cannot_change_them(client, cco):
    version = RubricVersionFactory(status=RubricVersion.Status.DRAFT, published_at=None)
    client.force_login(cco)
    assert client.get(reverse("hiring:rubric_list")).status_code == 200
    assert client.get(version.get_absolute_url()).status_code == 200
    assert client.post(reverse("hiring:rubric_publish", kwargs={"pk": version.pk})).status_code == 403
    version.refresh_from_db()
    assert not version.is_published


def test_rubric_list_filters_by_status_and_exports(client, recruiter):
    RubricVersionFactory(rubric__name="Live")
    RubricVersionFactory(rubric__name="Wip", status=RubricVersion.Status.DRAFT, published_at=None)
    client.force_login(recruiter)
    response = client.get(reverse("hiring:rubric_list"), {"status": "draft"})
    assert [row.record.rubric.name for row in response.context["table"].page.object_list] == ["Wip"]
    export = client.get(reverse("hiring:rubric_list"), {"_export": "csv"})
    assert export["Content-Disposition"] == 'attachment; filename="rubric-versions.csv"'
    assert export.getvalue().decode().splitlines()[0].startswith("Rubric,Version,Status,Competencies,Positions")


def test_lead_gets_403_on_rubric_pages(client, lead_a):
    version = RubricVersionFactory()
    client.force_login(lead_a)
    assert client.get(reverse("hiring:rubric_list")).status_code == 403
    assert client.get(version.get_absolute_url()).status_code == 403
