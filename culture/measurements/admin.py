"""Admin for what the import wizard remembers: team aliases and saved column presets (audited)."""

from django.contrib import admin

from core.admin import AuditedModelAdmin

from ..models import ImportPreset, TeamAlias


@admin.register(TeamAlias)
class TeamAliasAdmin(AuditedModelAdmin):
    list_display = ["alias", "team"]
    search_fields = ["alias", "team__name", "team__slug"]
    autocomplete_fields = ["team"]


@admin.register(ImportPreset)
class ImportPresetAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "decimal", "date_order", "encoding", "created_by", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name"]
    raw_id_fields = ["created_by"]
