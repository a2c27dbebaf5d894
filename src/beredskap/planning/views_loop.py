"""The sector view of the preparedness loop: per risk area, what has not been carried on
(Meld. St. 5 (2023–2024) 2.2.1: ROS → scenarios → plans → exercises → learning)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from beredskap.core.audit import record_reads
from beredskap.planning import loop


@login_required
def sector_loop(request: HttpRequest) -> HttpResponse:
    rows = loop.sector_gaps(request.user)
    record_reads(request.user, [r for row in rows for r in (*row["scenarios"], *row["plans"])])
    return render(request, "planning/sector_loop.html", {"rows": rows})
