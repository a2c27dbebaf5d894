from django.urls import path

from beredskap.actors import views, views_contacts, views_national, views_users

app_name = "actors"
urlpatterns = [
    path("organisasjoner/", views.organisation_list, name="organisation_list"),
    path("organisasjoner/ny/", views_national.organisation_create, name="organisation_create"),
    path(
        "organisasjoner/<int:pk>/styring/",
        views_national.organisation_governance,
        name="organisation_governance",
    ),
    path(
        "organer/<slug:slug>/medlemmer/<int:member_id>/fjern/",
        views_national.body_remove_member,
        name="body_remove_member",
    ),
    path("organisasjoner/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisasjoner/<int:pk>/endre/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisasjoner/<int:pk>/kontaktpunkter/",
        views_contacts.contact_points,
        name="contact_points",
    ),
    path("organisasjoner/<int:pk>/brukere/", views_users.org_users, name="org_users"),
    path(
        "organisasjoner/<int:pk>/brukere/import/",
        views_users.org_users_import,
        name="org_users_import",
    ),
    path("organisasjoner/<int:pk>/klareringer/", views_users.org_clearances, name="org_clearances"),
    path("kontaktpunkter/import/", views_contacts.contact_import, name="contact_import"),
    path("kontaktpunkter/mangler/", views_contacts.reachability, name="reachability"),
    path("organer/", views.body_list, name="body_list"),
    path("organer/<slug:slug>/", views.body_detail, name="body_detail"),
    path("organer/<slug:slug>/medlemmer/", views.body_add_member, name="body_add_member"),
    path("organer/<slug:slug>/tilstand/", views.body_set_state, name="body_set_state"),
    path("organer/<slug:slug>/nytt-mote/", views.meeting_create, name="meeting_create"),
    path("organisasjoner/<int:pk>/paminnelse/", views.reminder_send, name="reminder_send"),
    path("paminnelser/", views.reminder_list, name="reminder_list"),
    path("moter/", views.meeting_list, name="meeting_list"),
    path("moter/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path(
        "moter/<int:pk>/oppfolging/<int:action_pk>/status/",
        views.meeting_action_status,
        name="meeting_action_status",
    ),
    path("moter/<int:pk>/referat/", views.meeting_minutes, name="meeting_minutes"),
    path("moter/<int:pk>/<slug:part>/", views.meeting_add, name="meeting_add"),
]
