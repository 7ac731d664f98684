"""Demo data for `make run`: idempotent, so running it on every start changes nothing twice.

demo_therapist gets a caseload of twelve patients (demo_patient among them), each with a
programme from a template and about 60 days of check-ins and sessions drawn from a fixed random
seed. The stories are chosen so the therapist's views have something to show: patients who
improve, one who does not, one whose numbness rises while pain falls (A2), one with a bladder
red flag (A1-A3), one who stops checking in, one whose walking tolerance collapses (A0, A2),
one who stops exercising once the pain eases (A3).
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
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
from tracker.services.flags import flags_evaluate_for_checkin, flags_sweep
from tracker.services.patient_reminders import patient_reminders_set_up

DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105 - published demo login, local runs only
HISTORY_DAYS = 60
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


def _line(start: float, end: float) -> Callable[[float], float]:
    return lambda t: start + (end - start) * t


def _flat(value: float) -> Callable[[float], float]:
    return lambda t: value


def _ramp(turn: float, start: float, end: float) -> Callable[[float], float]:
    """From `start` at t=turn to `end` at t=1."""
    return lambda t: start + (end - start) * (t - turn) / (1 - turn)


def _after(turn: float, before: Callable, after: Callable) -> Callable[[float], float]:
    return lambda t: before(t) if t < turn else after(t)


@dataclass
class _Story:
    username: str
    display_name: str
    template: str
    back: Callable[[float], float]  # pain over the history, t from 0 (60 days ago) to 1 (today)
    leg: Callable[[float], float]
    numbness: Callable[[float], float]
    side: str = "left"
    sex: str = "female"
    born: int = 1980
    conditions: list[str] = field(default_factory=lambda: ["lumbar_disc_herniation"])
    remove: list[str] = field(default_factory=list)
    is_pregnant: bool = False
    postpartum_days: int | None = None
    adherence: Callable[[float], float] = field(default_factory=lambda: _flat(0.7))
    checkin_rate: float = 0.9
    last_checkin_days_ago: int = 0
    walking: Callable[[float], float] | None = None
    red_flag_days_ago: int | None = None
    weak_ankle_days_ago: int | None = None  # cannot walk on heels since then (foot drop)
    programme_days: int = HISTORY_DAYS  # a programme may have begun before the app was used
    language: str = "zh-hans"


STORIES = [
    _Story(
        "demo_patient",
        "王芳",
        "disc_recovery",
        back=_line(6, 2),
        leg=_line(7, 2),
        numbness=_line(4, 1),
        born=1986,
        conditions=["lumbar_disc_herniation", "sciatica"],
        walking=_line(15, 45),
    ),
    _Story(
        "demo_li_qiang",
        "李强",
        "disc_recovery",
        back=_line(5, 1),
        leg=_line(6, 1),
        numbness=_line(3, 0),
        sex="male",
        born=1979,
        adherence=_flat(0.85),
    ),
    # A2: leg pain easing while numbness climbs and spreads down the leg: compression, not cure.
    _Story(
        "demo_zhao_min",
        "赵敏",
        "disc_recovery",
        back=_line(5, 3),
        leg=_after(0.75, _line(7, 6), _ramp(0.75, 6, 2.5)),
        numbness=_after(0.75, _flat(2), _ramp(0.75, 2, 8)),
        born=1975,
        conditions=["lumbar_disc_herniation", "sciatica"],
    ),
    # A1-A3: new bladder trouble and saddle numbness three days ago: cauda equina, urgent.
    _Story(
        "demo_chen_jun",
        "陈军",
        "disc_recovery",
        back=_line(6, 7),
        leg=_line(6, 8),
        numbness=_line(3, 6),
        sex="male",
        born=1968,
        red_flag_days_ago=3,
        remove=["superman"],
        conditions=["lumbar_disc_herniation", "lumbar_instability"],
    ),
    _Story(
        "demo_liu_yang",
        "刘洋",
        "desk_worker_prevention",
        back=_line(4, 2),
        leg=_line(3, 1),
        numbness=_flat(1),
        sex="male",
        born=1992,
        conditions=["lumbar_disc_herniation"],
        checkin_rate=0.95,
        last_checkin_days_ago=12,  # stopped checking in
    ),
    # A3: pain stuck at 6 for weeks with no 2-point improvement; A1, A3: after more than three
    # months of conservative care, leg pain not 30 % better: time for a surgical opinion.
    _Story(
        "demo_sun_li",
        "孙丽",
        "disc_recovery",
        back=_flat(6),
        leg=_flat(6.5),
        numbness=_flat(3),
        born=1971,
        conditions=["lumbar_disc_herniation", "sciatica"],
        adherence=_flat(0.5),
        programme_days=120,
    ),
    _Story(
        "demo_zhou_jing",
        "周静",
        "pregnancy",
        back=_line(3, 4),
        leg=_line(2, 3),
        numbness=_line(2, 3),
        born=1994,
        is_pregnant=True,
        conditions=["sciatica"],
        side="right",
    ),
    _Story(
        "demo_wu_na",
        "吴娜",
        "postpartum",
        back=_line(5, 2),
        leg=_line(3, 1),
        numbness=_line(2, 0),
        born=1991,
        postpartum_days=110,
        conditions=["lumbar_disc_herniation"],
    ),
    # A0, A2: neurogenic claudication: walking tolerance halves, has to stop walking.
    _Story(
        "demo_zheng_hua",
        "郑华",
        "elderly_gentle",
        back=_line(4, 5),
        leg=_line(4, 6),
        numbness=_line(3, 5),
        sex="male",
        born=1952,
        conditions=["lumbar_spinal_stenosis", "diabetes"],
        walking=_line(40, 12),
        side="right",
        weak_ankle_days_ago=1,  # A1, A3: cannot walk on his heels any more: urgent
    ),
    _Story(
        "demo_huang_mei",
        "黄梅",
        "circulation",
        back=_flat(2),
        leg=_line(4, 3),
        numbness=_flat(4),
        born=1960,
        conditions=["diabetes", "peripheral_artery_disease"],
        walking=_line(20, 30),
    ),
    # A3 myth 2: exercises stop once the pain eases, which invites a relapse.
    _Story(
        "demo_he_tao",
        "何涛",
        "disc_recovery",
        back=_line(6, 2),
        leg=_line(6, 1.5),
        numbness=_line(2, 1),
        sex="male",
        born=1983,
        adherence=_after(0.55, _flat(0.9), _flat(0.1)),
        remove=["superman"],
        conditions=["lumbar_disc_herniation", "lumbar_instability"],
    ),
    _Story(
        "demo_emma",
        "Emma Clarke",
        "disc_recovery",
        back=_line(5, 2.5),
        leg=_line(5, 2),
        numbness=_line(2, 1),
        born=1988,
        conditions=["piriformis_syndrome", "sciatica"],
        language="en",
        side="right",
    ),
]


def _score(value: float, rng: random.Random) -> int:
    return max(0, min(10, round(value + rng.gauss(0, 0.7))))


def _areas(side: str, numbness: int) -> list[str]:
    # Numbness spreads further down the leg as it worsens (A0, A2).
    reach = 0 if numbness == 0 else min(len(NUMBNESS_SITES), 1 + numbness // 2)
    return [f"{side}_{site}" for site in NUMBNESS_SITES[:reach]]


def _patient(story: _Story, *, therapist: User, clinic: Clinic, today: date) -> User:
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


def _history(story: _Story, *, patient: User, therapist: User, seed: int, today: date) -> None:
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
    story = _Story(
        NEWCOMER,
        "新用户 张丽",
        "disc_recovery",
        back=_flat(4),
        leg=_flat(5),
        numbness=_flat(2),
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
