"""Access changes of a user in the admin (active, staff, superuser, role groups) are audited with before and
after, and with who made them; names and addresses are not copied into the trail."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from core.models import AuditEntry
from tests.factories import UserFactory
from users.roles import Role, group_name

pytestmark = pytest.mark.django_db


def _form(user, **changes):
    data = {
        "email": user.email,
        "name": user.name,
        "language": "",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "08:00:00",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_granting_a_role_and_staff_in_the_admin_is_audited_with_before_and_after(client, mfa_off):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    user = UserFactory(email="eva@example.com", name="Eva Example")
    cco = Group.objects.get(name=group_name(Role.CCO))
    client.force_login(admin_user)

    url = reverse("admin:users_user_change", args=[user.pk])
    response = client.post(url, _form(user, is_staff="on", groups=[cco.pk]))

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    entry = AuditEntry.objects.get(action="admin.change", object_type="users.user", object_id=str(user.pk))
    assert entry.actor == admin_user
    assert entry.before == {"is_active": True, "is_staff": False, "is_superuser": False, "groups": []}
    assert entry.after == {"is_active": True, "is_staff": True, "is_superuser": False, "groups": [cco.name]}
    assert "Eva" not in str(entry.before) + str(entry.after) + entry.reason


def test_saving_a_user_without_an_access_change_writes_no_entry(client, mfa_off):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    user = UserFactory(email="eva@example.com", name="Eva Example")
    client.force_login(admin_user)

    response = client.post(reverse("admin:users_user_change", args=[user.pk]), _form(user, name="Eva Renamed"))

    assert response.status_code == 302
    assert not AuditEntry.objects.filter(object_type="users.user").exists()
