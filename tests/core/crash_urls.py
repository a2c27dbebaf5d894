"""A URL configuration with a view that raises, for the 500 page test."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


urlpatterns = [path("krasj/", crash), path("", include("beredskap.urls"))]
handler500 = "beredskap.core.errorviews.server_error"
