"""The pulse question library in the admin: drafts are edited, published versions are read-only."""

import pytest
from django.urls import reverse

from culture.models import PulseLibraryVersion
from culture.pulse.services import install_standard_library

pytestmark = pytest.mark.django_db


def test_a_published_version_shows_its_questions_read_only_and_copies_into_a_draft(admin_client, cco):
    v1 = install_standard_library(actor=cco)
    page = admin_client.get(reverse("admin:culture_pulselibraryversion_change", args=[v1.pk]))
    assert page.status_code == 200 and "Customer feedback reaches my team quickly." in page.text
    assert 'name="questions-0-text"' not in page.text  # read-only

    changelist = reverse("admin:culture_pulselibraryversion_changelist")
    admin_client.post(changelist, {"action": "copy_as_draft", "_selected_action": [v1.pk]})
    draft = PulseLibraryVersion.objects.get(number=2)
    assert draft.status == "draft" and draft.questions.count() == 4
    edit = admin_client.get(reverse("admin:culture_pulselibraryversion_change", args=[draft.pk]))
    assert 'name="questions-0-text"' in edit.text

    admin_client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    assert PulseLibraryVersion.objects.get(pk=draft.pk).is_published
