"""The plan's iCalendar feed and the page where a user makes and revokes her calendar links.

The feed itself is fetched by calendar programs without signing in; see `feedkeys` for why a
link carries only UGRADERT entries unless its holder has chosen otherwise, expires and can be
revoked. Every refusal is the same 404, so a guessed, expired, revoked or foreign key, a plan
the holder no longer sees and a deactivated holder cannot be told apart.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from beredskap.core.audit import record_reads
from beredskap.core.classification import Classification
from beredskap.core.errors import PermissionDenied
from beredskap.exercises import calendar, queries, services
from beredskap.exercises.feedkeys import CalendarFeedKey

NO_STORE = "no-store, private"


def _no_feed() -> HttpResponse:
    response = HttpResponseNotFound(
        _("Ukjent, utløpt eller tilbaketrukket kalenderlenke."), content_type="text/plain"
    )
    response["Cache-Control"] = NO_STORE
    return response


def plan_feed(request: HttpRequest, pk: int) -> HttpResponse:
    """iCalendar feed of a plan for the holder of a calendar key."""
    key = calendar.active_key(request.GET.get("token", ""), pk)
    if key is None:
        return _no_feed()
    plan = queries.plans(key.user).filter(pk=pk).first()
    if plan is None:
        return _no_feed()
    exercises = calendar.feed_exercises(key)
    record_reads(key.user, exercises)
    services.note_feed_use(key=key)
    name = calendar.feed_name(plan, key.include_classified)
    body = calendar.ical_feed(plan, exercises, request.get_host().split(":")[0], name)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="ovingsplan-{plan.pk}.ics"'
    response["Cache-Control"] = NO_STORE
    return response


@login_required
def plan_feeds(request: HttpRequest, pk: int) -> HttpResponse:
    """The user's calendar links for a plan: make one (UGRADERT only, or with classified
    entries after a warning), see when each expires and was last used, revoke one."""
    plan = get_object_or_404(queries.plans(request.user), pk=pk)
    new_url = ""
    status = 200
    if request.method == "POST" and request.POST.get("action") == "revoke":
        key_id = _int(request.POST.get("key"))
        mine = CalendarFeedKey.objects.filter(user_id=request.user.pk or 0, plan=plan)
        key = mine.filter(pk=key_id).first() if key_id is not None else None
        if key is None:
            return HttpResponseNotFound(_("Fant ikke kalenderlenken."), content_type="text/plain")
        services.revoke_feed_key(by=request.user, key=key)
    elif request.method == "POST":
        try:
            _key, secret = services.create_feed_key(
                by=request.user,
                plan=plan,
                include_classified=request.POST.get("include_classified") == "on",
            )
        except PermissionDenied:
            status = 403
        else:
            new_url = request.build_absolute_uri(calendar.feed_path(plan, secret))
            status = 200
    keys = CalendarFeedKey.objects.filter(user_id=request.user.pk or 0, plan=plan)
    context = {
        "plan": plan,
        "keys": keys,
        "new_url": new_url,
        "cleared": request.user.effective_clearance() > Classification.UGRADERT,
    }
    response = render(request, "exercises/plan_feeds.html", context, status=status)
    response["Cache-Control"] = NO_STORE
    return response


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 12 else None
