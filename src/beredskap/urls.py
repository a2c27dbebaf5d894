"""URL wiring: the HTML site per app, the API under /api/v1/, Django admin, i18n."""

from django.contrib import admin
from django.urls import include, path

from beredskap.api.api import api
from beredskap.capacity.views.fhir import measure as fhir_measure
from beredskap.core.health import health_view
from beredskap.surveillance.views import measure as surveillance_measure

urlpatterns = [
    path("", include("beredskap.core.urls")),
    path("konto/", include("beredskap.core.accounturls")),
    path("konto/oidc/", include("beredskap.core.oidc.urls")),
    path("helse/", health_view, name="health"),
    path("aktorer/", include("beredskap.actors.urls")),
    path("risiko/", include("beredskap.risk.urls")),
    path("planverk/", include("beredskap.planning.urls")),
    path("ovelser/", include("beredskap.exercises.urls")),
    path("oppfolging/", include("beredskap.commitments.urls")),
    path("kapasitet/", include("beredskap.capacity.urls")),
    path("krise/", include("beredskap.operations.urls")),
    path("modellering/", include("beredskap.modelling.urls")),
    path("overvaking/", include("beredskap.surveillance.urls")),
    path("api/v1/", api.urls),
    path(
        "fhir/Measure/surveillance-<slug:key>",
        surveillance_measure,
        name="fhir_surveillance_measure",
    ),
    path("fhir/Measure/<str:measure_id>", fhir_measure, name="fhir_measure"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

# Norwegian error pages with the site's navigation; JSON under /api/ (beredskap.core.errorviews).
handler400 = "beredskap.core.errorviews.bad_request"
handler403 = "beredskap.core.errorviews.permission_denied"
handler404 = "beredskap.core.errorviews.page_not_found"
handler500 = "beredskap.core.errorviews.server_error"
