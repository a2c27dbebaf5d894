from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "beredskap.commitments"
    label = "commitments"
