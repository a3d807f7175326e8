"""SCIM tokens in the admin: listed, revoked by an audited action, never edited or deleted there."""

import pytest
from django.urls import reverse

from core.models import AuditEntry
from scim.models import ScimToken

pytestmark = pytest.mark.django_db


def test_revoking_in_the_admin_is_an_audited_action_and_the_token_stops_working(admin_client):
    token, value = ScimToken.issue("Entra ID")
    assert ScimToken.objects.authenticate(value) == token

    response = admin_client.post(
        reverse("admin:scim_scimtoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )

    assert b"Revoked 1 token(s)." in response.content
    assert ScimToken.objects.authenticate(value) is None
    entry = AuditEntry.objects.get(action="scim_token.revoke", object_id=str(token.pk))
    assert entry.actor == admin_client.user and entry.before == {"revoked_at": None} and entry.after["revoked_at"]
    assert admin_client.get("/scim/v2/Users", HTTP_AUTHORIZATION=f"Bearer {value}").status_code == 401


def test_the_revoked_field_cannot_be_edited_and_tokens_cannot_be_deleted(admin_client):
    token, value = ScimToken.issue("Okta")
    url = reverse("admin:scim_scimtoken_change", args=[token.pk])
    page = admin_client.get(url)
    assert page.status_code == 200 and "revoked_at" not in page.context["adminform"].form.fields

    admin_client.post(url, {"revoked_at_0": "2026-01-01", "revoked_at_1": "00:00:00"})

    assert ScimToken.objects.authenticate(value) == token  # unchanged: revoking is the audited action only
    assert admin_client.get(reverse("admin:scim_scimtoken_delete", args=[token.pk])).status_code == 403
