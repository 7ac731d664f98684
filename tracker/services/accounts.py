from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from tracker.models import Clinic, User


def _staff_upsert(
    *, role: str, username: str, password: str, clinic_name: str, email: str
) -> tuple[User, bool]:
    clinic = Clinic.objects.get_or_create(name=clinic_name)[0] if clinic_name else None
    user = get_user_model().objects.filter(username=username).first()
    created = user is None
    if user is None:
        user = User(username=username, role=role)
    elif user.role != role:
        raise ValidationError({"username": f"{username!r} already exists with role {user.role!r}."})
    user.set_password(password)
    if clinic is not None:
        user.clinic = clinic
    if email:
        user.email = email
    user.full_clean(exclude=["password"])
    user.save()
    return user, created


@transaction.atomic
def therapist_create(
    *, username: str, password: str, clinic_name: str = "", email: str = ""
) -> tuple[User, bool]:
    """Create a therapist, or bring an existing one's password and clinic up to date.

    Idempotent so operators and acceptance scripts can run it on every deploy.
    """
    return _staff_upsert(
        role=User.Role.THERAPIST,
        username=username,
        password=password,
        clinic_name=clinic_name,
        email=email,
    )


@transaction.atomic
def clinic_admin_create(
    *, username: str, password: str, clinic_name: str, email: str = ""
) -> tuple[User, bool]:
    """Create a clinic admin (reads their clinic's patients and its audit trail), or bring an
    existing one's password and clinic up to date. A clinic admin always has a clinic."""
    if not clinic_name.strip():
        raise ValidationError({"clinic": "A clinic admin needs a clinic."})
    return _staff_upsert(
        role=User.Role.CLINIC_ADMIN,
        username=username,
        password=password,
        clinic_name=clinic_name.strip(),
        email=email,
    )
