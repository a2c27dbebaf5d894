"""URL wiring: the HTML site per app, the API under /api/v1/, Django admin, i18n."""

from django.contrib import admin
from django.urls import include, path

from beredskap.api.api import api

urlpatterns = [
    path("", include("beredskap.core.urls")),
    path("aktorer/", include("beredskap.actors.urls")),
    path("risiko/", include("beredskap.risk.urls")),
    path("planverk/", include("beredskap.planning.urls")),
    path("ovelser/", include("beredskap.exercises.urls")),
    path("oppfolging/", include("beredskap.commitments.urls")),
    path("kapasitet/", include("beredskap.capacity.urls")),
    path("krise/", include("beredskap.operations.urls")),
    path("modellering/", include("beredskap.modelling.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler500 = "beredskap.core.apierrors.server_error"
