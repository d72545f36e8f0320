from django.contrib import admin

from dxmonitor.events.models import IngestBatch


@admin.register(IngestBatch)
class IngestBatchAdmin(admin.ModelAdmin):
    list_display = [
        "batch",
        "source",
        "created_at",
        "rows",
        "new",
        "replaced",
        "older",
        "quarantined",
        "folded_at",
    ]
    search_fields = ["batch", "source"]
    readonly_fields = [f.name for f in IngestBatch._meta.fields]

    def has_add_permission(self, request):
        return False
