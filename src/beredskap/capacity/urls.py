from django.urls import path

from beredskap.capacity.views import beds, bulk, entry, overview, resources

app_name = "capacity"
urlpatterns = [
    path("", overview.index, name="index"),
    path("senger/", beds.picture, name="beds"),
    path("senger/rapport/", beds.report_form, name="report"),
    path("senger/import/", beds.upload, name="upload"),
    path("senger/tabell/", bulk.beds_import, name="beds_import"),
    path("senger/eksport/<str:fmt>/", beds.export, name="export"),
    path("senger/<str:code>/", beds.facility_detail, name="facility"),
    path("lager/", resources.stock, name="stock"),
    path("lager/bevegelse/", entry.stock_movement, name="stock_movement"),
    path("lager/import/", bulk.stock_import, name="stock_import"),
    path("blod/rapport/", entry.blood_report, name="blood_report"),
    path("personell/rapport/", entry.personnel_report, name="personnel_report"),
    path("nodvann/registrer/", entry.water_form, name="water_form"),
    path("reserve/", resources.reserve_me, name="reserve_me"),
    path("reserve/eksport/", resources.reserve_export, name="reserve_export"),
    path("reserve/trekk/", resources.reserve_withdraw, name="reserve_withdraw"),
    path("reserve/sok/", resources.reserve_search, name="reserve_search"),
    path("nodvann/", resources.water, name="water"),
    path("nodvann/kart.json", overview.water_map, name="water_map"),
]
