from django.apps import AppConfig


class ExercisesConfig(AppConfig):
    name = "beredskap.exercises"
    label = "exercises"
