"""Shared builders for the rules' border tests."""

from datetime import date, timedelta

from tracker.rules import Day, Facts, History

T0 = date(2026, 3, 1)


def day(n: int, back=2, leg=2, numb=0, **answers) -> Day:
    areas = frozenset(answers.pop("areas", ()))
    return Day(
        on=T0 + timedelta(days=n),
        back_pain=back,
        leg_pain=leg,
        numbness=numb,
        numbness_areas=areas,
        **answers,
    )


def at(n: int) -> date:
    return T0 + timedelta(days=n)


def run(rule, days, n, facts=None):
    return rule(History(days), at(n), facts or Facts())
