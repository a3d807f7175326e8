"""API tokens: created (key shown once), revoked and checked here, every change audited."""

from __future__ import annotations

import datetime as dt
import secrets

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.audit import record

from .models import ApiToken, User

KEY_BYTES = 30  # 40 URL-safe characters


def needs_second_factor_first(user: User) -> bool:
    """A privileged role (CCO, HR, admin) gets a token only once it has a second factor."""
    return bool(settings.CENTRIC_REQUIRE_MFA and user.needs_mfa and not is_mfa_enabled(user))


def issue(
    user: User, *, name: str, scope: str = ApiToken.Scope.API, lifetime: dt.timedelta | None = None
) -> tuple[ApiToken, str]:
    """A new token row and its key. No checks, no audit: for create_token, migrations and test fixtures."""
    key = secrets.token_urlsafe(KEY_BYTES)
    lifetime = lifetime or dt.timedelta(days=settings.CENTRIC_API_TOKEN_LIFETIME_DAYS)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        scope=scope,
        key_hash=ApiToken.hash_key(key),
        prefix=key[:8],
        expires_at=timezone.now() + lifetime,
    )
    return token, key


def create_token(
    user: User, *, name: str, actor: User, scope: str = ApiToken.Scope.API, lifetime: dt.timedelta | None = None
) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns it with the key, which is never stored and cannot be shown again."""
    if needs_second_factor_first(user):
        raise PermissionDenied(
            gettext("Your role requires two-factor authentication: set it up before creating a token.")
        )
    with transaction.atomic():
        token, key = issue(user, name=name, scope=scope, lifetime=lifetime)
        record(
            actor=actor,
            action="api_token.create",
            obj=token,
            after={"user": user.pk, "scope": scope, "expires_at": token.expires_at},
        )
    return token, key


def revoke_token(token: ApiToken, *, actor: User) -> None:
    """Revoke a token (its owner or an administrator); revoking twice changes nothing."""
    if actor.pk != token.user_id and not actor.has_perm("users.change_apitoken"):
        raise PermissionDenied(gettext("Only the token's owner or an administrator may revoke it."))
    if token.revoked_at is not None:
        return
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(
            actor=actor,
            action="api_token.revoke",
            obj=token,
            before={"revoked_at": None},
            after={"revoked_at": token.revoked_at},
        )


def authenticate_key(key: str, *, scope: str = ApiToken.Scope.API) -> ApiToken | None:
    """The usable token with this key, or None; marks it used (at most once a minute, to spare writes)."""
    token = ApiToken.objects.usable(scope=scope).select_related("user").filter(key_hash=ApiToken.hash_key(key)).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
