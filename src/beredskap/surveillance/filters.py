"""Filter for the signal list (HTML and API): area (municipality, county or nation), status."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from beredskap.core.filters import FilterSet
from beredskap.surveillance.models import AreaLevel, SignalStatus


def _blank(choices):
    return [("", _("Alle")), *choices]


class SignalFilterSet(FilterSet):
    search_fields = ("series__area_name", "series__indicator__name", "series__area_code")
    lookups = {
        "status": "status",
        "level": "series__area_level",
        "indicator": "series__indicator__key",
    }
    q = forms.CharField(label=_("Søk"), required=False, max_length=100)
    level = forms.ChoiceField(
        label=_("Områdenivå"), required=False, choices=_blank(AreaLevel.choices)
    )
    area = forms.CharField(label=_("Kommune- eller fylkesnummer"), required=False, max_length=4)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(SignalStatus.choices)
    )
    indicator = forms.SlugField(label=_("Indikator"), required=False)

    def apply(self, queryset: QuerySet) -> QuerySet:
        queryset = super().apply(queryset)
        area = self.cleaned_data.get("area") if self.is_valid() else None
        if area:
            # a county number also finds the signals of its municipalities
            queryset = queryset.filter(Q(series__area_code=area) | Q(series__county_number=area))
        return queryset
