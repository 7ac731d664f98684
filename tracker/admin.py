from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from tracker.models import Clinic, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "role", "clinic", "email", "is_active"]
    list_filter = ["role", "clinic", "is_active"]
    fieldsets = [*BaseUserAdmin.fieldsets, ("Role", {"fields": ["role", "clinic"]})]


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]
