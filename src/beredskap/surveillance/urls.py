from django.urls import path

from beredskap.surveillance import views

app_name = "surveillance"
urlpatterns = [
    path("", views.index, name="index"),
    path("signaler/", views.signal_list, name="signal_list"),
    path("signaler/<int:pk>/", views.signal_detail, name="signal_detail"),
    path("signaler/<int:pk>/ta/", views.signal_take, name="signal_take"),
    path("signaler/<int:pk>/vurder/", views.signal_assess, name="signal_assess"),
    path("serier/<int:pk>/", views.series_detail, name="series_detail"),
    path("last-opp/", views.upload, name="upload"),
    path("varsler/", views.alerts, name="alerts"),
]
