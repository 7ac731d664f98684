from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from tracker.models import (
    AuditEvent,
    CheckIn,
    Clinic,
    PatientProfile,
    ProgrammeAssignment,
    SessionLog,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "role", "clinic", "email", "is_active"]
    list_filter = ["role", "clinic", "is_active"]
    fieldsets = [*(BaseUserAdmin.fieldsets or ()), ("Role", {"fields": ["role", "clinic"]})]


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "phone", "emergency_number", "created_at"]
    search_fields = ["name"]


class _ReadOnlyAdmin(admin.ModelAdmin):
    """Health records and the audit trail change through the services only (validation, audit)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PatientProfile)
class PatientProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "user", "clinic", "language", "timezone", "created_at"]
    list_filter = ["clinic", "language"]
    search_fields = ["display_name", "user__username"]
    raw_id_fields = ["user"]


@admin.register(CheckIn)
class CheckInAdmin(_ReadOnlyAdmin):
    list_display = ["patient", "date", "back_pain", "leg_pain", "numbness", "bowel_bladder_change"]
    list_filter = ["date", "bowel_bladder_change", "saddle_numbness"]
    search_fields = ["patient__username"]


@admin.register(SessionLog)
class SessionLogAdmin(_ReadOnlyAdmin):
    list_display = ["patient", "exercise", "performed_on", "sets", "reps", "minutes"]
    search_fields = ["patient__username"]


@admin.register(ProgrammeAssignment)
class ProgrammeAssignmentAdmin(_ReadOnlyAdmin):
    list_display = ["patient", "version", "is_current", "template", "starts_on", "created_by"]
    search_fields = ["patient__username"]


@admin.register(AuditEvent)
class AuditEventAdmin(_ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "object_type", "patient", "clinic"]
    list_filter = ["action", "object_type", "clinic"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
