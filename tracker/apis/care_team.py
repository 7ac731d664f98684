"""Removing a colleague from a patient's care team (adding is tracker.apis.patients)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.apis.base import TrackerApiMixin, require_role
from tracker.models import User
from tracker.selectors import patient_get, patients_visible
from tracker.serializers import PatientSerializer
from tracker.services.care_team import care_team_remove

NOT_YOURS = OpenApiResponse(description="No such patient among those you may see.")


class PatientCareTeamMemberApi(TrackerApiMixin, APIView):
    @extend_schema(
        operation_id="patients_care_team_remove",
        tags=["patients"],
        request=None,
        responses={
            200: PatientSerializer,
            204: OpenApiResponse(
                description="You removed yourself: the patient is no longer yours."
            ),
            400: OpenApiResponse(
                description="Not on the care team, or the last therapist: nothing was changed."
            ),
            404: NOT_YOURS,
        },
        description="A therapist on the care team removes a colleague (or themselves). The last "
        "therapist cannot be removed (400). Answers the patient as the caller now sees them: "
        "having removed themselves, a therapist gets 404 on the patient from then on.",
    )
    def delete(self, request, patient_id, therapist_id):
        profile = patient_get(user=request.user, patient_id=patient_id)
        require_role(request.user, User.Role.THERAPIST)
        care_team_remove(profile=profile, actor=request.user, therapist_id=therapist_id)
        seen = patients_visible(user=request.user).filter(pk=profile.pk).first()
        if seen is None:
            return Response(status=204)
        return Response(PatientSerializer(seen).data)
