"""Paging for HTML lists: one helper so every list pages the same way."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paginate(request: HttpRequest, queryset: QuerySet, per_page: int = 25) -> Page:
    """The requested page; out-of-range or malformed page numbers fall back gracefully."""
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("side") or request.GET.get("page"))


def querystring_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("side", None)
    params.pop("page", None)
    return params.urlencode()
