import uuid
from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken

# CLINICAL.md §6: the emergency number is a clinic setting with a default by the clinic's country.
EU_COUNTRIES = [
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
]
EMERGENCY_NUMBERS = {
    "CN": "120",
    "US": "911",
    "CA": "911",
    "GB": "999",
    **dict.fromkeys(EU_COUNTRIES, "112"),
}


class Country(models.TextChoices):
    """Countries whose emergency number the product knows (ISO 3166-1 alpha-2)."""

    CN = "CN", _("China")
    US = "US", _("United States")
    CA = "CA", _("Canada")
    GB = "GB", _("United Kingdom")
    AT = "AT", _("Austria")
    BE = "BE", _("Belgium")
    BG = "BG", _("Bulgaria")
    HR = "HR", _("Croatia")
    CY = "CY", _("Cyprus")
    CZ = "CZ", _("Czechia")
    DK = "DK", _("Denmark")
    EE = "EE", _("Estonia")
    FI = "FI", _("Finland")
    FR = "FR", _("France")
    DE = "DE", _("Germany")
    GR = "GR", _("Greece")
    HU = "HU", _("Hungary")
    IE = "IE", _("Ireland")
    IT = "IT", _("Italy")
    LV = "LV", _("Latvia")
    LT = "LT", _("Lithuania")
    LU = "LU", _("Luxembourg")
    MT = "MT", _("Malta")
    NL = "NL", _("Netherlands")
    PL = "PL", _("Poland")
    PT = "PT", _("Portugal")
    RO = "RO", _("Romania")
    SK = "SK", _("Slovakia")
    SI = "SI", _("Slovenia")
    ES = "ES", _("Spain")
    SE = "SE", _("Sweden")


# Digits, spaces, brackets, dashes and a leading +: what a tel: link can dial.
phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()\-]{1,28}$", _("A phone number: digits, spaces, dashes, a leading +.")
)


class Clinic(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    country = models.CharField(
        _("country"), max_length=2, choices=Country.choices, default=Country.CN
    )
    phone = models.CharField(
        _("clinic phone"),
        max_length=30,
        blank=True,
        validators=[phone_validator],
        help_text=_("Shown to patients as a tap-to-call button."),
    )
    emergency_number = models.CharField(
        _("emergency number"),
        max_length=30,
        blank=True,
        validators=[phone_validator],
        help_text=_("Leave empty to use the country's (China 120, US/Canada 911, EU 112, UK 999)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("clinic")
        verbose_name_plural = _("clinics")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(country__in=Country.values), name="clinic_country_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def effective_emergency_number(self) -> str:
        """The clinic's own emergency number, else its country's (CLINICAL.md §6)."""
        return self.emergency_number or EMERGENCY_NUMBERS[self.country]


class UserManager(DjangoUserManager["User"]):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # `createsuperuser` makes an operator, never a patient: a clinic admin of no clinic,
        # who sees no patient (a clinic's admin is made with `create_clinic_admin`).
        extra_fields.setdefault("role", User.Role.CLINIC_ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """Everyone who signs in. The role decides which pages and records they may see."""

    class Role(models.TextChoices):
        PATIENT = "patient", _("Patient")
        THERAPIST = "therapist", _("Therapist")
        CLINIC_ADMIN = "clinic_admin", _("Clinic admin")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PATIENT)
    clinic = models.ForeignKey(
        Clinic,
        verbose_name=_("clinic"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )

    objects: ClassVar[UserManager] = UserManager()

    class Meta(AbstractUser.Meta):  # type: ignore[name-defined]  # the stubs omit it
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["patient", "therapist", "clinic_admin"]),
                name="user_role_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(is_superuser=True, role="patient"),
                name="user_superuser_not_patient",
            ),
        ]

    def save(self, *args, **kwargs) -> None:
        # A new password (admin, `changepassword`, the password-change page, erasure) revokes
        # every API token; sessions end by Django's own session hash check.
        password_changed = self.pk is not None and self._password is not None  # type: ignore[attr-defined]  # set by set_password()
        super().save(*args, **kwargs)
        if password_changed:
            AuthToken.objects.filter(user=self).delete()

    @property
    def is_patient(self) -> bool:
        return self.role == self.Role.PATIENT

    @property
    def is_therapist(self) -> bool:
        return self.role == self.Role.THERAPIST

    @property
    def is_clinic_admin(self) -> bool:
        return self.role == self.Role.CLINIC_ADMIN
