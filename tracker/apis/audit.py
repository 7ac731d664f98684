from datetime import UTC

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView

from tracker.apis.base import (
    TrackerApiMixin,
    is_schema_generation,
    request_user,
    require_role,
)
from tracker.models import AuditAction, AuditEvent, User
from tracker.selectors import audit_events_visible
from tracker.serializers import AuditEventSerializer


class _UtcDateTimeField(django_filters.fields.IsoDateTimeField):
    def to_python(self, value):
        value = super().to_python(value)
        try:
            # In UTC now, as the database will have it: 9999-12-31T23:59-14:00 is past year
            # 9999 there and overflowed at query time (a 500, issue 15).
            return value.astimezone(UTC) if value is not None else None
        except OverflowError:
            raise ValidationError(
                gettext("This date and time is out of range."), code="overflow"
            ) from None


class UtcDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = _UtcDateTimeField


class AuditEventFilter(django_filters.FilterSet):
    patient = django_filters.UUIDFilter(field_name="patient__public_id", label="Patient id")
    action = django_filters.ChoiceFilter(choices=AuditAction.choices)
    since = UtcDateTimeFilter(field_name="at", lookup_expr="gte")

    class Meta:
        model = AuditEvent
        fields: list = []


class AuditEventListApi(TrackerApiMixin, GenericAPIView):
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter

    def get_queryset(self) -> QuerySet[AuditEvent]:
        if is_schema_generation(self):
            return AuditEvent.objects.none()
        return audit_events_visible(user=request_user(self.request))

    @extend_schema(
        operation_id="audit_events_list",
        tags=["audit"],
        responses=AuditEventSerializer(many=True),
        description="Clinic admins: who read or changed which patient's record of their "
        "clinic, and when. Newest first.",
    )
    def get(self, request):
        require_role(request.user, User.Role.CLINIC_ADMIN)
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(AuditEventSerializer(page, many=True).data)
