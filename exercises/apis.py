"""Public, read-only catalogue API: exercises and programme templates, addressed by key."""

from dataclasses import asdict

from django.db.models import TextChoices
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from exercises.dosage import exercise_dosage, item_dosage
from exercises.models import Category, Contraindication, Phase, Population
from exercises.selectors import exercise_get, exercise_list, template_get, template_list


class _CodeField(serializers.ChoiceField):
    """A code from one of the catalogue's choice sets.

    As a filter its error names the allowed values, so a client can correct the request.
    """

    enum: type[TextChoices]
    default_error_messages = {"invalid_choice": _('"{input}" is not one of: {allowed}.')}

    def __init__(self, **kwargs):
        super().__init__(choices=self.enum.choices, **kwargs)

    def to_internal_value(self, data):
        if data == "" and self.allow_blank:
            return ""
        try:
            return self.choice_strings_to_values[str(data)]
        except KeyError:
            self.fail("invalid_choice", input=data, allowed=", ".join(self.choices))


def _code_field(enum: type[TextChoices]) -> type[_CodeField]:
    # One named schema component per choice set, whatever the field is called (phase, phases).
    schema = {"type": "string", "enum": list(enum.values)}
    field = type(f"{enum.__name__}Field", (_CodeField,), {"enum": enum})
    return extend_schema_field(schema, component_name=enum.__name__)(field)


PhaseField = _code_field(Phase)
PopulationField = _code_field(Population)
CategoryField = _code_field(Category)
ContraindicationField = _code_field(Contraindication)


class ExerciseFilterSerializer(serializers.Serializer):
    phase = PhaseField(required=False, allow_blank=True, help_text="Treatment phase.")
    category = CategoryField(required=False, allow_blank=True, help_text="Kind of exercise.")
    population = PopulationField(required=False, allow_blank=True, help_text="Who it is for.")


class DosageOutputSerializer(serializers.Serializer):
    sets = serializers.IntegerField(allow_null=True)
    reps = serializers.IntegerField(allow_null=True)
    hold_seconds = serializers.IntegerField(allow_null=True)
    minutes = serializers.IntegerField(allow_null=True)
    times_per_day = serializers.IntegerField(allow_null=True)
    interval_minutes = serializers.IntegerField(allow_null=True)
    text_zh = serializers.CharField()
    text_en = serializers.CharField()


class ExerciseOutputSerializer(serializers.Serializer):
    key = serializers.SlugField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    name = serializers.SerializerMethodField(help_text="Name in the request's language.")
    category = CategoryField()
    phases = serializers.ListField(child=PhaseField(), source="phase_codes")
    populations = serializers.ListField(child=PopulationField(), source="population_codes")
    dosage = serializers.SerializerMethodField()
    instructions_zh = serializers.CharField()
    instructions_en = serializers.CharField()
    caution_zh = serializers.CharField()
    caution_en = serializers.CharField()
    contraindications = serializers.ListField(child=ContraindicationField())
    sources = serializers.ListField(
        child=serializers.CharField(), help_text="Source article file names."
    )

    @extend_schema_field(OpenApiTypes.STR)
    def get_name(self, exercise) -> str:
        return exercise.localized("name")

    @extend_schema_field(DosageOutputSerializer)
    def get_dosage(self, exercise) -> dict:
        return asdict(exercise_dosage(exercise))


class ItemExerciseOutputSerializer(serializers.Serializer):
    key = serializers.SlugField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    name = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_name(self, exercise) -> str:
        return exercise.localized("name")


class TemplateItemOutputSerializer(serializers.Serializer):
    exercise = ItemExerciseOutputSerializer()
    dosage = serializers.SerializerMethodField(
        help_text="The item's own numbers where set, else the exercise's defaults."
    )
    days_per_week = serializers.IntegerField()
    duration_weeks = serializers.IntegerField(allow_null=True, help_text="null: ongoing.")
    note_zh = serializers.CharField()
    note_en = serializers.CharField()
    overridden_cautions = serializers.ListField(
        child=ContraindicationField(),
        help_text="Cautions a therapist overrode, with a recorded reason, for this item.",
    )

    @extend_schema_field(DosageOutputSerializer)
    def get_dosage(self, item) -> dict:
        return asdict(item_dosage(item))


class TemplateOutputSerializer(serializers.Serializer):
    key = serializers.SlugField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    name = serializers.SerializerMethodField()
    description_zh = serializers.CharField()
    description_en = serializers.CharField()
    phase = serializers.SerializerMethodField(help_text="null: any phase.")
    population = PopulationField()
    conditions = serializers.ListField(child=ContraindicationField())
    sources = serializers.ListField(child=serializers.CharField())
    items = TemplateItemOutputSerializer(many=True)

    @extend_schema_field(OpenApiTypes.STR)
    def get_name(self, template) -> str:
        return template.localized("name")

    @extend_schema_field(PhaseField(allow_null=True))
    def get_phase(self, template) -> str | None:
        return template.phase or None


_KEY = OpenApiParameter("key", OpenApiTypes.STR, OpenApiParameter.PATH, description="Stable key.")


@extend_schema(tags=["catalogue"], parameters=[ExerciseFilterSerializer])
class ExerciseListApi(ListAPIView):
    """The exercise catalogue, filterable by phase, category and population."""

    permission_classes = [AllowAny]
    serializer_class = ExerciseOutputSerializer
    filter_backends: list = []

    def get_queryset(self):
        filters = ExerciseFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return exercise_list(**{k: v for k, v in filters.validated_data.items() if v})


class ExerciseDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(tags=["catalogue"], parameters=[_KEY], responses=ExerciseOutputSerializer)
    def get(self, request: Request, key: str) -> Response:
        exercise = exercise_get(key=key)
        if exercise is None:
            raise Http404
        return Response(ExerciseOutputSerializer(exercise).data)


@extend_schema(tags=["catalogue"])
class TemplateListApi(ListAPIView):
    """The seeded programme templates with their items."""

    permission_classes = [AllowAny]
    serializer_class = TemplateOutputSerializer
    filter_backends: list = []

    def get_queryset(self):
        return template_list()


class TemplateDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(tags=["catalogue"], parameters=[_KEY], responses=TemplateOutputSerializer)
    def get(self, request: Request, key: str) -> Response:
        template = template_get(key=key)
        if template is None:
            raise Http404
        return Response(TemplateOutputSerializer(template).data)
