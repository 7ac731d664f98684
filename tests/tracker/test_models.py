from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.factories import ClinicFactory
from tracker.models import NUMBNESS_AREAS, episode_phase, validate_timezone


@pytest.mark.parametrize(
    ("started", "phase"),
    [
        (date(2026, 3, 10), "acute"),  # day 0
        (date(2026, 2, 25), "acute"),  # day 13
        (date(2026, 2, 24), "recovery"),  # day 14 (A3: acute = first 1-2 weeks)
        (None, "recovery"),
        (date(2026, 3, 12), "recovery"),  # a start in the future is not an episode yet
    ],
)
def test_phase_is_acute_for_the_first_14_days_of_the_episode(started, phase):
    assert episode_phase(episode_started_on=started, on=date(2026, 3, 10)) == phase


def test_time_zones_must_be_iana_names():
    validate_timezone("Asia/Shanghai")
    validate_timezone("America/New_York")
    for bad in ("CST", "Mars/Olympus", "", "UTC+8", "localtime", "Factory"):
        with pytest.raises(ValidationError):
            validate_timezone(bad)


def test_numbness_areas_are_both_sides_of_six_sites():
    assert len(NUMBNESS_AREAS) == 12
    assert "left_buttock" in NUMBNESS_AREAS and "right_toes" in NUMBNESS_AREAS


@pytest.mark.parametrize(
    ("country", "number"),
    [("CN", "120"), ("US", "911"), ("CA", "911"), ("GB", "999"), ("FR", "112"), ("DE", "112")],
)
def test_a_clinics_emergency_number_defaults_by_country(db, country, number):
    # CLINICAL.md §6.
    assert ClinicFactory(country=country).effective_emergency_number == number


def test_a_clinics_own_emergency_number_overrides_its_countrys(db):
    assert ClinicFactory(country="CN", emergency_number="999").effective_emergency_number == "999"


def test_a_clinics_country_must_be_known(db):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        ClinicFactory(country="XX")
