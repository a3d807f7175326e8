"""The organisation: departments (a tree), teams, people and their dated team memberships."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _today() -> dt.date:
    return timezone.localdate()


@dataclass(frozen=True)
class DepartmentTree:
    """The department tree as an id map (department -> parent), walked in memory: the one tree walk.

    Trees are shallow and small, so one query for the whole map beats a query per level; every walk
    guards against a cycle in bad data.
    """

    parents: dict[int, int | None]

    def chain(self, department_id: int) -> list[int]:
        """The department and its ancestors, nearest first."""
        chain, node, seen = [], department_id, set()
        while node is not None and node not in seen:
            seen.add(node)
            chain.append(node)
            node = self.parents.get(node)
        return chain

    def with_ancestors(self, department_ids: Iterable[int]) -> set[int]:
        """The given departments and every department above them."""
        return {node for department in department_ids for node in self.chain(department)}

    def subtree(self, department_ids: Iterable[int]) -> set[int]:
        """The given departments and every department below them."""
        children: dict[int | None, list[int]] = defaultdict(list)
        for department, parent in self.parents.items():
            children[parent].append(department)
        stack, seen = list(department_ids), set()
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(children[node])
        return seen

    def subtrees(self) -> dict[int, set[int]]:
        """Department id -> its own id and the ids of all its sub-departments."""
        result: dict[int, set[int]] = {d: set() for d in self.parents}
        for department in self.parents:
            for node in self.chain(department):
                result.setdefault(node, set()).add(department)
        return result


class DepartmentQuerySet(models.QuerySet["Department"]):
    def tree(self) -> DepartmentTree:
        """The department tree as an id map (one query; from the manager: the whole tree), for walks up or down."""
        return DepartmentTree(dict(self.values_list("pk", "parent_id")))

    def visible_to(self, user) -> DepartmentQuerySet:
        """Departments the user may see: all for executives and recruiters, else those of their teams."""
        if not user.is_authenticated:
            return self.none()
        if user.is_executive or user.is_recruiter:
            return self.all()
        return self.filter(teams__in=Team.objects.visible_to(user)).distinct()


class Department(models.Model):
    """A unit of the company; departments nest (`parent`) and own teams."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Department]:
        """From the root down to (excluding) this department; one query per level, trees are shallow."""
        chain: list[Department] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class TeamQuerySet(models.QuerySet["Team"]):
    def visible_to(self, user) -> TeamQuerySet:
        """Executives and recruiters see every team; anyone else sees the teams they belong to or lead now."""
        if not user.is_authenticated:
            return self.none()
        if user.is_executive or user.is_recruiter:
            return self.all()
        return self.filter(pk__in=Membership.objects.current().filter(person__user=user).values("team_id"))

    def led_by(self, user) -> TeamQuerySet:
        """Teams the user currently leads."""
        if not user.is_authenticated:
            return self.none()
        leads = Membership.objects.current().filter(person__user=user, role=Membership.Role.LEAD)
        return self.filter(pk__in=leads.values("team_id"))


class Team(models.Model):
    """A customer-facing (or supporting) team: the unit KPIs are measured and scored for."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="teams"
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("culture:team_detail", kwargs={"slug": self.slug})


class PersonQuerySet(models.QuerySet["Person"]):
    def visible_to(self, user) -> PersonQuerySet:
        """Executives see everyone; a lead sees the current members of teams they lead; others see themselves."""
        if not user.is_authenticated:
            return self.none()
        if user.is_executive:
            return self.all()
        led = Team.objects.led_by(user)
        return self.filter(
            Q(user=user) | Q(pk__in=Membership.objects.current().filter(team__in=led).values("person_id"))
        )


class Person(models.Model):
    """An employee; `user` links the login when they have one."""

    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("email"), unique=True)
    employee_number = models.CharField(_("employee number"), max_length=30, unique=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("culture:person_detail", kwargs={"pk": self.pk})


def in_force_on(day: dt.date, prefix: str = "") -> Q:
    """The condition "membership in force on `day`"; `prefix` (e.g. "memberships__") for use from a join."""
    return Q(**{f"{prefix}start__lte": day}) & (Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": day}))


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self, on: dt.date | None = None) -> MembershipQuerySet:
        """Memberships in force on a day (today by default)."""
        return self.filter(in_force_on(on or _today()))

    def overlapping(self, start: dt.date, end: dt.date) -> MembershipQuerySet:
        """Memberships in force on at least one day of [start, end]."""
        return self.filter(Q(end__isnull=True) | Q(end__gte=start), start__lte=end)


class Membership(models.Model):
    """A person's place in a team from `start` to `end` (inclusive; open-ended while `end` is empty)."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        LEAD = "lead", _("Lead")

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="memberships")
    team = models.ForeignKey(Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["-start"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="membership_end_after_start",
            ),
            models.UniqueConstraint(fields=["person", "team", "start"], name="membership_unique_start"),
        ]
        indexes = [models.Index(fields=["team", "start", "end"])]

    def __str__(self) -> str:
        return f"{self.person} in {self.team} ({self.get_role_display()})"
