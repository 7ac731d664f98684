"""The slice of a patient's check-in history the rules need, read in one bounded statement."""

from datetime import date, timedelta
from typing import Any

from django.db import connection

from tracker import rules
from tracker.models import CheckIn, User
from tracker.services.raw_rows import converted_rows

DAY_FIELDS = (
    "date",
    "back_pain",
    "leg_pain",
    "numbness",
    "numbness_areas",
    "can_walk_on_heels",
    "can_walk_on_toes",
    "bowel_bladder_change",
    "saddle_numbness",
    "night_pain",
    "stopped_walking",
    "walking_minutes",
)


def day_from_row(row: tuple[Any, ...]) -> rules.Day:
    return rules.Day(
        on=row[0],
        back_pain=row[1],
        leg_pain=row[2],
        numbness=row[3],
        numbness_areas=frozenset(row[4] or ()),
        can_walk_on_heels=row[5],
        can_walk_on_toes=row[6],
        bowel_bladder_change=row[7],
        saddle_numbness=row[8],
        night_pain=row[9],
        stopped_walking=row[10],
        walking_minutes=row[11],
    )


# The rows of the bounded history, as one SQL statement. Written out rather than built with
# the ORM: compiling eight nested subqueries took Django ~3 ms a check-in, three times what the
# database needs to run them (issue 4: rules for one check-in under 5 ms). Portable SQL: it runs
# on PostgreSQL and SQLite alike, and the patient/date unique index serves every branch.
_TABLE = CheckIn._meta.db_table
_ROWS = f"SELECT id FROM {_TABLE} WHERE patient_id = %(patient)s"  # noqa: S608
_CALM = "back_pain < %(level)s AND leg_pain < %(level)s"
_FIRST = rules.BASELINE_CHECKINS  # the first N check-ins a baseline reads
_RUN_FIRST = rules.PERSISTENT_PAIN_MEAN_DAYS  # a run's first 3-day mean
# Only constants are interpolated into the text; every value goes as a query parameter.
_COLUMNS = ", ".join(f"c.{name}" for name in DAY_FIELDS)
_HISTORY_SQL = f"""
SELECT {_COLUMNS} FROM {_TABLE} c WHERE c.patient_id = %(patient)s AND (
  c.date >= %(window_start)s
  OR c.id IN ({_ROWS} AND date < %(window_start)s ORDER BY date DESC LIMIT 1)
  OR c.id IN ({_ROWS} ORDER BY date LIMIT {_FIRST})
  OR c.id IN ({_ROWS} AND walking_minutes IS NOT NULL ORDER BY date LIMIT {_FIRST})
  OR c.id IN ({_ROWS} AND date >= %(episode_from)s ORDER BY date LIMIT {_FIRST})
  OR c.id IN ({_ROWS} AND date >= %(programme_from)s ORDER BY date LIMIT {_FIRST})
  OR c.id IN ({_ROWS} AND date < %(window_start)s AND {_CALM} ORDER BY date DESC LIMIT 1)
  OR c.id IN ({_ROWS} AND date < %(window_start)s AND date > (
      SELECT date FROM {_TABLE} WHERE patient_id = %(patient)s
      AND date < %(window_start)s AND {_CALM} ORDER BY date DESC LIMIT 1
  ) ORDER BY date LIMIT {_RUN_FIRST})
  OR c.id IN ({_ROWS} AND date < %(window_start)s AND numbness = 0 ORDER BY date DESC LIMIT 1)
  OR c.id IN ({_ROWS} AND date < %(window_start)s AND date > (
      SELECT date FROM {_TABLE} WHERE patient_id = %(patient)s
      AND date < %(window_start)s AND numbness = 0 ORDER BY date DESC LIMIT 1
  ) ORDER BY date LIMIT 1)
) ORDER BY c.date
"""  # noqa: S608
# A date after every check-in: the branch of a baseline that does not apply selects nothing.
_NEVER = date(9999, 12, 31)


def patient_history(
    *,
    patient: User,
    since: date,
    episode_from: date | None = None,
    programme_started_on: date | None = None,
) -> rules.History:
    """What the rules need to judge every date from `since` on, in one query of bounded size
    whatever the length of the history (issue 4: evaluation cost independent of history):

    - every check-in from `since` minus the longest look-back window on;
    - the check-in just before that (sudden_worsening's "previous check-in");
    - the first 3 check-ins overall, of the numbness episode, with walking minutes, and since the
      programme began (the baselines of numbness_worsening, claudication, conservative_failure);
    - for the unbroken runs of persistent_pain and pregnancy_persistent: the last check-in before
      the window that breaks the run and the first ones after it, so the run's start and its
      first 3-day mean come out exactly as over the whole history.

    Rules evaluated on this subset give the same findings as on the whole history for every
    date >= since (a property test checks this against the whole history).
    """
    params = {
        "patient": patient.pk,
        "window_start": (since - timedelta(days=rules.LOOKBACK_DAYS)).isoformat(),
        "episode_from": (episode_from or _NEVER).isoformat(),
        "programme_from": (programme_started_on or _NEVER).isoformat(),
        "level": rules.PERSISTENT_PAIN_LEVEL,
    }
    # Plain rows, not model instances (issue 16).
    with connection.cursor() as cursor:
        cursor.execute(_HISTORY_SQL, params)  # type: ignore[arg-type]  # named parameters
        rows = converted_rows(CheckIn, DAY_FIELDS, cursor.fetchall())
    return rules.History([day_from_row(row) for row in rows])
