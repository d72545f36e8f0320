from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dxmonitor.core import audit
from dxmonitor.core.models import AuditEntry

admin.site.site_header = _("dxmonitor administration")
admin.site.site_title = "dxmonitor"
admin.site.index_title = _("Secretariat")


class AuditedAdmin(admin.ModelAdmin):
    """Edits made in the admin leave the same audit trail as edits made through the services."""

    def save_model(self, request, obj, form, change):
        before = audit.snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        obj.modified_by = request.user
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        action = AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE
        audit.record(obj, request.user, action, before, audit.snapshot(obj))

    def delete_model(self, request, obj):
        audit.record(obj, request.user, AuditEntry.Action.DELETE, audit.snapshot(obj), None)
        super().delete_model(request, obj)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "content_type", "object_id", "action", "actor"]
    list_filter = ["content_type", "action"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
