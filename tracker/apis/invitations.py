"""Invitations on the API (issue 10): a therapist (re-)invites their patient, a clinic admin
invites a therapist, both list and withdraw what they sent; the invitee accepts anonymously
(throttled per client address). Not idempotent-replayed: a stored reply would keep the link and
code in the database."""

from django.db.models import QuerySet
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, Throttled
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.apis.base import (
    TrackerApiMixin,
    is_schema_generation,
    request_user,
    require_role,
)
from tracker.models import Invitation, InvitationKind, User
from tracker.selectors import patient_get
from tracker.selectors.invitations import invitation_get, invitations_visible
from tracker.serializers.invitations import (
    InvitationAcceptedSerializer,
    InvitationAcceptInputSerializer,
    InvitationSerializer,
    IssuedInvitationSerializer,
    TherapistInviteInputSerializer,
)
from tracker.services.audit import audit_record_reads
from tracker.services.auth import client_address
from tracker.services.invitation_guesses import GuessesThrottled
from tracker.services.invitations import (
    InvitationUnusable,
    IssuedInvitation,
    invitation_accept,
    invitation_find,
    invitation_revoke,
    patient_invitation_resend,
    therapist_invite,
)

NOT_YOURS = OpenApiResponse(description="No such patient or invitation among those you may see.")


class Gone(NotFound):
    status_code = status.HTTP_410_GONE
    default_detail = gettext_lazy("This invitation has expired, been used or been replaced.")


def _issued(issued: IssuedInvitation) -> dict:
    data = IssuedInvitationSerializer(issued.invitation).data
    return {**data, "url": issued.url, "code": issued.code_display}


class PatientInvitationApi(TrackerApiMixin, APIView):
    @extend_schema(
        operation_id="patients_invitation_create",
        tags=["invitations"],
        request=None,
        responses={201: IssuedInvitationSerializer, 404: NOT_YOURS},
        description="A therapist on the care team sends the patient a new invitation (a one-time "
        "link and a short code, valid 7 days; e-mailed if the patient has an address). Any "
        "earlier link and code stop working. Refused (400) once the patient has set up their "
        "account. The link and code are in this answer only.",
    )
    def post(self, request, patient_id):
        profile = patient_get(user=request.user, patient_id=patient_id)
        require_role(request.user, User.Role.THERAPIST)
        issued = patient_invitation_resend(profile=profile, therapist=request.user)
        return Response(_issued(issued), status=status.HTTP_201_CREATED)


class InvitationListCreateApi(TrackerApiMixin, GenericAPIView):
    serializer_class = InvitationSerializer

    def get_queryset(self) -> QuerySet[Invitation]:
        if is_schema_generation(self):
            return Invitation.objects.none()
        return invitations_visible(user=request_user(self.request)).order_by("-created_at", "pk")

    @extend_schema(
        operation_id="invitations_list",
        tags=["invitations"],
        responses=InvitationSerializer(many=True),
        description="Therapists: their patients' invitations. Clinic admins: every invitation "
        "of their clinic. Never the link or the code.",
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        profiles = [
            i.user.patient_profile
            for i in page or []
            if i.kind == InvitationKind.PATIENT and i.user is not None
        ]
        audit_record_reads(actor=request.user, profiles=profiles, object_type="invitation")
        return self.get_paginated_response(InvitationSerializer(page, many=True).data)

    @extend_schema(
        operation_id="invitations_therapist_create",
        tags=["invitations"],
        request=TherapistInviteInputSerializer,
        responses={201: IssuedInvitationSerializer},
        description="A clinic admin invites a therapist to their clinic; accepting makes a "
        "therapist account there. The link and code are in this answer only.",
    )
    def post(self, request):
        require_role(request.user, User.Role.CLINIC_ADMIN)
        serializer = TherapistInviteInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        issued = therapist_invite(admin=request.user, **serializer.validated_data)
        return Response(_issued(issued), status=status.HTTP_201_CREATED)


class InvitationRevokeApi(TrackerApiMixin, APIView):
    @extend_schema(
        operation_id="invitations_revoke",
        tags=["invitations"],
        request=None,
        responses={200: InvitationSerializer, 404: NOT_YOURS},
        description="Withdraw an invitation: its link and code stop working. A therapist "
        "withdraws their patients' invitations, a clinic admin the clinic's therapist "
        "invitations. An accepted invitation cannot be withdrawn (400).",
    )
    def post(self, request, invitation_id):
        invitation: Invitation = invitation_get(user=request.user, invitation_id=invitation_id)
        if invitation.kind == InvitationKind.PATIENT:
            require_role(request.user, User.Role.THERAPIST)
        else:
            require_role(request.user, User.Role.CLINIC_ADMIN)
        invitation = invitation_revoke(invitation=invitation, actor=request.user)
        return Response(InvitationSerializer(invitation).data)


class InvitationAcceptApi(TrackerApiMixin, APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="invitations_accept",
        tags=["invitations"],
        auth=[],
        request=InvitationAcceptInputSerializer,
        responses={
            200: InvitationAcceptedSerializer,
            404: OpenApiResponse(description="No invitation has this token or code."),
            410: OpenApiResponse(description="The invitation expired, was used or replaced."),
            429: OpenApiResponse(
                description="Too many unknown tokens or codes from this address: wait the "
                "seconds that `Retry-After` says."
            ),
        },
        description="The invitee chooses their username and password (Django's password "
        "rules) with the link's token or the short code. Works once: of two at the same time, "
        "one succeeds and the other is told 410. Then sign in with `auth/token/`.",
    )
    def post(self, request):
        serializer = InvitationAcceptInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            invitation = invitation_find(
                address=client_address(request._request),
                token=data.get("token", ""),
                code=data.get("code", ""),
            )
            user = invitation_accept(
                invitation=invitation, username=data["username"], password=data["password"]
            )
        except GuessesThrottled as throttled:
            raise Throttled(wait=throttled.wait_seconds) from None
        except InvitationUnusable as unusable:
            if unusable.reason == "unknown":
                raise NotFound(gettext("No invitation has this token or code.")) from None
            raise Gone() from None
        body = {"id": user.public_id, "username": user.username, "role": user.role}
        return Response(InvitationAcceptedSerializer(body).data)
