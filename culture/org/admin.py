"""Admin for the org: departments, teams and people with their memberships."""

from django.contrib import admin

from core.admin import AuditedModelAdmin, erasure_action

from ..models import Department, Membership, Person, Team


@admin.register(Department)
class DepartmentAdmin(AuditedModelAdmin):
    list_display = ["name", "slug", "parent", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Team)
class TeamAdmin(AuditedModelAdmin):
    list_display = ["name", "slug", "department", "is_active"]
    list_filter = ["is_active", "department"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["team"]


@admin.register(Person)
class PersonAdmin(AuditedModelAdmin):
    masked_fields = frozenset({"name", "email", "employee_number"})
    list_display = ["name", "email", "employee_number", "is_active", "user"]
    list_filter = ["is_active"]
    search_fields = ["name", "email", "employee_number"]
    raw_id_fields = ["user", "manager"]
    inlines = [MembershipInline]
    actions = [erasure_action(lambda person: person.email)]
