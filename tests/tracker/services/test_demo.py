from statistics import mean

from tracker.models import (
    CheckIn,
    Flag,
    FlagRule,
    IdempotencyRecord,
    PatientProfile,
    SessionLog,
    User,
)
from tracker.selectors import patients_visible
from tracker.services.demo import NEWCOMER, demo_seed


def _scores(username, field):
    rows = CheckIn.objects.filter(patient__username=username).order_by("date")
    return [getattr(row, field) for row in rows]


def test_demo_seed_gives_the_therapist_a_dozen_patients_with_history(db, now):
    demo_seed()
    therapist = User.objects.get(username="demo_therapist")

    everyone = list(patients_visible(user=therapist))
    caseload = [profile for profile in everyone if profile.user.username != NEWCOMER]
    assert len(caseload) == 12
    assert "demo_patient" in {profile.user.username for profile in caseload}
    for profile in caseload:
        assert profile.user.assignments.filter(is_current=True).exists()
        assert CheckIn.objects.filter(patient=profile.user).count() >= 40
        assert SessionLog.objects.filter(patient=profile.user).exists()


def test_demo_seed_tells_the_stories_the_dashboard_needs(db, now):
    demo_seed()

    leg, numbness = _scores("demo_zhao_min", "leg_pain"), _scores("demo_zhao_min", "numbness")
    assert mean(leg[-7:]) < mean(leg[-14:-7])  # pain falls ...
    assert mean(numbness[-7:]) >= mean(numbness[-14:-7]) + 2  # ... while numbness rises (A2)
    assert CheckIn.objects.filter(patient__username="demo_chen_jun", bowel_bladder_change=True)
    latest = CheckIn.objects.filter(patient__username="demo_liu_yang").latest("date").date
    assert (CheckIn.objects.latest("date").date - latest).days >= 10
    assert _scores("demo_li_qiang", "leg_pain")[-1] < _scores("demo_li_qiang", "leg_pain")[0]


def test_demo_seed_is_idempotent_and_reproducible(db, now):
    demo_seed()
    counts = (PatientProfile.objects.count(), CheckIn.objects.count(), SessionLog.objects.count())
    first = _scores("demo_patient", "leg_pain")

    demo_seed()

    assert (
        PatientProfile.objects.count(),
        CheckIn.objects.count(),
        SessionLog.objects.count(),
    ) == counts
    assert _scores("demo_patient", "leg_pain") == first
    assert not IdempotencyRecord.objects.exists()


def test_demo_seed_shows_every_kind_of_flag_on_the_dashboard(db, now):
    demo_seed()
    flags = Flag.objects.filter(status__in=["open", "acknowledged"])

    # Every kind is there to see: on the caseload, or resolved in a patient's flag history.
    assert set(Flag.objects.values_list("rule", flat=True)) == set(FlagRule.values)
    assert len(set(flags.values_list("rule", flat=True))) >= len(FlagRule.values) - 2
    assert flags.filter(rule="pain_down_numbness_up", patient__username="demo_zhao_min").exists()
    assert flags.filter(rule="cauda_equina", patient__username="demo_chen_jun").exists()
    count = Flag.objects.count()
    demo_seed()
    assert Flag.objects.count() == count


def test_demo_caseload_opens_on_a_few_fresh_flags_not_weeks_of_them(db, now):
    demo_seed()
    flags = Flag.objects.filter(patient__care_team__therapist__username="demo_therapist")
    new = flags.filter(status="open")
    today = max(flag.last_evidence_on for flag in flags)

    # What needs the therapist now: a handful, each opened this week.
    assert 3 <= new.count() <= 8
    assert all((today - flag.opened_on).days <= 7 for flag in new)
    # Older worsening was dealt with along the way: resolved with a note once it went quiet,
    # acknowledged while it goes on; nothing goes stale unseen.
    for flag in flags.filter(status="resolved").exclude(rule=FlagRule.MISSING_CHECKINS):
        assert flag.resolved_note and flag.resolved_by is not None
    assert not [flag for flag in flags.filter(status="open") if flag.is_stale(today)]
    assert flags.filter(status="acknowledged").exists()


def test_a_demo_newcomer_starts_with_nothing_done(db, now, client):
    demo_seed()
    newcomer = User.objects.get(username=NEWCOMER)
    assert newcomer.assignments.filter(is_current=True).exists()
    assert not CheckIn.objects.filter(patient=newcomer).exists()
    assert not SessionLog.objects.filter(patient=newcomer).exists()
    client.force_login(newcomer)
    assert client.get("/start/")["Location"] == "/app/welcome/"  # the first-use flow
    demo_seed()  # again: still nothing logged, one programme
    assert newcomer.assignments.count() == 1
