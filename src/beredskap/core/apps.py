from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "beredskap.core"
    label = "core"
    verbose_name = "Kjerne"
