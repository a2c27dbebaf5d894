from django.contrib import admin

from beredskap.surveillance.models import Indicator


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("key", "name", "method", "dispersion")
