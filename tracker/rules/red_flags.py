"""Urgent rules (CLINICAL.md §4): the answers that mean emergency care now."""

from __future__ import annotations

from datetime import date

from tracker.rules.history import Facts, Finding, History


def cauda_equina(history: History, t: date, facts: Facts) -> Finding | None:
    # A1, A2, A3: new bowel/bladder trouble or saddle numbness may mean cauda equina syndrome:
    # emergency care now.
    day = history.on(t)
    if day is None or not (day.bowel_bladder_change or day.saddle_numbness):
        return None
    return Finding(
        "cauda_equina",
        {
            "date": t.isoformat(),
            "bowel_bladder_change": day.bowel_bladder_change,
            "saddle_numbness": day.saddle_numbness,
        },
    )


def motor_deficit(history: History, t: date, facts: Facts) -> Finding | None:
    # A1, A3: unable to walk on heels (foot drop, L5) or toes (S1) means nerve-root motor loss.
    day = history.on(t)
    if day is None or (day.can_walk_on_heels and day.can_walk_on_toes):
        return None
    return Finding(
        "motor_deficit",
        {
            "date": t.isoformat(),
            "can_walk_on_heels": day.can_walk_on_heels,
            "can_walk_on_toes": day.can_walk_on_toes,
        },
    )
