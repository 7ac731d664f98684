from django.urls import path

from exercises import views

app_name = "exercises"

urlpatterns = [
    path("", views.exercise_list, name="home"),
    path("exercises/", views.exercise_list, name="exercise-list"),
    path("exercises/<slug:key>/", views.exercise_detail, name="exercise-detail"),
    path("programmes/", views.template_list, name="template-list"),
    path("programmes/<slug:key>/", views.template_detail, name="template-detail"),
    path("sources/", views.source_list, name="source-list"),
    path("sources/<slug:key>/", views.source_detail, name="source-detail"),
]
