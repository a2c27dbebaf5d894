from django.apps import AppConfig


class ModellingConfig(AppConfig):
    name = "beredskap.modelling"
    label = "modelling"
