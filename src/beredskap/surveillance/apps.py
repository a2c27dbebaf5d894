from django.apps import AppConfig


class SurveillanceConfig(AppConfig):
    name = "beredskap.surveillance"
    verbose_name = "Overvåking og utbruddsvarsling"
