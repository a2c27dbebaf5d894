from django.urls import path

from beredskap.core import views
from beredskap.core.oidc import views as oidc_views

app_name = "core"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("konto/logg-inn/", views.login_view, name="login"),
    path("konto/logg-ut/", oidc_views.logout_view, name="logout"),
    path("konto/tofaktor/", views.two_factor_view, name="two_factor"),
    path("konto/tofaktor/bytt/", views.two_factor_replace_view, name="two_factor_replace"),
    path(
        "konto/tofaktor/tilbakestill/<int:user_id>/",
        views.two_factor_reset_view,
        name="two_factor_reset",
    ),
    path("konto/api-nokler/", views.api_tokens_view, name="api_tokens"),
    path("konto/organisasjon/tilgang/", views.org_access_view, name="org_access"),
    path("revisjon/", views.audit_view, name="audit"),
    path("ping/", views.ping_view, name="ping"),
]
