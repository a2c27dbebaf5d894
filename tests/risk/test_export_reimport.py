"""An analysis exported to XLSX, edited offline and imported again: its events and measures
come back as they were, from the workbook as downloaded (no new template needed)."""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from beredskap.risk import services
from tests.factories import make_user, verified_client
from tests.risk.builders import make_analysis, make_event

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_the_exported_workbook_imports_into_a_new_analysis_as_it_was(org):
    writer = make_user("skriver", org("HOD"), role="secretariat", clearance=1)
    source = make_analysis(writer, org("HOD"), title="ROS 2024", classification=1)
    event = make_event(writer, source, title="Askøy-type vannforurensning", probability=3, life=4)
    services.update_event(
        by=writer, event=event, expected_version=event.version, description="Bakterier i nettet"
    )
    event.refresh_from_db()
    services.add_measure(
        by=writer,
        event=event,
        title="Reservevannkilde",
        owner=org("Bodø kommune"),
        due_date=date(2027, 6, 30),
        effect_description="Halverer antall uten vann",
    )
    client = verified_client(writer)
    workbook = client.get(f"/risiko/{source.pk}/eksport.xlsx").content
    target = make_analysis(writer, org("HOD"), title="ROS 2028", classification=1)
    for kind in ("hendelser", "tiltak"):
        upload = SimpleUploadedFile("ros.xlsx", workbook, content_type=XLSX)
        answer = client.post(f"/risiko/{target.pk}/import/", {"kind": kind, "file": upload})
        assert answer.status_code == 200, answer.content.decode()[-2000:]
    copied = target.events.get()
    assert copied.title == "Askøy-type vannforurensning"
    assert copied.description == "Bakterier i nettet"
    assert (copied.probability, copied.consequence_of("life_health")) == (3, 4)
    assert copied.risk_area == event.risk_area and copied.uncertainty == event.uncertainty
    measure = copied.measures.get()
    assert measure.title == "Reservevannkilde" and measure.owner == org("Bodø kommune")
    assert measure.due_date == date(2027, 6, 30)
    assert measure.effect_description == "Halverer antall uten vann"
