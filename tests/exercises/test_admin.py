import pytest
from django.urls import reverse

from exercises.models import Exercise, ProgrammeTemplate, ProgrammeTemplateItem
from exercises.services import template_item_add
from tests.factories import ClinicAdminFactory


def _staff(user):
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def _new_acute_template(exercise: Exercise, reason: str = "") -> dict:
    return {
        "key": "acute_clinic",
        "name_zh": "急性期门诊",
        "name_en": "Acute clinic",
        "description_zh": "",
        "description_en": "",
        "phase": "acute",
        "population": "general",
        "conditions": "[]",
        "sources": '["003_550b9b7c9cec398b.txt"]',
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
        "items-0-position": "1",
        "items-0-exercise": str(exercise.pk),
        "items-0-days_per_week": "7",
        "items-0-note_zh": "",
        "items-0-note_en": "",
        "items-0-override_reason": reason,
    }


@pytest.fixture
def massage(db):
    return Exercise.objects.get(key="massage")


def test_admin_refuses_an_item_against_its_caution(client, therapist, massage):
    client.force_login(_staff(therapist))
    response = client.post(
        reverse("admin:exercises_programmetemplate_add"),
        _new_acute_template(massage),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Massage is not for the acute phase" in response.content.decode()
    assert not ProgrammeTemplate.objects.filter(key="acute_clinic").exists()


def test_admin_records_a_therapists_override_with_reason(client, therapist, massage):
    client.force_login(_staff(therapist))
    response = client.post(
        reverse("admin:exercises_programmetemplate_add"),
        _new_acute_template(massage, reason="Light soft-tissue work only, supervised."),
    )
    assert response.status_code == 302
    item = ProgrammeTemplateItem.objects.get(template__key="acute_clinic")
    assert item.overridden_cautions == ["acute_phase"]
    assert item.override_reason == "Light soft-tissue work only, supervised."
    assert item.overridden_by == therapist
    assert item.overridden_at is not None


def test_admin_refuses_an_override_by_a_staff_user_who_is_not_a_therapist(client, massage):
    # A superuser is never a patient (the database refuses it); an operator is the non-therapist.
    client.force_login(_staff(ClinicAdminFactory(username="operator")))
    response = client.post(
        reverse("admin:exercises_programmetemplate_add"),
        _new_acute_template(massage, reason="Looks fine to me."),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Only a therapist can override a caution." in response.content.decode()
    assert not ProgrammeTemplate.objects.filter(key="acute_clinic").exists()


def test_admin_catalogue_pages_open(client, therapist):
    client.force_login(_staff(therapist))
    bridge = Exercise.objects.get(key="five_point_bridge")
    assert (
        client.get(reverse("admin:exercises_exercise_changelist"), {"q": "五点"}).status_code == 200
    )
    assert (
        client.get(reverse("admin:exercises_exercise_change", args=[bridge.pk])).status_code == 200
    )
    disc = ProgrammeTemplate.objects.get(key="disc_recovery")
    url = reverse("admin:exercises_programmetemplate_change", args=[disc.pk])
    assert client.get(url).status_code == 200


def _change_data(template: ProgrammeTemplate, **changes) -> dict:
    items = list(template.items.all())
    data = {
        "name_zh": template.name_zh,
        "name_en": template.name_en,
        "description_zh": template.description_zh,
        "description_en": template.description_en,
        "phase": template.phase,
        "population": template.population,
        "conditions": "[]",
        "sources": '["003_550b9b7c9cec398b.txt"]',
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": str(len(items)),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for i, item in enumerate(items):
        data.update(
            {
                f"items-{i}-id": str(item.pk),
                f"items-{i}-template": str(template.pk),
                f"items-{i}-position": str(item.position),
                f"items-{i}-exercise": str(item.exercise_id),
                f"items-{i}-days_per_week": str(item.days_per_week),
                f"items-{i}-duration_weeks": str(item.duration_weeks or ""),
                f"items-{i}-note_zh": item.note_zh,
                f"items-{i}-note_en": item.note_en,
                f"items-{i}-override_reason": item.override_reason,
            }
        )
    data.update(changes)
    return data


def test_moving_a_template_into_the_acute_phase_rechecks_its_items(client, therapist):
    client.force_login(_staff(therapist))
    disc = ProgrammeTemplate.objects.get(key="disc_recovery")
    url = reverse("admin:exercises_programmetemplate_change", args=[disc.pk])
    response = client.post(url, _change_data(disc, phase="acute"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Plank is not for the acute phase" in response.content.decode()
    disc.refresh_from_db()
    assert disc.phase == "recovery"


def test_resaving_keeps_an_override_on_record_and_its_author(client, therapist, other_therapist):
    acute = ProgrammeTemplate.objects.get(key="acute_sciatica")
    item = template_item_add(
        template=acute,
        exercise=Exercise.objects.get(key="lumbar_traction"),
        override_reason="Supervised traction trial.",
        overridden_by=therapist,
    )
    recorded_at = item.overridden_at
    client.force_login(_staff(other_therapist))
    url = reverse("admin:exercises_programmetemplate_change", args=[acute.pk])
    response = client.post(url, _change_data(acute, name_en="Acute sciatica (first 2 weeks)"))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.overridden_by == therapist
    assert item.override_reason == "Supervised traction trial."
    assert item.overridden_at == recorded_at
    acute.refresh_from_db()
    assert acute.name_en == "Acute sciatica (first 2 weeks)"
