from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "beredskap.risk"
    label = "risk"
