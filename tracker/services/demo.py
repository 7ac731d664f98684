"""Demo data for `make run`: idempotent, so running it on every start changes nothing twice."""

from dataclasses import dataclass

from django.db import transaction

from tracker.models import Clinic, User

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - published demo login, local runs only


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str


def _account(*, username: str, role: str, clinic: Clinic, email: str) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"role": role, "clinic": clinic, "email": email}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def demo_seed() -> list[DemoLogin]:
    clinic, _ = Clinic.objects.get_or_create(name="演示诊所 Demo Clinic")
    _account(
        username="demo_therapist",
        role=User.Role.THERAPIST,
        clinic=clinic,
        email="therapist@example.com",
    )
    _account(
        username="demo_patient", role=User.Role.PATIENT, clinic=clinic, email="patient@example.com"
    )
    return [
        DemoLogin("therapist", "demo_therapist", DEMO_PASSWORD),
        DemoLogin("patient", "demo_patient", DEMO_PASSWORD),
    ]
