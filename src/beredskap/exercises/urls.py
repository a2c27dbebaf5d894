from django.urls import path

from beredskap.exercises import views, views_eval, views_feed, views_import, views_links

app_name = "exercises"
urlpatterns = [
    path("", views.index, name="index"),
    path("ny/", views.exercise_create, name="exercise_create"),
    path("hendelse/ny/", views.incident_create, name="incident_create"),
    path("kalender/", views.calendar_view, name="calendar"),
    path("import/", views_import.import_view, name="import"),
    path("import/<int:pk>/", views_import.import_job, name="import_job"),
    path("import/<int:pk>/status/", views_import.import_status, name="import_status"),
    path("import/<int:pk>/avbryt/", views_import.import_cancel, name="import_cancel"),
    path("import/<int:pk>/resultat.xlsx", views_import.import_report, name="import_report"),
    path("planer/", views.plan_list, name="plan_list"),
    path("planer/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("planer/<int:pk>/kalendernokkel/", views.plan_feed_key, name="plan_feed_key"),
    path("planer/<int:pk>/kalender.ics", views_feed.plan_feed, name="plan_feed"),
    path("planer/<int:pk>/kalenderlenker/", views_feed.plan_feeds, name="plan_feeds"),
    path("laeringspunkter/", views_eval.learning_point_list, name="learning_point_list"),
    path(
        "laeringspunkter/<int:pk>/", views_eval.learning_point_detail, name="learning_point_detail"
    ),
    path("laeringspunkter/<int:point_pk>/tiltak/", views_eval.action_add, name="action_add"),
    path(
        "laeringspunkter/<int:pk>/koblinger/",
        views_links.learning_point_links,
        name="learning_point_links",
    ),
    path("tiltak/<int:pk>/", views_eval.action_update, name="action_update"),
    path("oppfolging/", views_eval.follow_up, name="follow_up"),
    path("<int:pk>/", views.exercise_detail, name="exercise_detail"),
    path("<int:pk>/koblinger/", views_links.exercise_links, name="exercise_links"),
    path("<int:pk>/endre/", views.exercise_edit, name="exercise_edit"),
    path("<int:pk>/evaluering/", views_eval.evaluation, name="evaluation"),
    path("<int:pk>/evaluering/<slug:part>/", views_eval.evaluation_add, name="evaluation_add"),
    path("<int:pk>/<slug:part>/", views.exercise_add, name="exercise_add"),
]
