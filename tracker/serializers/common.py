"""What the API's serializers share."""

from reminders.serializers import StrictIntegerField


def score_field(**kwargs) -> StrictIntegerField:
    return StrictIntegerField(min_value=0, max_value=10, **kwargs)
