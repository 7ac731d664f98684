"""The rules' ids, severities and source articles (CLINICAL.md §4 table)."""

from collections.abc import Mapping
from enum import StrEnum


class Severity(StrEnum):
    URGENT = "urgent"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


# The one ordering of severities (most severe highest), for sorting flags in Python and, as a
# CASE over the column, in SQL (tracker.selectors.flag_severity_rank).
SEVERITY_RANK: Mapping[str, int] = {
    Severity.URGENT: 4,
    Severity.HIGH: 3,
    Severity.MEDIUM: 2,
    Severity.LOW: 1,
}

A0, A1, A2, A3 = (
    "000_91ad0826311c97d2.txt",
    "001_97c5ca15f4c0d3eb.txt",
    "002_0834f866768f61f9.txt",
    "003_550b9b7c9cec398b.txt",
)

SOURCES = {
    "cauda_equina": (A1, A2, A3),
    "motor_deficit": (A1, A3),
    "pain_down_numbness_up": (A2,),
    "numbness_worsening": (A0, A2),
    "claudication": (A0, A2),
    "sudden_worsening": (A3,),
    "night_pain": (A3, A0),
    "persistent_pain": (A3,),
    "pregnancy_persistent": (A0,),
    "conservative_failure": (A1, A3),
    "adherence_drop": (A3,),
    "missing_checkins": (),
}

SEVERITY = {
    "cauda_equina": Severity.URGENT,
    "motor_deficit": Severity.URGENT,
    "pain_down_numbness_up": Severity.HIGH,
    "numbness_worsening": Severity.HIGH,
    "claudication": Severity.HIGH,
    "sudden_worsening": Severity.HIGH,
    "night_pain": Severity.MEDIUM,
    "persistent_pain": Severity.MEDIUM,
    "pregnancy_persistent": Severity.MEDIUM,
    "conservative_failure": Severity.MEDIUM,
    "adherence_drop": Severity.LOW,
    "missing_checkins": Severity.LOW,
}
