from django.urls import path

from beredskap.operations.views import actions, crises, national, reports, staff

app_name = "operations"
urlpatterns = [
    path("", crises.index, name="index"),
    path("ny/", crises.crisis_create, name="create"),
    path("varsler/", crises.notifications_page, name="notifications"),
    path("varsler/<int:recipient_id>/kvitter/", crises.acknowledge, name="acknowledge"),
    path("cap/feed.xml", actions.feed, name="feed"),
    path("cap/<str:identifier>.xml", actions.alert_xml, name="alert_xml"),
    path("kommuner.geojson", reports.outlines, name="outlines"),
    path("<int:pk>/", crises.crisis_detail, name="crisis"),
    path("<int:pk>/niva/", crises.crisis_level, name="level"),
    path("<int:pk>/aktiver/", crises.crisis_activate, name="activate"),
    path("<int:pk>/varsle/", crises.crisis_notify, name="notify"),
    path("<int:pk>/avslutt/", crises.crisis_close, name="close"),
    path("<int:pk>/logg/", crises.crisis_log, name="log"),
    path("<int:pk>/syklus/ny/", staff.cycle_create, name="cycle_create"),
    path("<int:pk>/aktivering/<int:activation_id>/ekspert/", staff.expert_add, name="expert_add"),
    path("<int:pk>/kontaktperson/", staff.liaison_add, name="liaison_add"),
    path("<int:pk>/roller/", staff.role_handover, name="role_handover"),
    path("<int:pk>/fordeling/linje/<int:line_id>/", staff.line_adjust, name="line_adjust"),
    path(
        "<int:pk>/utsendelser/<int:deployment_id>/avslutt/",
        staff.deployment_end,
        name="deployment_end",
    ),
    path("<int:pk>/logg/ny/", crises.log_add, name="log_add"),
    path("<int:pk>/syklus/<int:cycle_id>/", reports.cycle_detail, name="cycle"),
    path("<int:pk>/syklus/<int:cycle_id>/rapport/", reports.report_submit, name="report_submit"),
    path(
        "<int:pk>/syklus/<int:cycle_id>/fylkesrapport/", reports.county_report, name="county_report"
    ),
    path("<int:pk>/syklus/<int:cycle_id>/nasjonal/", national.national_page, name="national"),
    path(
        "<int:pk>/syklus/<int:cycle_id>/nasjonal/ny/",
        national.national_build,
        name="national_build",
    ),
    path("<int:pk>/rapport/<int:report_id>/", reports.report_detail, name="report"),
    path("<int:pk>/rapport/<int:report_id>/utkast/", reports.county_edit, name="county_edit"),
    path("<int:pk>/bilde/", reports.picture_page, name="picture"),
    path("<int:pk>/bilde/innhold/", reports.picture_fragment, name="picture_fragment"),
    path("<int:pk>/bilde/status.json", reports.picture_status, name="picture_status"),
    path("<int:pk>/brifing.pdf", reports.briefing_pdf, name="briefing"),
    path("<int:pk>/arbeid/", actions.work_page, name="work"),
    path("<int:pk>/vedtak/", actions.decision_create, name="decision_create"),
    path("<int:pk>/oppgaver/", actions.task_create, name="task_create"),
    path("<int:pk>/oppgaver/<int:task_id>/status/", actions.task_status, name="task_status"),
    path("<int:pk>/foresporsler/", actions.request_create, name="request_create"),
    path("<int:pk>/tilbud/", actions.offer_create, name="offer_create"),
    path("<int:pk>/fordeling/", actions.propose, name="propose"),
    path("<int:pk>/fordeling/<int:proposal_id>/godkjenn/", actions.approve, name="approve"),
    path("<int:pk>/cap/", actions.alert_create, name="alert_create"),
    path("<int:pk>/cap/<int:alert_id>/trekk/", actions.alert_cancel, name="alert_cancel"),
    path("<int:pk>/cap/feed.xml", actions.exercise_feed, name="exercise_feed"),
]
