"""Django admin for reference data. Protected records are not administered here: they
follow the one read path (visible_to) in the app's own pages."""

from django.contrib import admin

from beredskap.core.models import County, HealthRegion, Municipality

admin.site.register(HealthRegion)
admin.site.register(County)


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "county", "population")
    search_fields = ("number", "name")
