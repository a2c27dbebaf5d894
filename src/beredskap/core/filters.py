"""One filter definition per model serves the HTML list, the API list and the tests
(after NetBox's filtersets), so the two lists can never disagree."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from django import forms
from django.db.models import Q, QuerySet


class FilterSet(forms.Form):
    """A form whose cleaned fields narrow a queryset. Subclasses set `search_fields` and
    `lookups` (field name -> ORM lookup); invalid values are reported, not ignored."""

    search_fields: ClassVar[tuple[str, ...]] = ()
    lookups: ClassVar[dict[str, str]] = {}
    q = forms.CharField(required=False, max_length=100)

    def __init__(self, data: Mapping[str, Any] | None = None, **kwargs: Any):
        super().__init__(data=data or {}, **kwargs)

    def apply(self, queryset: QuerySet) -> QuerySet:
        if not self.is_valid():
            return queryset.none()
        data = self.cleaned_data
        if data.get("q") and self.search_fields:
            condition = Q()
            for name in self.search_fields:
                condition |= Q(**{f"{name}__icontains": data["q"]})
            queryset = queryset.filter(condition)
        for field, lookup in self.lookups.items():
            value = data.get(field)
            if value not in (None, "", []) and value is not False:
                queryset = queryset.filter(**{lookup: value})
        return queryset

    def error_list(self) -> list[dict[str, str]]:
        return [
            {"field": field, "message": str(message)}
            for field, messages in self.errors.items()
            for message in messages
        ]
