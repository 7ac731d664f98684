"""What the rest of the project calls. Tracker tells reminders what happened through these."""

from reminders.services.delivery import deliveries_send, deliveries_sweep, delivery_send
from reminders.services.dispatch import reminders_dispatch
from reminders.services.erasure import reminders_forget_user
from reminders.services.inbox import inbox_mark_all_read, inbox_message_mark_read
from reminders.services.notifications import (
    digest_item_add,
    digest_items_discard,
    notification_send_now,
)
from reminders.services.schedules import (
    ExerciseReminder,
    activity_recorded,
    checkin_recorded,
    reminder_pause,
    reminder_schedule_defaults,
    reminder_schedule_update,
    reminder_schedule_upsert,
    reminder_schedules_sync_exercises,
    reminder_snooze,
    reminder_user_settings_set,
    stand_up_moved,
)
from reminders.services.subscriptions import (
    EndpointTaken,
    push_subscription_remove,
    push_subscription_save,
)

__all__ = [
    "EndpointTaken",
    "ExerciseReminder",
    "activity_recorded",
    "checkin_recorded",
    "deliveries_send",
    "deliveries_sweep",
    "delivery_send",
    "digest_item_add",
    "digest_items_discard",
    "inbox_mark_all_read",
    "inbox_message_mark_read",
    "notification_send_now",
    "push_subscription_remove",
    "push_subscription_save",
    "reminder_pause",
    "reminder_schedule_defaults",
    "reminder_schedule_update",
    "reminder_schedule_upsert",
    "reminder_schedules_sync_exercises",
    "reminder_snooze",
    "reminder_user_settings_set",
    "reminders_dispatch",
    "reminders_forget_user",
    "stand_up_moved",
]
