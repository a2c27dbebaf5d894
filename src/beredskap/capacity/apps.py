from django.apps import AppConfig


class CapacityConfig(AppConfig):
    name = "beredskap.capacity"
    label = "capacity"
