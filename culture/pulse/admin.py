"""Admin for the pulse question library: questions of a draft version are edited here; a published version is
read-only, and changes through "new draft version" (a copy) then "publish". Answers have no admin at all: the
only read of them is the aggregated, thresholded results page."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin import AuditedModelAdmin
from core.forms import error_text

from ..models import PulseLibraryVersion, PulseQuestion
from .services import new_library_version, publish_library_version


class PulseQuestionInline(admin.TabularInline):
    model = PulseQuestion
    extra = 0
    fields = ["order", "key", "kind", "text"]

    def _is_draft(self, obj) -> bool:
        return obj is None or not obj.is_published

    def has_add_permission(self, request, obj=None):
        return self._is_draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._is_draft(obj) and super().has_delete_permission(request, obj)


@admin.register(PulseLibraryVersion)
class PulseLibraryVersionAdmin(AuditedModelAdmin):
    list_display = ["number", "status", "published_at", "created_at"]
    list_filter = ["status"]
    readonly_fields = ["number", "status", "published_at", "created_at"]
    inlines = [PulseQuestionInline]
    actions = ["publish", "copy_as_draft"]

    def has_add_permission(self, request):
        return False  # a version starts as the standard library or as a copy (the actions)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Publish the selected draft"))
    def publish(self, request, queryset):
        for version in queryset:
            try:
                publish_library_version(actor=request.user, version=version)
            except ValidationError as error:
                self.message_user(request, error_text(error), messages.ERROR)

    @admin.action(description=_("Copy into a new draft version"))
    def copy_as_draft(self, request, queryset):
        for version in queryset[:1]:
            draft = new_library_version(actor=request.user, version=version)
            self.message_user(request, _("Draft version %(number)s is open.") % {"number": draft.number})
