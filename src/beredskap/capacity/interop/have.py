"""OASIS EDXL-HAVE 2.0: export bed reports and import them, validated against the schema
shipped in schemas/ (see SOURCES.md: a faithful subset, not the official OASIS file)."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import xmlschema
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from lxml import etree

from beredskap.capacity.interop.common import (
    BEDS_LIST_URI,
    RESOURCE_LIST_URI,
    MessageInvalid,
    category_from_code,
    check_size,
    facility_report_dict,
    find_facility,
)
from beredskap.capacity.models import BedReport

HAVE_NS = "urn:oasis:names:tc:emergency:edxl:have:2.0"
CT_NS = "urn:oasis:names:tc:emergency:edxl:ct:1.0"
NS = {"have": HAVE_NS, "ct": CT_NS}
SCHEMA_PATH = Path(__file__).parent / "schemas" / "edxl-have-2.0-beredskap.xsd"
CONTENT_TYPE = "application/xml"


@cache
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMA_PATH))


def _parser() -> etree.XMLParser:
    """No DTDs, no entities, no network: untrusted input."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _el(parent: etree._Element, name: str, text: Any = None, ns: str = HAVE_NS) -> etree._Element:
    element = etree.SubElement(parent, f"{{{ns}}}{name}")
    if text is not None:
        element.text = str(text)
    return element


def _code(parent: etree._Element, name: str, uri: str, value: str) -> None:
    holder = _el(parent, name)
    _el(holder, "ValueListURI", uri, CT_NS)
    _el(holder, "Value", value, CT_NS)


def _facility(root: etree._Element, report: BedReport) -> None:
    facility = report.facility
    node = _el(root, "facility")
    info = _el(node, "facilityInformation")
    _el(info, "facilityID", facility.code)
    _el(info, "facilityName", facility.name)
    _el(info, "organisationName", facility.organisation.name)
    if facility.organisation.org_number:
        _el(info, "organisationID", facility.organisation.org_number)
    _el(node, "clinicalStatus", "Level1" if report.surge_active else "Normal")
    beds = _el(node, "bedCapacityStatus")
    for count in report.counts.all():
        bed = _el(beds, "bedCapacity")
        _code(bed, "bedType", BEDS_LIST_URI, count.category)
        capacity = _el(bed, "capacity")
        _el(capacity, "capacityStatus", "VacantAvailable" if count.available else "NotAvailable")
        for name, value in (
            ("availableCount", count.available),
            ("baselineCount", count.staffed),
            ("occupiedCount", count.occupied),
            ("additionalCapacityCount24Hr", count.surge_24h),
            ("additionalCapacityCount72Hr", count.surge_72h),
        ):
            _el(capacity, name, value)
    resources = _el(node, "resourceList")
    for kind, total, in_use in (
        ("ventilator", report.ventilators_total, report.ventilators_in_use),
        ("ecmo", report.ecmo_total, report.ecmo_in_use),
    ):
        resource = _el(resources, "resource")
        _code(resource, "resourceType", RESOURCE_LIST_URI, kind)
        _el(resource, "totalCount", total)
        _el(resource, "inUseCount", in_use)
    if report.comment:
        _el(node, "comments", report.comment)
    _el(
        node, "lastUpdateTime", timezone.localtime(report.reported_at).isoformat(timespec="seconds")
    )


def export_reports(reports: list[BedReport]) -> bytes:
    """One HAVE message with one facility element per report; validated before it leaves."""
    root = etree.Element(f"{{{HAVE_NS}}}HAVE", nsmap={"have": HAVE_NS, "ct": CT_NS})
    for report in reports:
        _facility(root, report)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    validate(data)
    return data


def validate(data: bytes) -> etree._Element:
    """Parse safely and validate against the schema; every finding is reported."""
    check_size(data)
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise MessageInvalid([_("Ikke gyldig XML: %(e)s") % {"e": exc}]) from exc
    problems = [f"{error.path}: {error.reason}" for error in schema().iter_errors(root)]
    if problems:
        raise MessageInvalid(problems)
    return root


def _int(node: etree._Element, path: str, default: int = 0) -> int:
    found = node.find(path, NS)
    return int(found.text) if found is not None and found.text else default


def _parse_counts(node: etree._Element, problems: list[str], facility_code: str) -> list[dict]:
    counts = []
    for bed in node.iterfind("have:bedCapacityStatus/have:bedCapacity", NS):
        uri = bed.findtext("have:bedType/ct:ValueListURI", namespaces=NS) or ""
        value = bed.findtext("have:bedType/ct:Value", namespaces=NS) or ""
        category = category_from_code(uri.strip(), value.strip())
        if category is None:
            problems.append(
                _("%(f)s: ukjent sengetype %(v)s (%(u)s)")
                % {"f": facility_code, "v": value, "u": uri}
            )
            continue
        cap = bed.find("have:capacity", NS)
        counts.append(
            {
                "category": category,
                "staffed": _int(cap, "have:baselineCount"),
                "occupied": _int(cap, "have:occupiedCount"),
                "available": _int(cap, "have:availableCount"),
                "surge_24h": _int(cap, "have:additionalCapacityCount24Hr"),
                "surge_72h": _int(cap, "have:additionalCapacityCount72Hr"),
            }
        )
    return counts


def _resources(node: etree._Element) -> dict[str, int]:
    values = {}
    for resource in node.iterfind("have:resourceList/have:resource", NS):
        kind = resource.findtext("have:resourceType/ct:Value", namespaces=NS)
        prefix = {"ventilator": "ventilators", "ecmo": "ecmo"}.get((kind or "").strip())
        if prefix:
            values[f"{prefix}_total"] = _int(resource, "have:totalCount")
            values[f"{prefix}_in_use"] = _int(resource, "have:inUseCount")
    return values


def parse(data: bytes) -> list[dict]:
    """Validated message → report dicts for services.beds.submit_many (facilities resolved)."""
    root = validate(data)
    reports, problems = [], []
    for node in root.iterfind("have:facility", NS):
        code = node.findtext("have:facilityInformation/have:facilityID", namespaces=NS).strip()
        try:
            facility = find_facility(code)
        except MessageInvalid as exc:
            problems.extend(exc.problems)
            continue
        reported_at: datetime | None = parse_datetime(
            node.findtext("have:lastUpdateTime", namespaces=NS).strip()
        )
        counts = _parse_counts(node, problems, code)
        status = node.findtext("have:clinicalStatus", namespaces=NS) or "Normal"
        reports.append(
            facility_report_dict(
                facility,
                reported_at,
                counts,
                surge_active=status != "Normal",
                comment=(node.findtext("have:comments", namespaces=NS) or "")[:500],
                **_resources(node),
            )
        )
    if problems:
        raise MessageInvalid(problems)
    return reports
