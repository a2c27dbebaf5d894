from django.urls import path

from beredskap.modelling import views

app_name = "modelling"
urlpatterns = [
    path("", views.run_list, name="index"),
    path("ny/", views.run_new, name="run_new"),
    path("sammenlign/", views.run_compare, name="run_compare"),
    path("kommuner.geojson", views.municipalities_geojson, name="municipalities_geojson"),
    path("<int:pk>/", views.run_detail, name="run_detail"),
    path("<int:pk>/status/", views.run_status, name="run_status"),
    path("<int:pk>/avbryt/", views.run_cancel, name="run_cancel"),
    path("<int:pk>/slett/", views.run_delete, name="run_delete"),
    path("<int:pk>/diagram.json", views.run_chart_data, name="run_chart_data"),
    path("<int:pk>/kart.json", views.run_map_data, name="run_map_data"),
    path("<int:pk>/eksport.<str:fmt>", views.run_export, name="run_export"),
]
