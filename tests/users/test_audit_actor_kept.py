"""Audit rows keep who acted: a user with audit history is deactivated, never deleted."""

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from core.audit import record
from core.models import AuditEntry
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_deleting_a_user_with_audit_history_is_refused_and_the_actor_kept(mfa_off):
    user = UserFactory()
    entry = record(actor=user, action="team.change", obj=TeamFactory())
    with pytest.raises(ProtectedError):
        user.delete()
    entry.refresh_from_db()
    assert entry.actor == user


def test_admin_offers_deactivate_instead_of_delete(client, mfa_off):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    actor = UserFactory()
    record(actor=actor, action="team.change", obj=TeamFactory())
    client.force_login(admin_user)
    changelist = reverse("admin:users_user_changelist")
    assert "delete_selected" not in client.get(changelist).context["action_form"].fields["action"].choices.__str__()
    assert client.get(reverse("admin:users_user_delete", args=[actor.pk])).status_code == 403
    response = client.post(changelist, {"action": "deactivate", "_selected_action": [actor.pk]}, follow=True)
    assert b"Deactivated 1 user" in response.content
    actor.refresh_from_db()
    assert not actor.is_active
    assert AuditEntry.objects.filter(action="user.deactivate", object_id=str(actor.pk), actor=admin_user).exists()
