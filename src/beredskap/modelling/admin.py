"""Admin: read-mostly view of runs for operators (writes go through services)."""

from django.contrib import admin

from beredskap.modelling.models import SimulationRun


@admin.register(SimulationRun)
class SimulationRunAdmin(admin.ModelAdmin):
    list_display = ("title", "owner_org", "status", "progress", "created_at", "finished_at")
    list_filter = ("status", "risk_area")
    search_fields = ("title", "scenario_title")
    readonly_fields = (
        "status",
        "progress",
        "started_at",
        "finished_at",
        "error_message",
        "task_id",
        "parameters",
    )

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
