from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from tracker.models import Clinic, User


@transaction.atomic
def therapist_create(
    *, username: str, password: str, clinic_name: str = "", email: str = ""
) -> tuple[User, bool]:
    """Create a therapist, or bring an existing one's password and clinic up to date.

    Idempotent so operators and acceptance scripts can run it on every deploy.
    """
    clinic = Clinic.objects.get_or_create(name=clinic_name)[0] if clinic_name else None
    user = get_user_model().objects.filter(username=username).first()
    created = user is None
    if user is None:
        user = User(username=username, role=User.Role.THERAPIST)
    elif user.role != User.Role.THERAPIST:
        raise ValidationError({"username": f"{username!r} already exists with role {user.role!r}."})
    user.set_password(password)
    if clinic is not None:
        user.clinic = clinic
    if email:
        user.email = email
    user.full_clean(exclude=["password"])
    user.save()
    return user, created
