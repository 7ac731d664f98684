"""A signed-in patient reads every page in the language of their profile (issue 9).

LocaleMiddleware has already chosen a language from the cookie or the browser's Accept-Language;
for a patient the profile's choice wins, so pages, notes, advice and reminders agree. Staff and
visitors keep LocaleMiddleware's choice. The API does the same after its own authentication
(tracker.apis.base), since token-authenticated requests are anonymous here.
"""

from django.utils import translation

from tracker.selectors.patient_app import patient_profile_for


class PatientLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_patient:
            # Kept on the request: the patient pages use it (one query, clinic included).
            profile = patient_profile_for(user=user)
            request.patient_profile = profile
            if profile is not None:
                translation.activate(profile.language)
                request.LANGUAGE_CODE = profile.language
        return self.get_response(request)
