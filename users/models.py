"""Accounts: an email-identified User whose roles are auth groups (see users.roles)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
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
