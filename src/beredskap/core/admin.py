"""Django admin for reference data only.

Protected records (subclasses of `core.base.ProtectedModel`) are never registered here: the admin
reads and writes past `visible_to(user)` and the services, so it would show a staff user without
clearance classified content and let her change it unaudited (need-to-know, sikkerhetsloven § 7-1
and virksomhetssikkerhetsforskriften § 41). They are administered in the apps' own pages.

What remains (geography, groups, TOTP devices, task results) is audited: every add, change and
delete made in the admin writes an audit event (the admin's own log entry is mirrored into the
append-only trail), and the bulk "delete selected" action, which deletes rows one query at a time
past each model's own delete, is switched off for the whole site.
"""

from typing import Any

from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry

from beredskap.core.audit import record_event
from beredskap.core.models import County, HealthRegion, Municipality

admin.site.disable_action("delete_selected")

admin.site.register(HealthRegion)
admin.site.register(County)


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "county", "population")
    search_fields = ("number", "name")


ADMIN_ACTIONS = {ADDITION: "admin_create", CHANGE: "admin_update", DELETION: "admin_delete"}


def mirror_log_entry(sender: Any, instance: LogEntry, created: bool, **kwargs: Any) -> None:
    """Copy a Django admin log entry into the audit trail (who, what, which record)."""
    if not created:
        return
    content_type = instance.content_type
    record_event(
        ADMIN_ACTIONS.get(instance.action_flag, "admin_change"),
        actor=instance.user,
        label=f"{content_type.app_label}.{content_type.model}" if content_type else "",
        detail={
            "object_id": instance.object_id,
            "object_repr": instance.object_repr,
            "change_message": instance.get_change_message(),
        },
    )
