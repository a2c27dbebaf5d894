from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_save


class CoreConfig(AppConfig):
    name = "beredskap.core"
    label = "core"
    verbose_name = "Kjerne"

    def ready(self) -> None:
        from django.contrib.admin.models import LogEntry

        from beredskap.core.admin import mirror_log_entry

        post_save.connect(mirror_log_entry, sender=LogEntry, dispatch_uid="core.admin.audit")
        self._audit_sharing()

    @staticmethod
    def _audit_sharing() -> None:
        """Every protected model's sharing with bodies is audited, new models included."""
        from django.apps import apps

        from beredskap.core.audit import record_sharing
        from beredskap.core.base import ProtectedModel

        for model in apps.get_models():
            if issubclass(model, ProtectedModel):
                m2m_changed.connect(
                    record_sharing,
                    sender=model.shared_with_bodies.through,
                    dispatch_uid=f"core.audit.sharing.{model._meta.label_lower}",
                )
