from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from dxmonitor.accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "agency", "is_active"]
    list_filter = ["role", "is_active"]
    autocomplete_fields = ["agency"]
    fieldsets = [*BaseUserAdmin.fieldsets, (_("Role"), {"fields": ["role", "agency"]})]
    add_fieldsets = [*BaseUserAdmin.add_fieldsets, (_("Role"), {"fields": ["role", "agency"]})]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "prefix", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False
