from django.urls import path

from beredskap.commitments import views, views_report

app_name = "commitments"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/dokumentasjon/", views.evidence, name="evidence"),
    path("<int:pk>/<slug:part>/", views.change, name="change"),
    path("rapporter/", views.report_list, name="report_list"),
    path("rapporter/jobb/<int:pk>/", views.report_job, name="report_job"),
    path("rapporter/jobb/<int:pk>/status/", views.report_job_status, name="report_job_status"),
    path("rapporter/jobb/<int:pk>/avbryt/", views.report_job_cancel, name="report_job_cancel"),
    path("rapporter/<int:pk>.<slug:fmt>", views.report_file, name="report_file"),
    path("rapporter/<int:pk>/", views_report.report_preview, name="report_preview"),
    path("rapporter/tekst/<slug:kind>/", views_report.preface_edit, name="preface_edit"),
    path("rapporter/utkast/<slug:kind>/", views_report.report_draft, name="report_draft"),
]
