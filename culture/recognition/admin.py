"""Admin for recognition: stories are read and corrected here; every change is audited."""

from django.contrib import admin

from core.admin import AuditedModelAdmin

from ..models import Recognition


@admin.register(Recognition)
class RecognitionAdmin(AuditedModelAdmin):
    list_display = ["person", "team", "value", "kpi", "is_board_pick", "created_at"]
    list_filter = ["is_board_pick", "value", "team"]
    search_fields = ["person__name", "story"]
    raw_id_fields = ["person", "team", "given_by", "kpi"]
