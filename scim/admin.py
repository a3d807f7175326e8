from django.contrib import admin

from .models import ScimToken


@admin.register(ScimToken)
class ScimTokenAdmin(admin.ModelAdmin):
    """Tokens are issued with `manage.py scim_token create NAME` (the value is printed once); here they are
    listed and revoked."""

    list_display = ["name", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["name", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request) -> bool:
        return False
