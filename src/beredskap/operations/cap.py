"""OASIS CAP 1.2 messages: build the XML in the schema's element order and validate every
message against the shipped official schema (schemas/CAP-v1.2.xsd, see schemas/SOURCES.md)."""

from __future__ import annotations

import functools
from datetime import datetime
from pathlib import Path
from typing import Any

from django.utils import timezone
from lxml import etree

NS = "urn:oasis:names:tc:emergency:cap:1.2"
XSD = Path(__file__).parent / "schemas" / "CAP-v1.2.xsd"


@functools.cache
def schema() -> Any:
    import xmlschema

    return xmlschema.XMLSchema(str(XSD))


def cap_time(at: datetime) -> str:
    """CAP dateTime: explicit offset, no fractions, no «Z» (CAP 1.2 §3.3.2)."""
    return timezone.localtime(at).replace(microsecond=0).isoformat()


def _el(parent: Any, name: str, text: str | None) -> Any:
    node = etree.SubElement(parent, f"{{{NS}}}{name}")
    if text is not None:
        node.text = text
    return node


def build(alert: dict[str, Any]) -> str:
    """The CAP XML of one alert given as a dict (keys follow the CAP element names)."""
    root = etree.Element(f"{{{NS}}}alert", nsmap={None: NS})
    for key in (
        "identifier",
        "sender",
        "sent",
        "status",
        "msgType",
        "source",
        "scope",
        "note",
        "references",
        "incidents",
    ):
        if alert.get(key):
            _el(root, key, alert[key])
    for info in alert["infos"]:
        block = _el(root, "info", None)
        _el(block, "language", info["language"])
        _el(block, "category", alert["category"])
        _el(block, "event", info.get("event") or alert["event"])
        _el(block, "urgency", alert["urgency"])
        _el(block, "severity", alert["severity"])
        _el(block, "certainty", alert["certainty"])
        if alert.get("expires"):
            _el(block, "expires", alert["expires"])
        _el(block, "senderName", alert.get("senderName") or alert["sender"])
        _el(block, "headline", info["headline"])
        _el(block, "description", info["description"])
        if info.get("instruction"):
            _el(block, "instruction", info["instruction"])
        if alert.get("web"):
            _el(block, "web", alert["web"])
        area = _el(block, "area", None)
        _el(area, "areaDesc", alert["areaDesc"])
        for code in alert["municipality_numbers"]:
            geocode = _el(area, "geocode", None)
            _el(geocode, "valueName", "municipalityId")
            _el(geocode, "value", code)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode()


def validation_errors(xml: str) -> list[str]:
    """Reasons the XML fails the CAP 1.2 schema (empty when valid)."""
    try:
        document = etree.fromstring(xml.encode())
    except etree.XMLSyntaxError as exc:
        return [str(exc)]
    return [f"{error.path}: {error.reason}" for error in schema().iter_errors(document)]
