"""The type reminders gives a person: the project's user model, named without importing it.

Reminders is the lower layer and knows people only through ``settings.AUTH_USER_MODEL``. For the
type checker, django-stubs resolves ``_User`` to that model; at run time the annotations name
Django's abstract base user, which every user model is.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import _User as User
else:
    from django.contrib.auth.base_user import AbstractBaseUser as User

__all__ = ["User"]
