"""Records-system keys in the admin (supervisors): make one (the key is shown once, in
the message after saving), see when each was last used, revoke. The hash is never shown
or edited. Loaded by the autodiscovery hook, reports.admin."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from reports.models import ApiKey
from reports.rms import keys


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "created_at", "created_by", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("name", "=prefix")
    fields = ("name", "prefix", "created_by", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "created_by", "created_at", "last_used_at", "revoked_at")
    actions = ("revoke",)

    def has_delete_permission(self, request, obj=None):
        # Revoked keys stay listed: the audit log names them.
        return False

    def save_model(self, request, obj, form, change):
        if change:
            keys.api_key_save_existing(api_key=obj, actor=request.user)
            return
        made, key = keys.api_key_create(name=obj.name, created_by=request.user)
        obj.pk = made.pk
        obj.__dict__.update(
            {f.attname: getattr(made, f.attname) for f in ApiKey._meta.concrete_fields}
        )
        self.message_user(
            request,
            _(
                "The key for %(name)s is: %(key)s — copy it now into the records system. "
                "It is shown only this once; if it is lost, revoke it and make a new one."
            )
            % {"name": made.name, "key": key},
            messages.WARNING,
        )

    @admin.action(description=_("Revoke the selected keys"), permissions=["change"])
    def revoke(self, request, queryset):
        count = 0
        for api_key in queryset.filter(revoked_at=None):
            keys.api_key_revoke(api_key=api_key, actor=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d key revoked.", "%(count)d keys revoked.", count) % {"count": count},
            messages.SUCCESS,
        )
