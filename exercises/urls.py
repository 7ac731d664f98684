from django.urls import path

from exercises import views

app_name = "exercises"

urlpatterns = [
    path("", views.exercise_list, name="home"),
    path("exercises/", views.exercise_list, name="exercise-list"),
    path("programmes/", views.template_list, name="template-list"),
]
