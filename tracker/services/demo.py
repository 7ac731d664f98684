"""Demo data for `make run`: idempotent, so running it on every start changes nothing twice.

demo_therapist gets a caseload of twelve patients (demo_patient among them), each with a
programme from a template and about 60 days of check-ins and sessions drawn from a fixed random
seed. The stories are chosen so the therapist's views have something to show: patients who
improve, one who does not, one whose numbness rises while pain falls (A2), one with a bladder
red flag (A1-A3), one who stops checking in, one whose walking tolerance collapses (A0, A2),
one who stops exercising once the pain eases (A3).
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from tracker.models import (
    DEFAULT_TIMEZONE,
    NUMBNESS_SITES,
    CareTeamMember,
    CheckIn,
    Clinic,
    Flag,
    FlagRule,
    FlagStatus,
    PatientProfile,
    SessionLog,
    User,
)
from tracker.services.assignments import assignment_change
from tracker.services.demo_stories import HISTORY_DAYS, STORIES, Story, flat
from tracker.services.flags import flags_evaluate_for_checkin, flags_sweep
from tracker.services.patient_reminders import patient_reminders_set_up

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - published demo login, local runs only
SEED = 20260310


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str


def _account(*, username: str, role: str, clinic: Clinic, email: str) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"role": role, "clinic": clinic, "email": email}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _score(value: float, rng: random.Random) -> int:
    return max(0, min(10, round(value + rng.gauss(0, 0.7))))


def _areas(side: str, numbness: int) -> list[str]:
    # Numbness spreads further down the leg as it worsens (A0, A2).
    reach = 0 if numbness == 0 else min(len(NUMBNESS_SITES), 1 + numbness // 2)
    return [f"{side}_{site}" for site in NUMBNESS_SITES[:reach]]


def _patient(story: Story, *, therapist: User, clinic: Clinic, today: date) -> User:
    user = _account(
        username=story.username,
        role=User.Role.PATIENT,
        clinic=clinic,
        email=f"{story.username}@example.com",
    )
    profile, created = PatientProfile.objects.get_or_create(
        user=user,
        defaults={
            "clinic": clinic,
            "display_name": story.display_name,
            # A made-up number per demo patient, the same on every run.
            "phone": f"+86 138 0013 {8000 + sum(map(ord, story.username)) % 1000}",
            "date_of_birth": date(story.born, 5, 17),
            "sex": story.sex,
            "conditions": story.conditions,
            "is_pregnant": story.is_pregnant,
            "postpartum_on": today - timedelta(days=story.postpartum_days)
            if story.postpartum_days
            else None,
            "episode_started_on": today - timedelta(days=HISTORY_DAYS + 14),
            "timezone": DEFAULT_TIMEZONE,
            "language": story.language,
        },
    )
    CareTeamMember.objects.get_or_create(patient=user, therapist=therapist)
    if created:
        patient_reminders_set_up(profile=profile)
    return user


def _history(story: Story, *, patient: User, therapist: User, seed: int, today: date) -> None:
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not a secret
    start = today - timedelta(days=HISTORY_DAYS - 1)
    assignment = assignment_change(
        patient=patient,
        therapist=therapist,
        template_key=story.template,
        starts_on=start,
        remove=story.remove,
        note="演示数据 demo data",
    )
    if story.programme_days > HISTORY_DAYS:
        # The programme began on paper before the clinic used the app (further back than the
        # API's 90-day limit for entering one), so its start date is set directly.
        assignment.starts_on = today - timedelta(days=story.programme_days - 1)
        assignment.save(update_fields=["starts_on"])
    items = list(assignment.items.select_related("exercise"))
    tz = PatientProfile.objects.get(user=patient).tzinfo
    checkins, sessions = [], []
    for offset in range(HISTORY_DAYS):
        day = start + timedelta(days=offset)
        t = offset / (HISTORY_DAYS - 1)
        days_ago = (today - day).days
        if days_ago >= story.last_checkin_days_ago and rng.random() < story.checkin_rate:
            numbness = _score(story.numbness(t), rng)
            leg = _score(story.leg(t), rng)
            red_flag = story.red_flag_days_ago is not None and days_ago <= story.red_flag_days_ago
            weak = story.weak_ankle_days_ago is not None and days_ago <= story.weak_ankle_days_ago
            walking = None
            if story.walking is not None:
                walking = max(0, round(story.walking(t) + rng.gauss(0, 3)))
            checkins.append(
                CheckIn(
                    patient=patient,
                    date=day,
                    back_pain=_score(story.back(t), rng),
                    leg_pain=leg,
                    numbness=numbness,
                    numbness_areas=_areas(story.side, numbness),
                    can_walk_on_heels=not weak,
                    bowel_bladder_change=red_flag,
                    saddle_numbness=red_flag,
                    night_pain=leg >= 7 and rng.random() < 0.6,
                    calf_cramps=rng.random() < 0.15,
                    stopped_walking=walking is not None and walking < 20,
                    walking_minutes=walking,
                    note="",
                )
            )
        for item in items:
            if rng.random() < story.adherence(t) * item.days_per_week / 7:
                at = datetime.combine(day, time(rng.randint(7, 20), rng.randint(0, 59)), tz)
                sessions.append(
                    SessionLog(
                        patient=patient,
                        item=item,
                        exercise=item.exercise,
                        performed_at=at,
                        performed_on=day,
                        sets=item.sets,
                        reps=item.reps,
                        minutes=item.minutes,
                        pain_during=max(0, _score(story.back(t), rng) - 1),
                        difficulty=rng.choice(["easy", "right", "right", "hard"]),
                    )
                )
    CheckIn.objects.bulk_create(checkins)
    SessionLog.objects.bulk_create(sessions)
    if checkins:
        # Bulk inserts bypass checkin_submit, so run the worsening rules over the whole history
        # once (from its first date on), as if each check-in had arrived on its day.
        profile = PatientProfile.objects.get(user=patient)
        flags_evaluate_for_checkin(patient=patient, profile=profile, on=checkins[0].date)


# A therapist who has used the product for two months has dealt with what came up along the way,
# so the caseload opens on this week's few new flags (CLINICAL.md §4a; no alert fatigue): a flag
# with no new evidence for longer than this was reviewed and resolved at the time; one that has
# kept gathering evidence since before then was seen and acknowledged, and is being watched.
CAUGHT_UP_AFTER_DAYS = 7
RESOLVED_NOTE = "复诊时已评估，按计划继续。 / Reviewed at the follow-up visit; carrying on."
ACKNOWLEDGED_NOTE = "已与患者讨论，继续观察。 / Discussed with the patient; watching it."


def _reviewed_at(on: date) -> datetime:
    # At the end of a clinic day in the clinic's own time zone.
    return datetime.combine(on, time(17, 30), ZoneInfo(DEFAULT_TIMEZONE))


def _therapist_caught_up(*, therapist: User, today: date) -> None:
    before = today - timedelta(days=CAUGHT_UP_AFTER_DAYS)
    flags = Flag.objects.filter(
        patient__care_team__therapist=therapist, status=FlagStatus.OPEN, opened_on__lt=before
    ).exclude(rule=FlagRule.MISSING_CHECKINS)
    for flag in flags:
        if flag.last_evidence_on < before:
            flag.status = FlagStatus.RESOLVED
            flag.resolved_by = therapist
            flag.resolved_at = _reviewed_at(flag.last_evidence_on + timedelta(days=2))
            flag.resolved_note = RESOLVED_NOTE
        else:
            flag.status = FlagStatus.ACKNOWLEDGED
            flag.acknowledged_by = therapist
            flag.acknowledged_at = _reviewed_at(flag.opened_on + timedelta(days=2))
            flag.acknowledged_note = ACKNOWLEDGED_NOTE
        flag.save()


NEWCOMER = "demo_newcomer"


def _newcomer(*, therapist: User, clinic: Clinic, today: date) -> User:
    """A patient just taken on: a programme from today and nothing logged yet, so signing in
    shows the first-use flow (the welcome screen, then a Today with nothing done)."""
    story = Story(
        NEWCOMER,
        "新用户 张丽",
        "disc_recovery",
        back=flat(4),
        leg=flat(5),
        numbness=flat(2),
        born=1990,
    )
    patient = _patient(story, therapist=therapist, clinic=clinic, today=today)
    if not patient.assignments.exists():
        assignment_change(
            patient=patient,
            therapist=therapist,
            template_key=story.template,
            note="演示数据 demo data",
        )
    return patient


@transaction.atomic
def demo_seed() -> list[DemoLogin]:
    clinic, _ = Clinic.objects.get_or_create(name="演示诊所 Demo Clinic")
    therapist = _account(
        username="demo_therapist",
        role=User.Role.THERAPIST,
        clinic=clinic,
        email="therapist@example.com",
    )
    today = timezone.localdate(timezone=PatientProfile().tzinfo)
    for index, story in enumerate(STORIES):
        patient = _patient(story, therapist=therapist, clinic=clinic, today=today)
        # A patient who already has a programme has their history: nothing is added twice.
        if not patient.assignments.exists():
            _history(story, patient=patient, therapist=therapist, seed=SEED + index, today=today)
    _newcomer(therapist=therapist, clinic=clinic, today=today)
    flags_sweep()
    _therapist_caught_up(therapist=therapist, today=today)
    return [
        DemoLogin("therapist", "demo_therapist", DEMO_PASSWORD),
        DemoLogin("patient", "demo_patient", DEMO_PASSWORD),
        DemoLogin("new patient (first use)", NEWCOMER, DEMO_PASSWORD),
    ]
