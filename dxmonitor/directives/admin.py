from django.contrib import admin

from dxmonitor.core.admin import AuditedAdmin
from dxmonitor.directives.models import Document, ProgressReport, Session, Task, TaskAgency


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "number", "date"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "number", "date", "state", "is_sample"]
    list_filter = ["kind", "state"]
    search_fields = ["title", "number"]
    exclude = ["sha256"]


class TaskAgencyInline(admin.TabularInline):
    model = TaskAgency
    autocomplete_fields = ["agency"]
    extra = 0


@admin.register(Task)
class TaskAdmin(AuditedAdmin):
    list_display = ["clause", "text", "deadline", "completed_on", "document"]
    list_filter = ["document"]
    search_fields = ["text", "clause"]
    inlines = [TaskAgencyInline]


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["task", "agency", "completion", "reported_on", "review"]
