"""Delete an analysis: a confirmation page that explains what goes with it, or why it may not go."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from beredskap.core.errors import PermissionDenied
from beredskap.risk import permissions, services
from beredskap.risk.views import visible_analysis


@login_required
def analysis_delete(request: HttpRequest, pk: int) -> HttpResponse:
    analysis = visible_analysis(request, pk)
    if not permissions.can_delete(request.user, analysis):
        raise Http404
    blockers = services.deletion_blockers(analysis)
    status = 200
    if request.method == "POST" and not blockers:
        try:
            services.delete_analysis(by=request.user, analysis=analysis)
        except (ValidationError, PermissionDenied) as exc:
            blockers = list(getattr(exc, "messages", [str(exc)]))
            status = 400
        else:
            messages.success(request, _("Analysen «%(t)s» er slettet.") % {"t": analysis.title})
            return redirect("risk:index")
    elif request.method == "POST":
        status = 400
    consequences = [
        _(
            "%(n)s uønskede hendelser med konsekvensvurderinger, sårbarheter og tiltak slettes "
            "sammen med analysen."
        )
        % {"n": analysis.events.count()}
    ]
    if analysis.previous_id and analysis.status == "approved":
        consequences.append(
            _("Revisjon %(n)s blir gjeldende igjen.") % {"n": analysis.previous.revision}
        )
    context = {
        "heading": _("Slett analysen «%(t)s»") % {"t": analysis.title},
        "what": _("Revisjon %(r)s, %(s)s.")
        % {"r": analysis.revision, "s": analysis.get_status_display().lower()},
        "blockers": blockers,
        "consequences": consequences,
        "cancel_url": reverse("risk:analysis_detail", args=[analysis.pk]),
        "action_url": reverse("risk:analysis_delete", args=[analysis.pk]),
    }
    return render(request, "risk/confirm_delete.html", context, status=status)
