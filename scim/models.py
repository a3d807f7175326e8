"""SCIM bearer tokens: stored as a SHA-256 digest, shown once when created, valid for /scim/v2/ only."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "scim_"  # noqa: S105 - a public marker that tells a SCIM token from an API token


def digest(token: str) -> str:
    """The stored form of a token. A random 256-bit token needs no salt or slow hash: it cannot be guessed."""
    return hashlib.sha256(token.encode()).hexdigest()


class ScimTokenQuerySet(models.QuerySet["ScimToken"]):
    def authenticate(self, token: str) -> ScimToken | None:
        """The active token with this value (not revoked, not expired), or None."""
        if not token.startswith(TOKEN_PREFIX):
            return None
        return self.filter(digest=digest(token), revoked_at__isnull=True, expires_at__gt=timezone.now()).first()


class ScimToken(models.Model):
    """A provisioning client's credential (one per identity provider, e.g. "Entra ID")."""

    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("prefix"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), editable=False)

    objects = ScimTokenQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("SCIM token")
        verbose_name_plural = _("SCIM tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, name: str, lifetime: dt.timedelta | None = None) -> tuple[ScimToken, str]:
        """A new token and its value; the value is never stored, so this is the only time it can be read."""
        value = TOKEN_PREFIX + secrets.token_urlsafe(32)
        lifetime = lifetime or dt.timedelta(days=settings.CENTRIC_SCIM_TOKEN_LIFETIME_DAYS)
        token = cls.objects.create(
            name=name,
            digest=digest(value),
            prefix=value[: len(TOKEN_PREFIX) + 4],
            expires_at=timezone.now() + lifetime,
        )
        return token, value

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])
