"""Bulk import pages (CSV/XLSX) for bed reports and stock movements, with templates."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from beredskap.capacity.bulk import IMPORTERS, LAYOUTS
from beredskap.capacity.permissions import reporting_org_ids
from beredskap.core.tabular import read_rows, template_response

TITLES = {
    "beds": gettext_lazy("Importer sengerapporter (CSV/XLSX)"),
    "stock": gettext_lazy("Importer lagerbevegelser (CSV/XLSX)"),
}
DONE = {"beds": "capacity:beds", "stock": "capacity:stock"}


class TableUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Fil (CSV eller XLSX)"))


def _import(request: HttpRequest, kind: str) -> HttpResponse:
    layout = LAYOUTS[kind]
    if request.GET.get("mal") in ("csv", "xlsx"):
        return template_response(layout.name, layout.header, layout.example, request.GET["mal"])
    form = TableUploadForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = IMPORTERS[kind](by=request.user, rows=read_rows(form.cleaned_data["file"]))
        except ValidationError as exc:
            problems = list(exc.messages)
        else:
            if result.ok:
                done = (
                    ngettext("%(n)d rad er importert.", "%(n)d rader er importert.", result.created)
                    if kind == "stock"
                    else ngettext(
                        "%(n)d rapport er importert.",
                        "%(n)d rapporter er importert.",
                        result.created,
                    )
                )
                messages.success(request, done % {"n": result.created})
                return redirect(DONE[kind])
            problems = [
                _("Linje %(l)d: %(e)s") % {"l": line, "e": error} for line, error in result.errors
            ]
    return render(
        request,
        "capacity/bulk_import.html",
        {
            "form": form,
            "problems": problems,
            "title": TITLES[kind],
            "layout": layout,
            "can_report": bool(reporting_org_ids(request.user)),
        },
        status=400 if problems or form.errors else 200,
    )


@login_required
def beds_import(request: HttpRequest) -> HttpResponse:
    return _import(request, "beds")


@login_required
def stock_import(request: HttpRequest) -> HttpResponse:
    return _import(request, "stock")
