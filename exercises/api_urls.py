from django.urls import path

from exercises import apis

app_name = "exercises-api"

urlpatterns = [
    path("exercises/", apis.ExerciseListApi.as_view(), name="exercise-list"),
    path("exercises/<slug:key>/", apis.ExerciseDetailApi.as_view(), name="exercise-detail"),
    path("programme-templates/", apis.TemplateListApi.as_view(), name="template-list"),
    path(
        "programme-templates/<slug:key>/",
        apis.TemplateDetailApi.as_view(),
        name="template-detail",
    ),
]
