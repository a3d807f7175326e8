"""The pulse question library's web editor: list, a version's questions, a new draft, editing (change, add,
retire), publishing; executives only; a published version is frozen (no editor)."""

import pytest
from django.urls import reverse

from core.models import AuditEntry
from culture.models import PulseLibraryVersion
from culture.pulse.services import install_standard_library

pytestmark = pytest.mark.django_db


def _management(prefix: str, total: int, initial: int) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _edit_data(draft, changes: dict[str, str], retire: str, new: dict[str, str] | None) -> dict[str, str]:
    questions = list(draft.questions.all())
    data = _management("questions", len(questions) + 2, len(questions))
    for n, question in enumerate(questions):
        data |= {
            f"questions-{n}-id": str(question.pk),
            f"questions-{n}-order": str(question.order),
            f"questions-{n}-key": question.key,
            f"questions-{n}-kind": question.kind,
            f"questions-{n}-text": changes.get(question.key, question.text),
        }
        if question.key == retire:
            data[f"questions-{n}-DELETE"] = "on"
    if new:
        data |= {f"questions-{len(questions)}-{field}": value for field, value in new.items()}
    data[f"questions-{len(questions) + 1}-order"] = "0"  # the blank extra form, as the browser sends it
    return data


def test_the_cco_copies_edits_retires_adds_and_publishes_a_version(client, cco):
    v1 = install_standard_library(actor=cco)
    client.force_login(cco)
    listing = client.get(reverse("culture:pulse_library"))
    assert listing.status_code == 200 and v1.get_absolute_url() in listing.text
    assert "Copy into a new draft" in client.get(v1.get_absolute_url()).text
    assert client.get(reverse("culture:pulse_library_edit", args=[v1.pk])).status_code == 404  # frozen

    copied = client.post(reverse("culture:pulse_library_copy", args=[v1.pk]))
    draft = PulseLibraryVersion.objects.get(number=2)
    assert copied.url == reverse("culture:pulse_library_edit", args=[draft.pk])
    assert client.get(copied.url).status_code == 200

    data = _edit_data(
        draft,
        changes={"impact": "I see how my work changes our customers' day."},
        retire="feedback",
        new={"order": "9", "key": "voice", "kind": "agreement", "text": "We act on what customers tell us."},
    )
    saved = client.post(copied.url, data)
    assert saved.status_code == 302 and saved.url == draft.get_absolute_url()
    assert list(draft.questions.values_list("key", "text")) == [
        ("enps", "How likely are you to recommend working here to a friend?"),
        ("impact", "I see how my work changes our customers' day."),
        ("autonomy", "I can solve a customer's problem without asking for permission."),
        ("voice", "We act on what customers tell us."),
    ]
    assert list(v1.questions.values_list("key", flat=True)) == ["enps", "impact", "autonomy", "feedback"]
    assert AuditEntry.objects.filter(action="culture.pulse_library.edited").count() == 1

    client.post(reverse("culture:pulse_library_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.is_published
    assert client.get(reverse("culture:pulse_library_edit", args=[draft.pk])).status_code == 404


def test_two_questions_with_one_key_are_refused_and_nothing_changes(client, cco):
    v1 = install_standard_library(actor=cco)
    client.force_login(cco)
    client.post(reverse("culture:pulse_library_copy", args=[v1.pk]))
    draft = PulseLibraryVersion.objects.get(number=2)
    data = _edit_data(draft, {}, retire="", new={"order": "9", "key": "impact", "kind": "agreement", "text": "Twin"})

    response = client.post(reverse("culture:pulse_library_edit", args=[draft.pk]), data)

    assert response.status_code == 200 and "Each question needs its own key." in response.text
    assert draft.questions.count() == 4


def test_publishing_a_draft_with_two_enps_questions_is_refused_with_a_message(client, cco):
    v1 = install_standard_library(actor=cco)
    client.force_login(cco)
    client.post(reverse("culture:pulse_library_copy", args=[v1.pk]))
    draft = PulseLibraryVersion.objects.get(number=2)
    data = _edit_data(draft, {}, retire="", new={"order": "9", "key": "enps2", "kind": "enps", "text": "Again?"})
    client.post(reverse("culture:pulse_library_edit", args=[draft.pk]), data)

    page = client.post(reverse("culture:pulse_library_publish", args=[draft.pk]), follow=True)

    assert "A question library holds at most one eNPS question." in page.text
    draft.refresh_from_db()
    assert not draft.is_published


@pytest.mark.parametrize("who", ["lead_a", "employee_a", "recruiter"])
def test_only_executives_open_or_change_the_library(client, request, cco, who):
    v1 = install_standard_library(actor=cco)
    client.force_login(request.getfixturevalue(who))
    for name in ("pulse_library_detail", "pulse_library_edit"):
        assert client.get(reverse(f"culture:{name}", args=[v1.pk])).status_code == 403
    assert client.get(reverse("culture:pulse_library")).status_code == 403
    assert client.post(reverse("culture:pulse_library_copy", args=[v1.pk])).status_code == 403
    assert client.post(reverse("culture:pulse_library_publish", args=[v1.pk])).status_code == 403
    assert PulseLibraryVersion.objects.count() == 1


def test_anonymous_visitors_are_sent_to_the_login(client, cco):
    v1 = install_standard_library(actor=cco)
    response = client.get(reverse("culture:pulse_library_detail", args=[v1.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url
