import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView

from tracker.apis.base import TrackerApiMixin, require_role
from tracker.models import AuditAction, AuditEvent, User
from tracker.selectors import audit_events_visible
from tracker.serializers import AuditEventSerializer


class AuditEventFilter(django_filters.FilterSet):
    patient = django_filters.UUIDFilter(field_name="patient__public_id", label="Patient id")
    action = django_filters.ChoiceFilter(choices=AuditAction.choices)
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")

    class Meta:
        model = AuditEvent
        fields: list = []


class AuditEventListApi(TrackerApiMixin, GenericAPIView):
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilter

    def get_queryset(self):
        return audit_events_visible(user=self.request.user)

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
