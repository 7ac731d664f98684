"""Every clinical threshold and window of CLINICAL.md §4, named, with the article it comes from.

Windows are counted in calendar dates ending at the check-in's date t (a 7-day window is
t-6..t). Scores are 0-10 Numeric Rating Scale points. The rules import these names and no other
number; tests/tracker/rules/test_borders.py sits at and just beyond each of them, so changing any
one of them fails a test (bench/rules_mutations.py checks that).
"""

# CLINICAL.md §3: a 2-point change on a 0-10 scale is the minimal clinically important difference.
MCID_POINTS = 2

# --- pain_down_numbness_up (A2: numbness rising while pain falls means more compression) -------
PAIN_DOWN_WINDOW_DAYS = 7  # A2: last 7 days (t-6..t) vs the 7 before (t-13..t-7)
PAIN_DOWN_FALL_POINTS = 1  # A2: leg (or back) pain mean fell by 1 point or more
PAIN_DOWN_NUMBNESS_RISE_POINTS = MCID_POINTS  # A2: while the numbness mean rose by >= 2 (§3)

# --- numbness_worsening (A0, A2: numbness rising or spreading down the leg) -------------------
NUMBNESS_WINDOW_DAYS = 3  # A0, A2: the 3-day mean over t-2..t
NUMBNESS_BASELINE_CHECKINS = 3  # A0, A2: baseline = the first 3 check-ins of the episode
NUMBNESS_PREVIOUS_WINDOW_DAYS = 7  # A0, A2: or the 7 days before the 3-day window (t-9..t-3)
NUMBNESS_RISE_POINTS = MCID_POINTS  # A0, A2: 3-day mean >= baseline + 2 (§3)

# --- claudication (A0, A2: having to stop walking; tolerance halved) ---------------------------
CLAUDICATION_BASELINE_REPORTS = 3  # A0, A2: baseline = first 3 check-ins reporting minutes
CLAUDICATION_FALL_PERCENT = 50  # A0, A2: walking minutes fell by >= 50 % of that baseline

# --- sudden_worsening (A3) --------------------------------------------------------------------
SUDDEN_RISE_POINTS = 3  # A3: leg or back pain up >= 3 points from the previous check-in

# --- night_pain (A3, A0) ----------------------------------------------------------------------
NIGHT_PAIN_WINDOW_NIGHTS = 3  # A3, A0: of the last 3 nights (t-2..t) ...
NIGHT_PAIN_MIN_NIGHTS = 2  # A3, A0: ... at least 2 with night pain stopping sleep

# --- persistent_pain (A3) ---------------------------------------------------------------------
PERSISTENT_PAIN_LEVEL = 4  # A3: pain >= 4 on every check-in of the run
PERSISTENT_PAIN_DAYS = 14  # A3: for more than 14 days (first check-in of the run to t)
PERSISTENT_PAIN_MEAN_DAYS = 3  # A3: the 3-day means compared (the run's first, and t-2..t)
PERSISTENT_PAIN_IMPROVEMENT_POINTS = MCID_POINTS  # A3: no 2-point improvement (§3)

# --- pregnancy_persistent (A0) ----------------------------------------------------------------
PREGNANCY_NUMBNESS_DAYS = 14  # A0: numbness in pregnancy for more than 14 days (2 weeks)

# --- conservative_failure (A1, A3) ------------------------------------------------------------
CONSERVATIVE_CARE_DAYS = 90  # A1, A3: more than 90 days (3 months) of conservative programme
CONSERVATIVE_IMPROVEMENT_PERCENT = 30  # A1, A3: leg pain not 30 % better ...
CONSERVATIVE_BASELINE_CHECKINS = 3  # ours: ... than the first 3 check-ins of the programme
CONSERVATIVE_MEAN_DAYS = 3  # ours: compared with the 3-day mean at t (t-2..t)

# --- adherence_drop (A3, myth 2: core training goes on 1-3 months after pain eases) -----------
ADHERENCE_WINDOW_DAYS = 7  # A3: sessions of the last 7 days (t-6..t), and the 7 before
ADHERENCE_MIN_PERCENT = 50  # A3: under 50 % of the prescribed sessions done
ADHERENCE_PAIN_EASED_POINTS = MCID_POINTS  # A3: "pain eased" = weekly pain mean down >= 2 (§3)

# --- missing_checkins (no article: a patient who stops reporting cannot be watched) ----------
MISSING_CHECKINS_DAYS = 3  # today - latest check-in date >= 3 days

# The longest look-back of a windowed rule (pain_down_numbness_up's and adherence_drop's two
# weeks, numbness_worsening's 3 + 7 days): the bounded history read of services/flags.py
# fetches every check-in from t - LOOKBACK_DAYS on. Rules that look further (baselines, runs)
# read only a few early rows, fetched separately.
LOOKBACK_DAYS = max(
    2 * PAIN_DOWN_WINDOW_DAYS - 1,
    2 * ADHERENCE_WINDOW_DAYS - 1,
    NUMBNESS_WINDOW_DAYS + NUMBNESS_PREVIOUS_WINDOW_DAYS - 1,
    NIGHT_PAIN_WINDOW_NIGHTS - 1,
    PERSISTENT_PAIN_MEAN_DAYS - 1,
    CONSERVATIVE_MEAN_DAYS - 1,
)
# The most early rows a baseline reads (first N check-ins overall, of the episode, with walking
# minutes, since the programme began): the bounded read fetches that many of each.
BASELINE_CHECKINS = max(
    NUMBNESS_BASELINE_CHECKINS, CLAUDICATION_BASELINE_REPORTS, CONSERVATIVE_BASELINE_CHECKINS
)
