"""Roles are auth groups with a fixed set of permissions; team leadership comes from culture.Membership."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CCO = "cco", _("CCO / executive")
    HR = "hr", _("HR recruiter")
    LEAD = "lead", _("Team lead")
    EMPLOYEE = "employee", _("Employee")
    APPROVER = "approver", _("Compensation approver")
    ADMIN = "admin", _("Administrator")


# Org management and the people sync (pages, API, command): CCO and admin only.
ORG_CHANGE_PERMISSIONS: tuple[str, ...] = (
    "culture.add_department",
    "culture.change_department",
    "culture.add_team",
    "culture.change_team",
    "culture.add_person",
    "culture.change_person",
    "culture.add_membership",
    "culture.change_membership",
)

# Role -> "app_label.codename" permissions. Codenames of models that do not exist yet are ignored,
# so later apps only add to this table.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.CCO: (
        "culture.view_department",
        "culture.view_team",
        "culture.view_recognition",
        "culture.add_recognition",
        "culture.view_person",
        "culture.view_membership",
        "culture.add_importbatch",
        "culture.view_importbatch",
        "culture.add_measurement",
        "culture.change_measurement",
        "culture.add_kpi",
        "culture.change_kpi",
        "culture.view_kpi",
        "culture.view_measurement",
        "culture.add_target",
        "culture.change_target",
        "culture.delete_target",
        "culture.view_target",
        "culture.add_period",
        "culture.change_period",
        "culture.view_period",
        "culture.close_period",
        "culture.view_scorecard",
        "culture.view_scorecardsnapshot",
        "culture.view_review",
        "culture.add_pulse",
        "culture.view_pulse",
        "culture.view_pulseresults",
        "culture.add_pulselibraryversion",
        "culture.change_pulselibraryversion",
        "culture.view_pulselibraryversion",
        "incentives.add_plan",
        "incentives.change_plan",
        "incentives.view_plan",
        "incentives.approve_payoutrun",
        "culture.pick_recognition",
        "incentives.view_payoutrun",
        "incentives.add_payoutrun",
        "incentives.pay_payoutrun",
        "incentives.view_payoutline",
        "incentives.add_adjustment",
        "incentives.view_adjustment",
        "incentives.add_statementdispute",
        "incentives.change_statementdispute",
        "incentives.view_statementdispute",
        "incentives.view_payrollfile",
        "reports.add_generatedreport",
        "reports.view_valuemodel",
        "reports.add_valuemodel",
        "reports.change_valuemodel",
        "reports.view_generatedreport",
        "hiring.view_rubric",
        "hiring.view_position",
        "hiring.view_candidate",
        "hiring.view_application",
        *ORG_CHANGE_PERMISSIONS,
    ),
    Role.HR: (
        "culture.view_team",
        "culture.view_recognition",
        "culture.add_recognition",
        "hiring.add_rubric",
        "hiring.change_rubric",
        "hiring.view_rubric",
        "hiring.add_position",
        "hiring.change_position",
        "hiring.view_position",
        "hiring.add_candidate",
        "hiring.change_candidate",
        "hiring.view_candidate",
        "hiring.add_application",
        "hiring.change_application",
        "hiring.view_application",
        "hiring.add_decision",
    ),
    Role.LEAD: (
        "culture.view_team",
        "culture.view_recognition",
        "culture.add_recognition",
        "culture.view_person",
        "culture.view_kpi",
        "culture.view_period",
        "culture.view_target",
        "culture.add_importbatch",
        "culture.view_importbatch",
        "culture.view_measurement",
        "culture.add_measurement",
        "culture.change_measurement",
        "culture.add_review",
        "culture.change_review",
        "culture.view_review",
        "culture.view_scorecard",
        "culture.view_pulse",
        "culture.view_pulseresults",
        "incentives.view_plan",
        "incentives.view_payoutline",
        "incentives.add_statementdispute",
        "incentives.view_statementdispute",
        "hiring.view_position",
        "hiring.view_candidate",
        "hiring.view_application",
    ),
    Role.EMPLOYEE: (
        "culture.view_team",
        "culture.view_recognition",
        "culture.add_recognition",
        "culture.view_person",
        "culture.view_kpi",
        "culture.view_period",
        "culture.view_scorecard",
        "culture.view_review",
        "incentives.view_plan",
        "incentives.view_payoutline",
        "incentives.add_statementdispute",
        "incentives.view_statementdispute",
    ),
    # Finance: reads every run, statement and approval pack, approves runs and adjustments it had no hand
    # in, marks runs paid and issues payroll files; never edits plans (no add/change_plan).
    Role.APPROVER: (
        "culture.view_team",
        "culture.view_person",
        "culture.view_kpi",
        "culture.view_period",
        "incentives.view_plan",
        "incentives.view_payoutrun",
        "incentives.view_payoutline",
        "incentives.approve_payoutrun",
        "incentives.pay_payoutrun",
        "incentives.view_adjustment",
        "incentives.view_payrollfile",
    ),
    Role.ADMIN: (
        "culture.view_department",
        "culture.view_team",
        "culture.view_recognition",
        "culture.add_recognition",
        "culture.view_person",
        "culture.view_membership",
        *ORG_CHANGE_PERMISSIONS,
    ),
}

# Roles whose accounts must have two-factor authentication when CENTRIC_REQUIRE_MFA is on.
PRIVILEGED_ROLES = frozenset({Role.CCO, Role.HR, Role.APPROVER, Role.ADMIN})


def group_name(role: Role | str) -> str:
    """The stored auth group of a role: its English label, whatever language the request reads (a Swedish
    reader's user must still find the group "CCO / executive")."""
    with translation.override("en"):
        return str(Role(role).label)


def sync_role_groups(**kwargs: Any) -> None:
    """Create or update one group per role with exactly its permissions."""
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=group_name(role))
        wanted: list[Permission] = []
        for dotted in perms:
            app_label, codename = dotted.split(".", 1)
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)
