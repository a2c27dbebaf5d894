from django.urls import path

from beredskap.planning import views, views_compliance, views_files, views_loop, views_scenarios

app_name = "planning"
urlpatterns = [
    path("", views.index, name="index"),
    path("kretslop/", views_loop.sector_loop, name="sector_loop"),
    path("planer/ny/", views.plan_create, name="plan_create"),
    path("planer/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("planer/<int:pk>/rediger/", views.plan_edit, name="plan_edit"),
    path("planer/<int:pk>/slett/", views_files.plan_delete, name="plan_delete"),
    path("planer/<int:pk>/vedlegg/", views_files.attachment_add, name="attachment_add"),
    path(
        "planer/<int:pk>/vedlegg/<int:attachment_pk>/",
        views_files.attachment_download,
        name="attachment_download",
    ),
    path(
        "planer/<int:pk>/vedlegg/<int:attachment_pk>/slett/",
        views_files.attachment_delete,
        name="attachment_delete",
    ),
    path("planer/import/", views_compliance.plan_import, name="plan_import"),
    path("planer/mal.<str:fmt>", views_compliance.plan_template, name="plan_template"),
    path("scenarioer/", views_scenarios.scenario_list, name="scenarios"),
    path("scenarioer/ny/", views_scenarios.scenario_create, name="scenario_create"),
    path("scenarioer/<int:pk>/", views_scenarios.scenario_detail, name="scenario_detail"),
    path("scenarioer/<int:pk>/rediger/", views_scenarios.scenario_edit, name="scenario_edit"),
    path("scenarioer/<int:pk>/slett/", views_files.scenario_delete, name="scenario_delete"),
    path(
        "scenarioer/fra-hendelse/<int:event_pk>/",
        views_scenarios.scenario_from_event,
        name="scenario_from_event",
    ),
    path("planforutsetninger/", views_scenarios.assumption_list, name="assumptions"),
    path("planforutsetninger/ny/", views_scenarios.assumption_create, name="assumption_create"),
    path(
        "planforutsetninger/<int:pk>/", views_scenarios.assumption_detail, name="assumption_detail"
    ),
    path(
        "planforutsetninger/<int:pk>/rediger/",
        views_scenarios.assumption_edit,
        name="assumption_edit",
    ),
    path(
        "planforutsetninger/<int:pk>/publiser/",
        views_scenarios.assumption_publish,
        name="assumption_publish",
    ),
    path("etterlevelse/", views_compliance.compliance, name="compliance"),
    path("etterlevelse/nasjonalt/", views_compliance.rollup, name="rollup"),
    path(
        "etterlevelse/kommune/<str:number>/",
        views_compliance.municipality_detail,
        name="municipality",
    ),
    path("etterlevelse/kommune/<str:number>/paminnelse/", views_compliance.remind, name="remind"),
    path("krav/", views_compliance.requirements_index, name="requirements_index"),
    path("krav/<int:org_pk>/", views_compliance.requirements, name="requirements"),
]
