"""EDXL-HAVE 2.0 and FHIR SANER MeasureReport: round trips, schema and profile checks,
all-or-nothing imports."""

from __future__ import annotations

import copy
import json

import pytest

from beredskap.capacity.interop import fhir, have
from beredskap.capacity.interop.common import MessageInvalid
from beredskap.capacity.interop.service import import_message
from beredskap.capacity.models import BedReport
from beredskap.capacity.services.common import ImportRejected
from beredskap.core.errors import PermissionDenied
from tests.capacity.helpers import icu_counts, make_facility, report
from tests.factories import make_user

WARD = {
    "category": "ward",
    "staffed": 120,
    "occupied": 100,
    "available": 15,
    "surge_24h": 10,
    "surge_72h": 25,
}


@pytest.fixture
def setup(org):
    nlsh = org("Nordlandssykehuset HF")
    reporter = make_user("sykehus", nlsh, role="reporter")
    facility = make_facility(nlsh, "NLSH Bodø")
    original = report(
        reporter,
        facility,
        counts=icu_counts() + [WARD],
        ventilators_total=14,
        ventilators_in_use=6,
        ecmo_total=2,
        ecmo_in_use=1,
        surge_active=True,
        comment="Vinterbølge",
    )
    return reporter, facility, original


def _fields(r: BedReport) -> tuple:
    counts = sorted(
        (c.category, c.staffed, c.occupied, c.available, c.surge_24h, c.surge_72h)
        for c in r.counts.all()
    )
    return (
        r.facility_id,
        r.reported_at.replace(microsecond=0),
        r.surge_active,
        r.ventilators_total,
        r.ventilators_in_use,
        r.ecmo_total,
        r.ecmo_in_use,
        counts,
    )


def test_edxl_have_round_trip_keeps_every_figure(setup):
    reporter, _facility, original = setup
    xml = have.export_reports([original])
    assert b"urn:oasis:names:tc:emergency:edxl:have:2.0" in xml
    expected = _fields(original)
    original.counts.all().delete()
    BedReport.objects.filter(pk=original.pk).delete()
    (imported,) = import_message(by=reporter, data=xml, fmt="edxl-have")
    assert imported.source == "edxl_have" and _fields(imported) == expected


def test_fhir_round_trip_keeps_every_figure_and_passes_the_official_schema(setup):
    reporter, facility, original = setup
    resource = fhir.export_report(original)
    assert resource["meta"]["profile"] == [fhir.PROFILE]
    assert resource["subject"]["reference"] == f"Location/{facility.code}"
    fhir.validate(resource)
    expected = _fields(original)
    original.counts.all().delete()
    BedReport.objects.filter(pk=original.pk).delete()
    (imported,) = import_message(
        by=reporter,
        data=json.dumps(fhir.export_bundle([]) | {"entry": [{"resource": resource}]}).encode(),
        fmt="fhir",
    )
    assert imported.source == "fhir" and _fields(imported) == expected


@pytest.mark.parametrize(
    "breakage, expected",
    [
        (
            lambda x: x.replace(b"<have:baselineCount>10<", b"<have:baselineCount>-10<"),
            "baselineCount",
        ),
        (lambda x: x.replace(b"have:lastUpdateTime", b"have:lastUpdated"), "lastUpdated"),
        (lambda x: x.replace(b"VacantAvailable", b"Maybe", 1), "capacityStatus"),
        (lambda x: x[: len(x) // 2], "Ikke gyldig XML"),
    ],
)
def test_a_broken_edxl_have_message_fails_schema_validation(setup, breakage, expected):
    xml = have.export_reports([setup[2]])
    with pytest.raises(MessageInvalid) as info:
        have.validate(breakage(xml))
    assert expected in str(info.value.problems)


def test_xml_with_external_entities_is_not_expanded(setup):
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<have:HAVE xmlns:have="urn:oasis:names:tc:emergency:edxl:have:2.0">&e;</have:HAVE>'
    )
    with pytest.raises(MessageInvalid) as info:
        have.validate(evil)
    assert "root:" not in str(info.value.problems)


@pytest.mark.parametrize(
    "mutate, expected",
    [
        (lambda r: r.update(status="draft"), "status"),
        (lambda r: r.update(type="individual"), "type"),
        (lambda r: r.update(measure="http://example.org/Measure/x"), "measure"),
        (lambda r: r.update(subject={"reference": "Patient/1"}), "subject"),
        (lambda r: r.pop("period"), "period"),
        (lambda r: r["group"][0]["population"][0].update(count="ti"), "count"),
        (
            lambda r: r["group"][0].update(code={"coding": [{"system": "x", "code": "y"}]}),
            "gruppekode",
        ),
        (lambda r: r.update(resourceType="Observation"), "resourceType"),
    ],
)
def test_a_measure_report_breaking_schema_or_saner_profile_is_refused(setup, mutate, expected):
    resource = fhir.export_report(setup[2])
    broken = copy.deepcopy(resource)
    mutate(broken)
    with pytest.raises(MessageInvalid) as info:
        fhir.parse(json.dumps(broken).encode())
    assert expected in " ".join(info.value.problems)


def test_a_saner_report_with_only_the_standard_groups_is_understood(setup):
    reporter, facility, _original = setup
    resource = {
        "resourceType": "MeasureReport",
        "status": "complete",
        "type": "summary",
        "measure": fhir.SANER_MEASURE,
        "subject": {"reference": f"Location/{facility.code}"},
        "period": {"start": "2024-01-10T00:00:00+01:00", "end": "2024-01-10T08:00:00+01:00"},
        "group": [
            {
                "code": {"coding": [{"system": fhir.GROUP_SYSTEM, "code": "Beds"}]},
                "population": [
                    {
                        "code": {"coding": [{"system": fhir.VALUE_SYSTEM, "code": "numBeds"}]},
                        "count": 200,
                    },
                    {
                        "code": {"coding": [{"system": fhir.VALUE_SYSTEM, "code": "numBedsOcc"}]},
                        "count": 150,
                    },
                    {
                        "code": {"coding": [{"system": fhir.VALUE_SYSTEM, "code": "numICUBeds"}]},
                        "count": 12,
                    },
                    {
                        "code": {
                            "coding": [{"system": fhir.VALUE_SYSTEM, "code": "numICUBedsOcc"}]
                        },
                        "count": 9,
                    },
                ],
            }
        ],
    }
    (imported,) = import_message(by=reporter, data=json.dumps(resource).encode(), fmt="fhir")
    counts = {c.category: (c.staffed, c.occupied) for c in imported.counts.all()}
    assert counts == {"icu_vent": (12, 9), "ward": (188, 141)}


def test_an_import_with_one_bad_facility_stores_nothing(setup, org):
    reporter, facility, original = setup
    other = make_facility(org("Oslo universitetssykehus HF"), "Rikshospitalet")
    foreign = report(make_user("ous", org("Oslo universitetssykehus HF"), role="reporter"), other)
    xml = have.export_reports([original, foreign])
    BedReport.objects.all().delete()
    with pytest.raises(ImportRejected) as info:
        import_message(by=reporter, data=xml, fmt="edxl-have")
    assert len(info.value.rows) == 1 and "Rikshospitalet" in info.value.rows[0]["row"]
    assert not BedReport.objects.exists()


def test_an_unknown_facility_in_a_message_is_named(setup):
    xml = have.export_reports([setup[2]]).replace(b">nlsh-bod", b">ukjent-bod")
    with pytest.raises(MessageInvalid, match="Ukjent enhet"):
        have.parse(xml)


def test_an_outsider_cannot_import_for_a_hospital(setup, org):
    outsider = make_user("ous", org("Oslo universitetssykehus HF"), role="reporter")
    xml = have.export_reports([setup[2]])
    BedReport.objects.all().delete()
    with pytest.raises((ImportRejected, PermissionDenied)):
        import_message(by=outsider, data=xml, fmt="edxl-have")
    assert not BedReport.objects.exists()


@pytest.mark.parametrize(
    "document",
    [
        b"[null, null]",
        b"42",
        b'"tekst"',
        b'{"resourceType": "Bundle", "entry": [{"resource": [1]}]}',
    ],
)
def test_json_that_is_not_a_resource_object_is_refused_with_a_reason(setup, document):
    with pytest.raises(MessageInvalid) as info:
        fhir.parse(document)
    assert info.value.problems
