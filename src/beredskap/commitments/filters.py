"""Filter for the commitments list (HTML and API)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from beredskap.commitments.models import CommitmentSource, CommitmentStatus
from beredskap.core.filters import FilterSet
from beredskap.core.riskareas import RiskArea


def _blank(choices):
    return [("", _("Alle")), *choices]


class CommitmentFilterSet(FilterSet):
    search_fields = ("text", "section_title", "notes__text")
    lookups = {
        "chapter": "chapter",
        "risk_area": "risk_area",
        "status": "status",
        "source": "source",
        "organisation": "responsible_org_id",
        "due_before": "due_date__lte",
    }
    q = forms.CharField(label=_("Søk"), required=False, max_length=100)
    source = forms.ChoiceField(
        label=_("Kilde"), required=False, choices=_blank(CommitmentSource.choices)
    )
    chapter = forms.TypedChoiceField(
        label=_("Kapittel"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=_blank([(2, "2"), (3, "3"), (4, "4"), (6, _("6 (Hdir)"))]),
    )
    risk_area = forms.ChoiceField(
        label=_("Risikoområde"), required=False, choices=_blank(RiskArea.choices)
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_blank(CommitmentStatus.choices)
    )
    organisation = forms.TypedChoiceField(
        label=_("Ansvarlig"), required=False, coerce=int, empty_value=None, choices=[]
    )
    due_before = forms.DateField(
        label=_("Frist innen"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        from beredskap.actors.models import Organisation
        from beredskap.commitments.models import Commitment

        super().__init__(*args, **kwargs)
        ids = Commitment.objects.values_list("responsible_org_id", flat=True).distinct()
        self.fields["organisation"].choices = _blank(
            list(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))
        )

    def apply(self, queryset):
        return super().apply(queryset).distinct()
