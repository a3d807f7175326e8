"""Accounts: an email-identified User whose roles are auth groups (see users.roles)."""

from __future__ import annotations

import hashlib
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .roles import PRIVILEGED_ROLES, Role, group_name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> User:
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who can log in. Identified by email; `name` is how the UI addresses them."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    # Empty means "follow the browser" (cookie, then Accept-Language); see users.middleware.
    language = models.CharField(_("language"), max_length=10, blank=True, default="", choices=settings.LANGUAGES)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # The stubs expect auth's username-based UserManager; ours creates users by email.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email

    @cached_property
    def roles(self) -> frozenset[Role]:
        """The user's roles; superusers count as admin. Cached per request-bound instance."""
        by_name = {group_name(role): role for role in Role}
        found = {by_name[name] for name in self.groups.values_list("name", flat=True) if name in by_name}
        if self.is_superuser:
            found.add(Role.ADMIN)
        return frozenset(found)

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    @property
    def is_executive(self) -> bool:
        """CCO/executive or admin: sees everything in the domain apps."""
        return bool(self.roles & {Role.CCO, Role.ADMIN})

    @property
    def is_recruiter(self) -> bool:
        return Role.HR in self.roles

    @property
    def needs_mfa(self) -> bool:
        """Privileged accounts must enrol a second factor."""
        return bool(self.roles & PRIVILEGED_ROLES) or self.is_staff


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def visible_to(self, user) -> ApiTokenQuerySet:
        """A user's own tokens only: not even an executive sees another person's (admins use the Django admin)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)

    def usable(self, *, scope: str) -> ApiTokenQuerySet:
        """Tokens that authenticate now: not revoked, not expired, of an active user, for `scope`."""
        now = timezone.now()
        return self.filter(scope=scope, revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)


class ApiToken(models.Model):
    """A named, expiring, revocable bearer token. Only the SHA-256 of the key is stored; the key itself
    is shown once, when the token is created (users.tokens.create_token).

    `scope` says what a token opens: "api" the REST API; "scim" is reserved for provisioning, so other
    bearer-token integrations reuse this model (hashing, expiry, revocation, admin) instead of their own."""

    class Scope(models.TextChoices):
        API = "api", _("REST API")
        SCIM = "scim", _("SCIM provisioning")

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.API)
    key_hash = models.CharField(_("key SHA-256"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("key starts with"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
