from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "beredskap.planning"
    label = "planning"
