"""The language switcher (/i18n/setlang/): for a signed-in patient it changes the profile too,
so reminders, e-mails, flag advice and API answers follow the page (issue 9)."""

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from tracker.selectors.patient_app import patient_profile_for
from tracker.services.patients import patient_update


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language (validates the code and the `next` URL, sets the cookie), and for a
    patient the profile's language, which their reminder schedules follow."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return response
    user = request.user
    if not user.is_authenticated:
        return response
    profile = patient_profile_for(user=user)
    if profile is not None and profile.language != language:
        patient_update(profile=profile, actor=user, language=language)
        with translation.override(language):
            messages.success(request, _("Language changed. Your reminders follow it too."))
    return response
