from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "beredskap.operations"
    label = "operations"
