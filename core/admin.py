from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import models, transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from .audit import record, snapshot
from .erasure import ErasureError, erase_person
from .models import AuditEntry, Notification


class ReadOnlyAdminMixin:
    """Records that change only through audited services (or never): the admin shows, never edits."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit trail is append-only."""

    list_display = ["created_at", "actor", "action", "object_type", "object_id", "reason"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "reason"]


def _values(obj: models.Model, masked: frozenset[str]) -> dict[str, Any]:
    """Every concrete field (foreign keys as ids); personal fields only as a marker, so that the audit trail
    holds no personal data and an erasure need not rewrite it."""
    values = snapshot(obj, [field.name for field in obj._meta.concrete_fields])
    return {name: ("(personal data)" if name in masked and value else value) for name, value in values.items()}


def _closed_period(obj: models.Model | None, path: str) -> bool:
    if obj is None or not path:
        return False
    value: Any = obj
    for part in path.split("__"):
        value = getattr(value, part, None)
        if value is None:
            return False
    return bool(value.is_closed)


class AuditedAdminMixin:
    """For every admin of domain data: each add, change and delete (inline rows included) writes an audit
    entry with before and after values; rows of a closed period (`period_path`, e.g. "review__period") can
    be neither changed nor deleted, and a closed period's parent takes no new inline rows."""

    period_path: str = ""
    masked_fields: frozenset[str] = frozenset()  # personal data: e.g. a person's name and email

    def has_change_permission(self, request, obj=None):
        return not _closed_period(obj, self.period_path) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request, obj=None):
        return not _closed_period(obj, self.period_path) and super().has_delete_permission(request, obj)  # type: ignore[misc]

    def save_model(self, request, obj, form, change):
        model = type(obj)
        before = _values(model._default_manager.get(pk=obj.pk), self.masked_fields) if change else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)  # type: ignore[misc]
            action = "change" if change else "add"
            record(
                actor=request.user,
                action=f"admin.{action}",
                obj=obj,
                before=before,
                after=_values(obj, self.masked_fields),
            )

    def delete_model(self, request, obj):
        before = _values(obj, self.masked_fields)
        with transaction.atomic():
            record(actor=request.user, action="admin.delete", obj=obj, before=before)
            super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                record(actor=request.user, action="admin.delete", obj=obj, before=_values(obj, self.masked_fields))
            super().delete_queryset(request, queryset)  # type: ignore[misc]

    def save_formset(self, request, form, formset, change):
        inline_masked = frozenset(self.masked_fields)
        befores = {
            inline_form.instance.pk: _values(
                type(inline_form.instance)._default_manager.get(pk=inline_form.instance.pk), inline_masked
            )
            for inline_form in formset.forms
            if inline_form.instance.pk is not None
        }
        with transaction.atomic():
            super().save_formset(request, form, formset, change)  # type: ignore[misc]
            for obj in formset.deleted_objects:
                record(actor=request.user, action="admin.delete", obj=obj, before=befores.get(obj.pk))
            for obj, _fields in formset.changed_objects:
                record(
                    actor=request.user,
                    action="admin.change",
                    obj=obj,
                    before=befores.get(obj.pk),
                    after=_values(obj, inline_masked),
                )
            for obj in formset.new_objects:
                record(actor=request.user, action="admin.add", obj=obj, after=_values(obj, inline_masked))


class AuditedModelAdmin(AuditedAdminMixin, admin.ModelAdmin):
    pass


class ClosedPeriodInlineMixin:
    """An inline under a parent with a period: read-only once that period is closed (`parent_period_path`)."""

    parent_period_path: str = "period"

    def has_add_permission(self, request, obj=None):
        return not _closed_period(obj, self.parent_period_path) and super().has_add_permission(request, obj)  # type: ignore[misc]

    def has_change_permission(self, request, obj=None):
        return not _closed_period(obj, self.parent_period_path) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request, obj=None):
        return not _closed_period(obj, self.parent_period_path) and super().has_delete_permission(request, obj)  # type: ignore[misc]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """The outbox: what was sent to whom, or why not. Rows change only through core.notifications."""

    list_display = ["created_at", "key", "email", "status", "attempts", "sent_at"]
    list_filter = ["status"]
    search_fields = ["key", "email"]


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why, e.g. the request's reference. Kept in the audit trail."),
        error_messages={"required": _("Say why this person is erased.")},
    )


def erasure_action(email_of: Callable[[Any], str]):
    """An admin action that erases the selected people (core.erasure) after a confirmation page with a reason."""

    @admin.action(description=_("Erase personal data (name and email become a pseudonym)"), permissions=["change"])
    def erase_personal_data(modeladmin, request, queryset):
        objects = list(queryset)
        form = ErasureForm(request.POST if "confirm" in request.POST else None)
        if form.is_bound and form.is_valid():
            done = 0
            for obj in objects:
                try:
                    erase_person(email=email_of(obj), actor=request.user, reason=form.cleaned_data["reason"])
                    done += 1
                except ErasureError as error:
                    modeladmin.message_user(request, str(error), messages.ERROR)
            modeladmin.message_user(
                request, _("Erased %(count)d person(s): they now show as a pseudonym.") % {"count": done}
            )
            return None
        context = {
            **modeladmin.admin_site.each_context(request),
            "title": _("Erase personal data"),
            "objects": objects,
            "form": form,
            "opts": modeladmin.model._meta,
            "action": "erase_personal_data",
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/erase_confirmation.html", context)

    return erase_personal_data
