"""The demo caseload's patients, as stories over 60 days: how each one's back pain, leg pain and
numbness move, how well they exercise, and the red flags some of them raise (tracker.services.demo
turns them into check-ins and sessions)."""

from collections.abc import Callable
from dataclasses import dataclass, field

HISTORY_DAYS = 60


def line(start: float, end: float) -> Callable[[float], float]:
    return lambda t: start + (end - start) * t


def flat(value: float) -> Callable[[float], float]:
    return lambda t: value


def ramp(turn: float, start: float, end: float) -> Callable[[float], float]:
    """From `start` at t=turn to `end` at t=1."""
    return lambda t: start + (end - start) * (t - turn) / (1 - turn)


def after(
    turn: float, before: Callable[[float], float], after: Callable[[float], float]
) -> Callable[[float], float]:
    return lambda t: before(t) if t < turn else after(t)


@dataclass
class Story:
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
    adherence: Callable[[float], float] = field(default_factory=lambda: flat(0.7))
    checkin_rate: float = 0.9
    last_checkin_days_ago: int = 0
    walking: Callable[[float], float] | None = None
    red_flag_days_ago: int | None = None
    weak_ankle_days_ago: int | None = None  # cannot walk on heels since then (foot drop)
    programme_days: int = HISTORY_DAYS  # a programme may have begun before the app was used
    language: str = "zh-hans"


STORIES = [
    Story(
        "demo_patient",
        "王芳",
        "disc_recovery",
        back=line(6, 2),
        leg=line(7, 2),
        numbness=line(4, 1),
        born=1986,
        conditions=["lumbar_disc_herniation", "sciatica"],
        walking=line(15, 45),
    ),
    Story(
        "demo_li_qiang",
        "李强",
        "disc_recovery",
        back=line(5, 1),
        leg=line(6, 1),
        numbness=line(3, 0),
        sex="male",
        born=1979,
        adherence=flat(0.85),
    ),
    # A2: leg pain easing while numbness climbs and spreads down the leg: compression, not cure.
    Story(
        "demo_zhao_min",
        "赵敏",
        "disc_recovery",
        back=line(5, 3),
        leg=after(0.75, line(7, 6), ramp(0.75, 6, 2.5)),
        numbness=after(0.75, flat(2), ramp(0.75, 2, 8)),
        born=1975,
        conditions=["lumbar_disc_herniation", "sciatica"],
    ),
    # A1-A3: new bladder trouble and saddle numbness three days ago: cauda equina, urgent.
    Story(
        "demo_chen_jun",
        "陈军",
        "disc_recovery",
        back=line(6, 7),
        leg=line(6, 8),
        numbness=line(3, 6),
        sex="male",
        born=1968,
        red_flag_days_ago=3,
        remove=["superman"],
        conditions=["lumbar_disc_herniation", "lumbar_instability"],
    ),
    Story(
        "demo_liu_yang",
        "刘洋",
        "desk_worker_prevention",
        back=line(4, 2),
        leg=line(3, 1),
        numbness=flat(1),
        sex="male",
        born=1992,
        conditions=["lumbar_disc_herniation"],
        checkin_rate=0.95,
        last_checkin_days_ago=12,  # stopped checking in
    ),
    # A3: pain stuck at 6 for weeks with no 2-point improvement; A1, A3: after more than three
    # months of conservative care, leg pain not 30 % better: time for a surgical opinion.
    Story(
        "demo_sun_li",
        "孙丽",
        "disc_recovery",
        back=flat(6),
        leg=flat(6.5),
        numbness=flat(3),
        born=1971,
        conditions=["lumbar_disc_herniation", "sciatica"],
        adherence=flat(0.5),
        programme_days=120,
    ),
    Story(
        "demo_zhou_jing",
        "周静",
        "pregnancy",
        back=line(3, 4),
        leg=line(2, 3),
        numbness=line(2, 3),
        born=1994,
        is_pregnant=True,
        conditions=["sciatica"],
        side="right",
    ),
    Story(
        "demo_wu_na",
        "吴娜",
        "postpartum",
        back=line(5, 2),
        leg=line(3, 1),
        numbness=line(2, 0),
        born=1991,
        postpartum_days=110,
        conditions=["lumbar_disc_herniation"],
    ),
    # A0, A2: neurogenic claudication: walking tolerance halves, has to stop walking.
    Story(
        "demo_zheng_hua",
        "郑华",
        "elderly_gentle",
        back=line(4, 5),
        leg=line(4, 6),
        numbness=line(3, 5),
        sex="male",
        born=1952,
        conditions=["lumbar_spinal_stenosis", "diabetes"],
        walking=line(40, 12),
        side="right",
        weak_ankle_days_ago=1,  # A1, A3: cannot walk on his heels any more: urgent
    ),
    Story(
        "demo_huang_mei",
        "黄梅",
        "circulation",
        back=flat(2),
        leg=line(4, 3),
        numbness=flat(4),
        born=1960,
        conditions=["diabetes", "peripheral_artery_disease"],
        walking=line(20, 30),
    ),
    # A3 myth 2: exercises stop once the pain eases, which invites a relapse.
    Story(
        "demo_he_tao",
        "何涛",
        "disc_recovery",
        back=line(6, 2),
        leg=line(6, 1.5),
        numbness=line(2, 1),
        sex="male",
        born=1983,
        adherence=after(0.55, flat(0.9), flat(0.1)),
        remove=["superman"],
        conditions=["lumbar_disc_herniation", "lumbar_instability"],
    ),
    Story(
        "demo_emma",
        "Emma Clarke",
        "disc_recovery",
        back=line(5, 2.5),
        leg=line(5, 2),
        numbness=line(2, 1),
        born=1988,
        conditions=["piriformis_syndrome", "sciatica"],
        language="en",
        side="right",
    ),
]
