"""The patient page's contact card: how to reach the patient now, and who they are at a glance
(age, conditions, phase, their local time in words)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from exercises.models import Phase
from tracker.models import Condition, PatientProfile

# Zone cities as a Chinese reader knows them; any other zone reads by its English city name.
CITY_NAMES_ZH = {
    "Asia/Shanghai": "上海",
    "Asia/Hong_Kong": "香港",
    "Asia/Taipei": "台北",
    "Asia/Singapore": "新加坡",
    "Asia/Tokyo": "东京",
    "Europe/London": "伦敦",
    "Europe/Berlin": "柏林",
    "Europe/Paris": "巴黎",
    "America/New_York": "纽约",
    "America/Chicago": "芝加哥",
    "America/Los_Angeles": "洛杉矶",
    "America/Toronto": "多伦多",
    "Australia/Sydney": "悉尼",
}


def timezone_in_words(zone: str, *, language: str) -> str:
    """ "Shanghai time" / "上海时间" for Asia/Shanghai; "UTC" stays UTC."""
    if "/" not in zone:
        return zone
    if language.startswith("zh") and zone in CITY_NAMES_ZH:
        return f"{CITY_NAMES_ZH[zone]}时间"
    city = zone.rsplit("/", 1)[1].replace("_", " ")
    with translation.override(language):
        return _("%(city)s time") % {"city": city}


def age_on(born: date | None, on: date) -> int | None:
    if born is None:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@dataclass(frozen=True)
class ContactCard:
    name: str
    phone: str
    email: str
    age: int | None
    conditions: list[str]
    phase: str
    pregnancy: str
    timezone_words: str
    local_time: datetime


def contact_card(*, profile: PatientProfile, today: date, language: str) -> ContactCard:
    labels = dict(Condition.choices)
    pregnancy = ""
    if profile.is_pregnant:
        pregnancy = _("Pregnant")
    elif profile.postpartum_on:
        weeks = (today - profile.postpartum_on).days // 7
        pregnancy = _("Gave birth %(weeks)s weeks ago") % {"weeks": weeks}
    return ContactCard(
        name=profile.display_name,
        phone=profile.phone,
        email=profile.user.email,
        age=age_on(profile.date_of_birth, today),
        conditions=[str(labels.get(key, key)) for key in profile.conditions],
        phase=str(Phase(profile.phase_on(today)).label),
        pregnancy=pregnancy,
        timezone_words=timezone_in_words(profile.timezone, language=language),
        local_time=timezone.localtime(timezone=profile.tzinfo),
    )
