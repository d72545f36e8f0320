from django.contrib import admin

from dxmonitor.agencies.models import Agency, AgencyAlias, Succession


class AliasInline(admin.TabularInline):
    model = AgencyAlias
    fields = ["alias"]
    extra = 0


class SuccessionInline(admin.TabularInline):
    model = Succession
    fk_name = "predecessor"
    autocomplete_fields = ["successor"]
    extra = 0


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["code", "name", "short_name", "aliases__alias"]
    autocomplete_fields = ["parent"]
    inlines = [AliasInline, SuccessionInline]

    def save_formset(self, request, form, formset, change):
        from dxmonitor.agencies.matching import normalize
        from dxmonitor.agencies.services import matcher

        for alias in formset.save(commit=False):
            if isinstance(alias, AgencyAlias):
                alias.key = normalize(alias.alias)
            alias.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()
        matcher.cache_clear()
