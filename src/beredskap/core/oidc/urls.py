from django.urls import path

from beredskap.core.oidc import views

app_name = "oidc"
urlpatterns = [
    path("<slug:slug>/start/", views.start_view, name="start"),
    path("<slug:slug>/tilbake/", views.callback_view, name="callback"),
]
