"""CSV/XLSX bulk import of bed reports and stock movements: all or nothing, every bad line named."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from beredskap.capacity.models import BedReport, StockMovement
from beredskap.capacity.services import stock
from tests.capacity.helpers import make_facility
from tests.factories import make_user, token_for, verified_client

FUTURE = (date.today() + timedelta(days=400)).isoformat()
HEADER = "enhet;tidspunkt;kategori;bemannet;belagt;ledig;okning_24t;okning_72t;forsterket_drift\n"


def _when(hours: int) -> str:
    return (timezone.localtime() - timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M")


def _csv(text: str, name: str = "rapporter.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


@pytest.fixture
def hospital(org):
    nlsh = org("Nordlandssykehuset HF")
    return (
        make_user("sykehus", nlsh, role="reporter"),
        make_facility(nlsh, "NLSH Bodø"),
        make_facility(org("Oslo universitetssykehus HF"), "Rikshospitalet"),
    )


def test_a_bed_file_makes_one_report_per_facility_and_time(hospital):
    reporter, facility, _ous = hospital
    text = HEADER + (
        f"nlsh-bodo;{_when(2)};icu_vent;10;7;3;2;4;nei\n"
        f"nlsh-bodo;{_when(2)};Intensiv uten respirator;6;2;4;;;\n"
        f"nlsh-bodo;{_when(1)};icu_vent;10;9;1;0;2;nei\n"
    )
    response = verified_client(reporter).post(
        "/kapasitet/senger/tabell/", {"file": _csv(text)}, follow=True
    )
    assert "2 rapporter er importert" in response.content.decode()
    first, second = BedReport.objects.filter(facility=facility).order_by("reported_at")
    assert sorted(first.counts.values_list("category", flat=True)) == ["icu_novent", "icu_vent"]
    assert second.counts.get().occupied == 9 and first.source == "csv"


def test_a_bad_bed_file_is_rejected_whole_with_every_bad_line(hospital):
    reporter, _facility, _ous = hospital
    text = HEADER + (
        f"nlsh-bodo;{_when(3)};icu_vent;10;7;3;2;4;nei\n"
        f"ukjent-enhet;{_when(2)};icu_vent;1;1;0;0;0;nei\n"
        f"nlsh-bodo;{_when(1)};icu_vent;5;9;0;0;0;nei\n"
        f"rikshospitalet;{_when(1)};icu_vent;5;1;1;0;0;nei\n"
        f"nlsh-bodo;i går;icu_vent;-1;1;0;0;0;kanskje\n"
    )
    response = verified_client(reporter).post("/kapasitet/senger/tabell/", {"file": _csv(text)})
    page = response.content.decode()
    assert response.status_code == 400 and "Ingenting er lagret" in page
    assert "Linje 3: enhet: ukjent" in page and "Linje 4:" in page and "forsterket drift" in page
    assert (
        "Linje 5: Du kan bare rapportere" in page
        and "Linje 6:" in page
        and "ugyldig tidspunkt" in page
    )
    assert "Linje 2:" not in page
    assert not BedReport.objects.exists()


def test_the_templates_download_as_csv_and_xlsx(hospital):
    client = verified_client(hospital[0])
    csv = client.get("/kapasitet/senger/tabell/?mal=csv")
    assert (
        csv["Content-Type"].startswith("text/csv")
        and "enhet;tidspunkt;kategori" in csv.content.decode()
    )
    xlsx = client.get("/kapasitet/lager/import/?mal=xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[1]][:3] == ["type", "lagersted", "produkt"]


@pytest.fixture
def depot(org, admin_user):
    nlsh = org("Nordlandssykehuset HF")
    reporter = make_user("lager", nlsh, role="reporter")
    main = stock.create_location(
        by=reporter, name="NLSH sentrallager", kind="institution", owner_org=nlsh
    )
    stock.create_location(
        by=reporter, name="NLSH Lofoten lager", kind="institution", owner_org=nlsh
    )
    masks = stock.create_product(
        by=admin_user, name="FFP2-maske", kind="ppe", category="respirator"
    )
    return reporter, main, masks


def _xlsx(rows: list[list]) -> SimpleUploadedFile:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile("bevegelser.xlsx", data.getvalue())


STOCK_HEADER = [
    "type",
    "lagersted",
    "produkt",
    "parti",
    "antall",
    "utlopsdato",
    "til_lagersted",
    "referanse",
]


def test_stock_movements_import_in_file_order_from_xlsx(depot):
    reporter, _main, _masks = depot
    upload = _xlsx(
        [
            STOCK_HEADER,
            ["mottak", "NLSH sentrallager", "FFP2-maske", "L1", 500, FUTURE, "", "innkjøp"],
            ["uttak", "NLSH sentrallager", "ffp2-maske", "L1", 100, "", "", ""],
            [
                "overføring",
                "NLSH sentrallager",
                "FFP2-maske",
                "L1",
                50,
                "",
                "NLSH Lofoten lager",
                "",
            ],
        ]
    )
    response = verified_client(reporter).post(
        "/kapasitet/lager/import/", {"file": upload}, follow=True
    )
    assert "3 rader er importert" in response.content.decode()
    assert sorted(StockMovement.objects.values_list("quantity", flat=True)) == [-100, -50, 50, 500]


def test_a_bad_stock_file_writes_nothing_and_names_each_line(depot):
    reporter, _main, _masks = depot
    upload = _xlsx(
        [
            STOCK_HEADER,
            ["mottak", "NLSH sentrallager", "FFP2-maske", "L1", 500, FUTURE, "", ""],
            ["mottak", "NLSH sentrallager", "FFP2-maske", "L2", 10, "2020-01-01", "", ""],
            ["uttak", "NLSH sentrallager", "FFP2-maske", "L1", 900, "", "", ""],
            ["flytt", "Ukjent lager", "Gummistøvler", "L1", 1, "", "", ""],
        ]
    )
    response = verified_client(reporter).post("/kapasitet/lager/import/", {"file": upload})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Linje 3:" in page and "Utløpsdatoen er passert" in page
    assert "Linje 4:" in page and "har bare 500 igjen" in page
    assert "Linje 5: type: ukjent verdi" in page and "Linje 2:" not in page
    assert not StockMovement.objects.exists()


def test_the_import_api_answers_201_or_400_with_the_lines(hospital):
    reporter, _facility, _ous = hospital
    client = verified_client(reporter)
    headers = token_for(reporter)
    good = HEADER + f"nlsh-bodo;{_when(2)};icu_vent;10;7;3;2;4;nei\n"
    created = client.post("/api/v1/capacity/bed-reports/import", {"file": _csv(good)}, **headers)
    assert created.status_code == 201 and created.json() == {"created": 1}
    bad = HEADER + f"nlsh-bodo;{_when(1)};bogus;10;7;3;2;4;nei\n"
    refused = client.post("/api/v1/capacity/bed-reports/import", {"file": _csv(bad)}, **headers)
    assert refused.status_code == 400 and refused.json()["detail"][0]["field"] == "linje 2"
    wrong = client.post(
        "/api/v1/capacity/stock/movements/import", {"file": _csv("x", "a.pdf")}, **headers
    )
    assert wrong.status_code == 400 and "CSV- eller XLSX" in wrong.content.decode()
    assert BedReport.objects.count() == 1
