from django.apps import AppConfig
from django.db.models.signals import post_save


class CoreConfig(AppConfig):
    name = "beredskap.core"
    label = "core"
    verbose_name = "Kjerne"

    def ready(self) -> None:
        from django.contrib.admin.models import LogEntry

        from beredskap.core.admin import mirror_log_entry

        post_save.connect(mirror_log_entry, sender=LogEntry, dispatch_uid="core.admin.audit")
