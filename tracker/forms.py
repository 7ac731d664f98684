"""HTML forms of the patient pages. They only parse what a browser posts; the services decide
(the same ones the API calls), and their refusals come back onto these forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from reminders.schedule_values import STAND_UP_MAX_MINUTES, STAND_UP_MIN_MINUTES
from tracker.models import NUMBNESS_AREAS, Difficulty

SCORE_CHOICES = [(n, str(n)) for n in range(11)]
WEEKDAY_CHOICES = [
    (1, pgettext_lazy("weekday, short", "Mon")),
    (2, pgettext_lazy("weekday, short", "Tue")),
    (3, pgettext_lazy("weekday, short", "Wed")),
    (4, pgettext_lazy("weekday, short", "Thu")),
    (5, pgettext_lazy("weekday, short", "Fri")),
    (6, pgettext_lazy("weekday, short", "Sat")),
    (7, pgettext_lazy("weekday, short", "Sun")),
]
CHANNEL_CHOICES = [("push", _("Notifications on this phone")), ("email", _("E-mail"))]


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal onto the form: under the field it names, else at the top."""
    # Services refuse through gettext: their messages are in the page's language already.
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages)


class SessionLogForm(forms.Form):
    item = forms.UUIDField(widget=forms.HiddenInput)
    sets = forms.IntegerField(label=_("Sets"), min_value=0, max_value=1000, required=False)
    reps = forms.IntegerField(label=_("Times"), min_value=0, max_value=10000, required=False)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=0, max_value=24 * 60, required=False)
    pain_during = forms.TypedChoiceField(
        label=_("Pain while doing it (0–10)"),
        choices=[("", "–"), *SCORE_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    difficulty = forms.ChoiceField(
        label=_("How did it feel?"),
        choices=[("", "–"), *Difficulty.choices],
        required=False,
    )

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["item_id"] = data.pop("item")
        return data


class CheckInForm(forms.Form):
    """CLINICAL.md §3. Yes/no questions are ticked only when something is wrong, so the usual
    answer costs no tap; "cannot walk on heels/toes" is stored as can_walk_on_* = False."""

    back_pain = forms.TypedChoiceField(
        label=_("Back pain"), choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    leg_pain = forms.TypedChoiceField(
        label=_("Leg pain"), choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    numbness = forms.TypedChoiceField(
        label=_("Numbness"), choices=SCORE_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    numbness_areas = forms.MultipleChoiceField(
        label=_("Where is the numbness?"),
        choices=[(area, area) for area in NUMBNESS_AREAS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    bowel_bladder_change = forms.BooleanField(required=False)
    saddle_numbness = forms.BooleanField(required=False)
    cannot_walk_on_heels = forms.BooleanField(required=False)
    cannot_walk_on_toes = forms.BooleanField(required=False)
    night_pain = forms.BooleanField(required=False)
    calf_cramps = forms.BooleanField(required=False)
    stopped_walking = forms.BooleanField(required=False)
    walking_minutes = forms.IntegerField(
        label=_("Minutes of walking before your leg made you stop"),
        min_value=0,
        max_value=24 * 60,
        required=False,
    )
    note = forms.CharField(
        label=_("Anything else? (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def answers(self) -> dict:
        data = self.cleaned_data
        return {
            "back_pain": data["back_pain"],
            "leg_pain": data["leg_pain"],
            "numbness": data["numbness"],
            "numbness_areas": data["numbness_areas"],
            "can_walk_on_heels": not data["cannot_walk_on_heels"],
            "can_walk_on_toes": not data["cannot_walk_on_toes"],
            "bowel_bladder_change": data["bowel_bladder_change"],
            "saddle_numbness": data["saddle_numbness"],
            "night_pain": data["night_pain"],
            "calf_cramps": data["calf_cramps"],
            "stopped_walking": data["stopped_walking"],
            "walking_minutes": data["walking_minutes"],
            "note": data["note"],
        }

    @classmethod
    def initial_from(cls, checkin) -> dict:
        initial = checkin.answers()
        initial["cannot_walk_on_heels"] = not initial.pop("can_walk_on_heels")
        initial["cannot_walk_on_toes"] = not initial.pop("can_walk_on_toes")
        return initial


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class StandUpForm(forms.Form):
    """The stand-up reminder (CLINICAL.md §5): every 30-40 minutes of active hours."""

    is_enabled = forms.BooleanField(label=_("Remind me to stand up"), required=False)
    interval_minutes = forms.IntegerField(
        label=_("Every how many minutes of sitting"),
        min_value=STAND_UP_MIN_MINUTES,
        max_value=STAND_UP_MAX_MINUTES,
        widget=forms.NumberInput(attrs={"step": 1, "inputmode": "numeric"}),
    )
    active_from = forms.TimeField(label=_("From"), widget=TimeInput)
    active_until = forms.TimeField(label=_("Until"), widget=TimeInput)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("On these days"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    quiet_from = forms.TimeField(label=_("Quiet from"), required=False, widget=TimeInput)
    quiet_until = forms.TimeField(label=_("Quiet until"), required=False, widget=TimeInput)
    channels = forms.MultipleChoiceField(
        label=_("How to remind me"),
        choices=CHANNEL_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    @classmethod
    def initial_from(cls, schedule) -> dict:
        return {name: getattr(schedule, name) for name in cls.base_fields}

    def schedule_fields(self) -> dict:
        return dict(self.cleaned_data)


class CheckInReminderForm(forms.Form):
    checkin_enabled = forms.BooleanField(label=_("Remind me to check in every day"), required=False)
    checkin_time = forms.TimeField(label=_("At"), widget=TimeInput)

    @classmethod
    def initial_from(cls, schedule) -> dict:
        times = schedule.times_of_day or ["20:00"]
        return {"checkin_enabled": schedule.is_enabled, "checkin_time": times[0]}

    def schedule_fields(self) -> dict:
        return {
            "is_enabled": self.cleaned_data["checkin_enabled"],
            "times_of_day": [self.cleaned_data["checkin_time"].strftime("%H:%M")],
        }
