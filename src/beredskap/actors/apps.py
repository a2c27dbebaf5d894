from django.apps import AppConfig


class ActorsConfig(AppConfig):
    name = "beredskap.actors"
    label = "actors"
    verbose_name = "Aktører"
