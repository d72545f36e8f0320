from django.contrib import admin

from dxmonitor.core.admin import AuditedAdmin
from dxmonitor.indicators.models import Indicator, IndicatorDefinition, Observation, ReportingRound, Target


class DefinitionInline(admin.TabularInline):
    model = IndicatorDefinition
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "group", "unit", "frequency"]
    list_filter = ["group"]
    search_fields = ["code", "name"]
    inlines = [DefinitionInline]


@admin.register(Target)
class TargetAdmin(AuditedAdmin):
    list_display = ["indicator", "agency", "period", "comparator", "value"]
    autocomplete_fields = ["indicator", "agency"]


@admin.register(Observation)
class ObservationAdmin(AuditedAdmin):
    list_display = ["indicator", "agency", "period", "value", "source", "state"]
    list_filter = ["source", "state"]
    autocomplete_fields = ["indicator", "agency"]


@admin.register(ReportingRound)
class ReportingRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "period", "due_date"]
