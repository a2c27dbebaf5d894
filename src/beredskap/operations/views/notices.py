"""The crisis's notification page: per recipient and channel, what was delivered, what failed
and why, who acknowledged and where it escalated."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from beredskap.operations.notice_board import delivery_overview
from beredskap.operations.permissions import is_coordinator
from beredskap.operations.views.common import crisis_for


@login_required
def crisis_notifications(request: HttpRequest, pk: int) -> HttpResponse:
    crisis = crisis_for(request, pk)
    return render(
        request,
        "operations/crisis_notifications.html",
        {
            "crisis": crisis,
            "notices": delivery_overview(request.user, crisis),
            "coordinator": is_coordinator(request.user, crisis),
        },
    )
