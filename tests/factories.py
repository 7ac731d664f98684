from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from tracker.models import Clinic, User

PASSWORD = "Correct-horse-42"


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Clinic {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = User.Role.PATIENT
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class TherapistFactory(UserFactory):
    role = User.Role.THERAPIST
    clinic = factory.SubFactory(ClinicFactory)


class ClinicAdminFactory(UserFactory):
    role = User.Role.CLINIC_ADMIN
    clinic = factory.SubFactory(ClinicFactory)


# --- patients and their records (tracker, issue 3) ---


class PatientProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tracker.PatientProfile"
        django_get_or_create = ["user"]

    user = factory.SubFactory(UserFactory)
    display_name = factory.LazyAttribute(lambda profile: profile.user.username.title())
    clinic = None


class CareTeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tracker.CareTeamMember"
        django_get_or_create = ["patient", "therapist"]

    patient = factory.SubFactory(UserFactory)
    therapist = factory.SubFactory(TherapistFactory)


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tracker.CheckIn"

    patient = factory.SubFactory(UserFactory)
    date = factory.LazyFunction(lambda: timezone.localdate(timezone=ZoneInfo("Asia/Shanghai")))
    back_pain = 4
    leg_pain = 5
    numbness = 2


class ExerciseFactory(factory.django.DjangoModelFactory):
    """Catalogue rows come from the exercises migration; this is for one-off test exercises."""

    class Meta:
        model = "exercises.Exercise"
        django_get_or_create = ["key"]

    key = factory.Sequence(lambda n: f"test_exercise_{n}")
    name_zh = factory.LazyAttribute(lambda e: e.key)
    name_en = factory.LazyAttribute(lambda e: e.key)
    instructions_zh = "说明"
    instructions_en = "Instructions"
    category = "core_strength"
    sources = ["003_550b9b7c9cec398b.txt"]


class SessionLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "tracker.SessionLog"

    patient = factory.SubFactory(UserFactory)
    exercise = factory.SubFactory(ExerciseFactory)
    performed_at = factory.LazyFunction(timezone.now)
    performed_on = factory.LazyAttribute(
        lambda s: timezone.localdate(s.performed_at, timezone=ZoneInfo("Asia/Shanghai"))
    )
    sets = 3
    reps = 10
