from django.contrib import admin

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


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """The outbox: what was sent to whom, or why not. Rows change only through core.notifications."""

    list_display = ["created_at", "key", "email", "status", "attempts", "sent_at"]
    list_filter = ["status"]
    search_fields = ["key", "email"]
