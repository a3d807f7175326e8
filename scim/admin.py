from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.audit import record

from .models import ScimToken


@admin.register(ScimToken)
class ScimTokenAdmin(admin.ModelAdmin):
    """Tokens are issued with `manage.py scim_token create NAME` (the value is printed once); here they are
    listed and revoked. Revoking is an audited action: an editable `revoked` field changed a credential that
    creates logins without a trace in the audit trail (the API tokens' admin works the same way)."""

    list_display = ["name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["name", "prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # revoked, never deleted: the audit trail refers to them

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        tokens = list(queryset.filter(revoked_at__isnull=True))
        with transaction.atomic():
            for token in tokens:
                token.revoke()
                record(
                    actor=request.user,
                    action="scim_token.revoke",
                    obj=token,
                    before={"revoked_at": None},
                    after={"revoked_at": token.revoked_at},
                )
        self.message_user(request, _("Revoked %(count)d token(s).") % {"count": len(tokens)}, messages.SUCCESS)
