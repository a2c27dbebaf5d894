from django.urls import path

from beredskap.risk import views, views_delete, views_events, views_io

app_name = "risk"
urlpatterns = [
    path("", views.index, name="index"),
    path("ny/", views.analysis_create, name="analysis_create"),
    path("sektor/", views.sector_view, name="sector"),
    path("omrader/", views.risk_areas, name="areas"),
    path("tiltak/", views_events.measure_list, name="measures"),
    path("tiltak/<int:pk>/", views_events.measure_edit, name="measure_edit"),
    path("mal/<str:kind>.<str:fmt>", views_io.template_download, name="template"),
    path("<int:pk>/", views.analysis_detail, name="analysis_detail"),
    path("<int:pk>/rediger/", views.analysis_edit, name="analysis_edit"),
    path("<int:pk>/status/", views.analysis_status, name="analysis_status"),
    path("<int:pk>/revisjon/", views.analysis_revise, name="analysis_revise"),
    path("<int:pk>/akseptkriterier/", views.analysis_acceptance, name="acceptance"),
    path("<int:pk>/akseptkriterier/radet/", views.analysis_council, name="acceptance_council"),
    path("<int:pk>/slett/", views_delete.analysis_delete, name="analysis_delete"),
    path("<int:pk>/hendelser/ny/", views_events.event_create, name="event_create"),
    path("<int:pk>/import/", views_io.import_view, name="import"),
    path("<int:pk>/eksport.xlsx", views_io.export_xlsx, name="export_xlsx"),
    path("<int:pk>/rapport.pdf", views_io.export_pdf, name="export_pdf"),
    path("hendelser/<int:pk>/", views_events.event_detail, name="event_detail"),
    path("hendelser/<int:pk>/rediger/", views_events.event_edit, name="event_edit"),
    path("hendelser/<int:pk>/<str:part>/", views_events.event_add_part, name="event_add"),
]
