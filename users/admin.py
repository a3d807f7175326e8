from allauth.account.forms import ResetPasswordForm
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from core.admin import erasure_action
from core.audit import record, snapshot
from core.models import AuditEntry

from .models import ApiToken, User
from .tokens import revoke_token


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "groups"]
    search_fields = ["email", "name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("name", "language")}),
        (_("Roles"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "name", "password1", "password2")}),)
    filter_horizontal = ("groups",)

    actions = ["send_invitation", "deactivate", erasure_action(lambda user: user.email)]

    # Who may do what: every change of these in the admin is audited with before and after (a name or an
    # address is personal data and is not copied into the trail).
    ACCESS_FIELDS = ["is_active", "is_staff", "is_superuser"]

    def _access(self, user: User) -> dict:
        return {**snapshot(user, self.ACCESS_FIELDS), "groups": sorted(user.groups.values_list("name", flat=True))}

    def save_model(self, request, obj, form, change):
        # Groups are saved after the user (save_related), so the entry is written there; the admin's change
        # view runs both in one transaction.
        request._access_before = self._access(User.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before, after = getattr(request, "_access_before", None), self._access(form.instance)
        if before != after:
            action = "admin.change" if change else "admin.add"
            record(actor=request.user, action=action, obj=form.instance, before=before, after=after)

    # Audit entries keep their actor (on_delete=PROTECT): someone who acted is deactivated, never deleted.
    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and AuditEntry.objects.filter(actor=obj).exists():
            return False
        return super().has_delete_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        user = self.get_object(request, object_id)
        if user is not None and AuditEntry.objects.filter(actor=user).exists():
            self.message_user(
                request,
                _("This user has audit history, so they can be deactivated but not deleted."),
                messages.INFO,
            )
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Deactivate (they can no longer log in; their history is kept)"))
    def deactivate(self, request, queryset):
        count = 0
        for user in queryset.filter(is_active=True):
            user.is_active = False
            user.save(update_fields=["is_active"])
            record(
                actor=request.user,
                action="user.deactivate",
                obj=user,
                before={"is_active": True},
                after={"is_active": False},
            )
            count += 1
        self.message_user(request, _("Deactivated %(count)d user(s).") % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Send invitation (a link to set their password)"))
    def send_invitation(self, request, queryset):
        sent = 0
        for user in queryset.filter(is_active=True):
            form = ResetPasswordForm(data={"email": user.email})
            if form.is_valid():
                form.save(request)
                sent += 1
        self.message_user(request, _("Sent %(count)d invitation(s).") % {"count": sent}, messages.SUCCESS)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Administrators see every token (never a key: only its hash is stored) and revoke them."""

    list_display = ["name", "user", "scope", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["scope", "revoked_at"]
    search_fields = ["name", "user__email", "prefix"]
    readonly_fields = ["user", "name", "scope", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]
    actions = ["revoke"]

    def has_add_permission(self, request, obj=None):
        return False  # a key is shown once to its owner, so tokens are created on the owner's page

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted: the audit trail refers to them

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            revoke_token(token, actor=request.user)
        self.message_user(request, _("Revoked %(count)d token(s).") % {"count": len(tokens)}, messages.SUCCESS)
