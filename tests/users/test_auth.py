"""Login goes through allauth: email login, no open signup, MFA for privileged roles, admin behind allauth."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.urls import reverse

from tests.factories import UserFactory
from users.roles import Role

pytestmark = pytest.mark.django_db


def _with_totp(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


def test_login_page_renders_inside_site_layout(client):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="login"' in body
    assert "Centric" in body


def test_user_logs_in_with_email_and_password(client, mfa_off):
    UserFactory(email="ana@example.com", roles=[Role.EMPLOYEE])
    response = client.post(reverse("account_login"), {"login": "ana@example.com", "password": "pw-for-tests-1"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_wrong_password_keeps_email_and_explains(client):
    UserFactory(email="ana@example.com")
    response = client.post(reverse("account_login"), {"login": "ana@example.com", "password": "nope"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "ana@example.com" in body
    assert "not correct" in body


def test_signup_is_closed(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": "Sup3r-secret!", "password2": "Sup3r-secret!"},
    )
    assert response.status_code == 200
    assert "Sign Up Closed" in response.content.decode()
    from users.models import User

    assert not User.objects.filter(email="new@example.com").exists()


def test_failed_logins_are_rate_limited_even_with_the_right_password(client, mfa_off):
    UserFactory(email="ana@example.com")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "ana@example.com", "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": "ana@example.com", "password": "pw-for-tests-1"})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", [Role.CCO, Role.HR, Role.ADMIN])
def test_privileged_role_without_mfa_is_sent_to_totp_setup(client, role):
    user = UserFactory(roles=[role])
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_privileged_user_enrols_totp_after_login_and_then_reaches_the_site(client):
    user = UserFactory(email="chief@example.com", roles=[Role.CCO])
    client.post(reverse("account_login"), {"login": "chief@example.com", "password": "pw-for-tests-1"})
    response = client.get(reverse("home"), follow=True)
    # allauth asks for the password once more before a second factor may be added.
    assert response.redirect_chain[0][0] == reverse("mfa_activate_totp")
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    response = client.post(response.redirect_chain[-1][0], {"password": "pw-for-tests-1"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    secret = client.session[SECRET_SESSION_KEY]
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    client.post(reverse("mfa_activate_totp"), {"code": code})
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("home")).status_code == 200


def test_privileged_role_with_totp_passes(client):
    user = _with_totp(UserFactory(roles=[Role.CCO]))
    client.force_login(user)
    assert client.get(reverse("home")).status_code == 200


def test_second_factor_page_styles_cancel_as_a_link_not_a_second_main_button(client):
    _with_totp(UserFactory(email="chief@example.com", roles=[Role.CCO]))
    response = client.post(reverse("account_login"), {"login": "chief@example.com", "password": "pw-for-tests-1"})
    assert response.url == reverse("mfa_authenticate")
    body = " ".join(client.get(response.url).content.decode().split())
    assert 'class="btn btn-primary" type="submit" > Sign In </button>' in body
    assert 'class="btn btn-link" form="logout-from-stage" type="submit" > Cancel </button>' in body


@pytest.mark.parametrize("role", [Role.LEAD, Role.EMPLOYEE])
def test_unprivileged_roles_need_no_mfa(client, role):
    client.force_login(UserFactory(roles=[role]))
    assert client.get(reverse("home")).status_code == 200


def test_local_demo_setting_turns_enforcement_off(client, settings):
    settings.CENTRIC_REQUIRE_MFA = False
    client.force_login(UserFactory(roles=[Role.CCO]))
    assert client.get(reverse("home")).status_code == 200


def test_admin_login_redirects_to_allauth(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_staff_without_mfa_cannot_open_admin(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_staff_with_mfa_opens_admin(client):
    client.force_login(_with_totp(UserFactory(is_staff=True, is_superuser=True)))
    assert client.get(reverse("admin:index")).status_code == 200


def test_admin_invitation_sends_password_link(client, mailoutbox):
    admin_user = _with_totp(UserFactory(is_staff=True, is_superuser=True))
    invitee = UserFactory(email="invitee@example.com")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:users_user_changelist"), {"action": "send_invitation", "_selected_action": [invitee.pk]}
    )
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["invitee@example.com"]]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_role_groups_carry_their_permissions():
    cco = UserFactory(roles=[Role.CCO])
    employee = UserFactory(roles=[Role.EMPLOYEE])
    assert cco.has_perm("culture.view_person")
    assert not employee.has_perm("culture.add_target")
    assert employee.has_perm("culture.view_team")


def test_second_factor_page_shows_cancel_as_a_link_beside_the_sign_in_button(client):
    _with_totp(UserFactory(email="chief@example.com", roles=[Role.CCO]))
    response = client.post(reverse("account_login"), {"login": "chief@example.com", "password": "pw-for-tests-1"})
    assert response.url == reverse("mfa_authenticate")
    body = " ".join(client.get(response.url).content.decode().split())
    assert '<button class="btn btn-primary" type="submit" > Sign In </button>' in body
    assert '<button class="btn btn-link" form="logout-from-stage" type="submit" > Cancel </button>' in body
