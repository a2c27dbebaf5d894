"""Every GET endpoint, found by walking the URL resolver and the API's OpenAPI schema, turned
into concrete requests by filling path parameters with the pks (or slugs, numbers, codes) of the
marked records — so a new page or API route is swept without anyone editing the test."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver

from tests.commitments.pdftext import pdf_text
from tests.sweep.builder import Record

PARAM = re.compile(r"<(?:(?P<conv>[a-z]+):)?(?P<name>\w+)>|\{(?P<api>\w+)\}")
REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>")
FORMATS = ["csv", "xlsx", "pdf", "json", "xml", "ics", "html"]
# Routes a GET would disturb for the rest of the sweep, with the reason.
DISTURBING = {"logout": "ends the persona's session"}
STOPWORDS = {"detail", "list", "edit", "create", "delete", "add", "new", "id", "pk", "v1", "api"}


@dataclass
class Endpoint:
    kind: str  # "html", "admin" or "api"
    route: str  # the pattern as written (Django route, regex or OpenAPI path)
    name: str
    app_label: str
    params: list[str]
    query: dict[str, str] = field(default_factory=dict)

    @property
    def is_detail(self) -> bool:
        """A read page or route of one record: named *_detail, or an API path ending in its id."""
        if self.kind == "api":
            return bool(self.params) and self.route.endswith("}")
        return self.kind == "html" and self.name.endswith("_detail")


@dataclass
class Request:
    endpoint: Endpoint
    url: str
    record: Record | None = None  # the record whose pk fills the main parameter


def html_endpoints() -> list[Endpoint]:
    found = []
    for route, name, namespace in _walk(get_resolver()):
        if route.startswith("api/v1/"):
            continue
        kind = "admin" if route.startswith("admin/") else "html"
        params = [m.group("name") for m in PARAM.finditer(route)] or REGEX_GROUP.findall(route)
        found.append(Endpoint(kind, "/" + route, name, namespace, params))
    return found


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Any:
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p, prefix + str(p.pattern), p.namespace or namespace)
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            yield (
                route.replace("^", "").replace("$", "").replace("\\Z", ""),
                p.name or "",
                (namespace),
            )


def api_endpoints() -> list[Endpoint]:
    from beredskap.api.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1")
    found = []
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if get is None:
            continue
        params = [p["name"] for p in get.get("parameters", []) if p["in"] == "path"]
        query = {}
        for p in get.get("parameters", []):
            if p["in"] != "query":
                continue
            if p["name"] == "limit":
                query["limit"] = str(p.get("schema", {}).get("maximum", 1000))
            elif p.get("required"):
                query[p["name"]] = _query_value(p.get("schema", {}))
        found.append(Endpoint("api", path, get.get("operationId", path), "", params, query))
    found.append(Endpoint("api", "/api/v1/openapi.json", "openapi", "", []))
    return found


def _query_value(schema: dict[str, Any]) -> str:
    if "enum" in schema:
        return str(schema["enum"][0])
    kind = schema.get("type")
    if kind == "integer":
        return str(schema.get("minimum", 1))
    if kind == "boolean":
        return "true"
    if schema.get("format") == "date":
        return "2025-01-01"
    return "a"


# -- filling parameters ---------------------------------------------------------------------


def _tokens(endpoint: Endpoint, param: str) -> list[str]:
    words = re.split(r"[^a-z]+", f"{endpoint.name} {endpoint.route} {param}".lower())
    stems = {w[:-1] if w.endswith("s") and len(w) > 4 else w for w in words}
    return [w for w in stems if len(w) >= 3 and w not in STOPWORDS]


def _base(param: str) -> str:
    for suffix in ("_id", "_pk"):
        if param.endswith(suffix):
            return param[: -len(suffix)]
    return param


def candidate_models(endpoint: Endpoint, param: str, pool: list[type[models.Model]]) -> list:
    """The models whose pks can fill `param`, by name: the parameter's own name first
    (`event_id` -> UndesiredEvent), else the URL's name and literal segments; an admin URL
    names its model. Ties give every tied model (the sweep then tries each)."""
    if endpoint.kind == "admin" and param == "object_id":
        parts = endpoint.name.split("_")
        for i in range(1, len(parts)):
            try:
                return [apps.get_model(parts[0], "_".join(parts[1 : i + 1]))]
            except (LookupError, ValueError):
                continue
        return []
    base = _base(param)
    if endpoint.app_label and endpoint.kind == "html":
        local = [m for m in pool if m._meta.app_label == endpoint.app_label]
        pool = local or pool
    if base not in ("pk", "object_id"):
        named = [m for m in pool if m.__name__.lower().endswith(base.replace("_", ""))]
        if named:
            return _best(named, _tokens(endpoint, param))
    return _best(pool, _tokens(endpoint, param))


def _best(pool: list, tokens: list[str]) -> list:
    """Most of the model's name covered by the tokens; among ties, the least left over
    (`meeting` names Meeting, not MeetingDecision)."""
    scores = {}
    for m in pool:
        name = m.__name__.lower()
        covered = sum(len(t) for t in tokens if t in name)
        if covered:
            scores[m] = (covered, -len(name))
    top = max(scores.values(), default=None)
    return [m for m, s in scores.items() if s == top]


def _link(child: type[models.Model], parent: type[models.Model]) -> str | None:
    for f in child._meta.concrete_fields:
        if f.is_relation and f.related_model is parent:
            return f.attname
    return None


@dataclass
class Filler:
    """Turns endpoints into requests from the marked records (and the objects they touch)."""

    records: list[Record]
    touched: dict[type[models.Model], set[Any]]
    skipped: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_model: dict[type[models.Model], list[Record]] = {}
        for r in self.records:
            self.by_model.setdefault(r.model, []).append(r)
        self.pool = list(self.by_model)
        self.all_models = [m for m in apps.get_models() if m not in self.by_model]

    def requests(self, endpoint: Endpoint) -> list[Request]:
        for word, reason in DISTURBING.items():
            if word in endpoint.name:
                self.skipped[endpoint.route] = reason
                return []
        if not endpoint.params:
            return [Request(endpoint, self._url(endpoint, {}))]
        int_params = [p for p in endpoint.params if self._is_id(endpoint, p)]
        str_params = [p for p in endpoint.params if p not in int_params]
        str_values: dict[str, list[str]] = {}
        for p in str_params:
            values = self._string_values(endpoint, p)
            if not values:
                self.skipped[endpoint.route] = f"no value for <{p}>"
                return []
            str_values[p] = values
        combos: list[tuple[dict[str, str], Record | None]] = [({}, None)]
        if int_params:
            combos = self._id_combos(endpoint, int_params)
            if not combos:
                self.skipped[endpoint.route] = f"no records for {int_params}"
                return []
        out = []
        for values, record in combos:
            for extra in _product(str_values):
                out.append(Request(endpoint, self._url(endpoint, {**values, **extra}), record))
        return out

    def _is_id(self, endpoint: Endpoint, param: str) -> bool:
        if endpoint.kind == "admin" and param == "object_id":
            return True
        conv = re.search(rf"<(\w+):{param}>", endpoint.route)
        return (
            param in ("pk", "object_id")
            or param.endswith(("_id", "_pk"))
            or bool(conv and conv.group(1) == "int")
        )

    def _id_combos(self, endpoint: Endpoint, params: list[str]) -> list:
        main, rest = params[0], params[1:]
        named = [] if _base(main) in ("pk", "object_id") else self.pool + self.all_models
        models_ = (
            (candidate_models(endpoint, main, named) if named else [])
            or candidate_models(endpoint, main, self.pool)
            or [m for m in self.pool if m._meta.app_label == endpoint.app_label]
            or candidate_models(endpoint, main, self.all_models)
        )
        combos = []
        for model in models_:
            if model not in self.by_model:  # not a marked model: reference or supporting data
                pks = sorted(self.touched.get(model, set()))[:3] or list(
                    model._base_manager.order_by("pk").values_list("pk", flat=True)[:2]
                )
                combos += [({main: str(pk)}, None) for pk in pks if not rest]
                continue
            for record in self.by_model.get(model, []):
                values = {main: str(record.pk)}
                for p in rest:
                    child_models = candidate_models(endpoint, p, self.pool)
                    value = self._child_pk(child_models, record)
                    if value is None:
                        break
                    values[p] = value
                else:
                    combos.append((values, record))
        return combos

    def _child_pk(self, child_models: list, record: Record) -> str | None:
        for child in child_models:
            link = _link(child, record.model)
            for r in self.by_model.get(child, []):
                pk = child._base_manager.filter(pk=r.pk).values_list(link or "pk", flat=True)
                if link is None or pk.first() == record.pk:
                    return str(r.pk)
        return None

    def _string_values(self, endpoint: Endpoint, param: str) -> list[str]:
        """Formats try every known one; other strings come from a field of that name on a model the
        marked records point to (slug -> Body, number -> Municipality, code -> Facility)."""
        if param in ("fmt", "format"):
            return FORMATS
        if param == "app_label":
            return sorted({m._meta.app_label for m in _admin_models()})
        for model, pks in sorted(self.touched.items(), key=lambda kv: kv[0]._meta.label):
            names = {f.name for f in model._meta.concrete_fields}
            if param in names:
                rows = model._base_manager.filter(pk__in=sorted(pks)[:50])
                values = sorted({str(v) for v in rows.values_list(param, flat=True) if v})
                if values:
                    return values[:3]
        for r in self.records:
            names = {f.name for f in r.model._meta.concrete_fields}
            if param in names:
                value = r.model._base_manager.filter(pk=r.pk).values_list(param, flat=True)[0]
                if value:
                    return [str(value)]
        return []

    def _url(self, endpoint: Endpoint, values: dict[str, str]) -> str:
        def fill(match: re.Match) -> str:
            return values[match.group("name") or match.group("api")]

        url = PARAM.sub(fill, endpoint.route)
        url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m.group(1)], url)
        if endpoint.query:
            url += "?" + "&".join(f"{k}={v}" for k, v in endpoint.query.items())
        return url


def _admin_models() -> list:
    from django.contrib import admin

    return list(admin.site._registry)


def _product(values: dict[str, list[str]]) -> list[dict[str, str]]:
    combos: list[dict[str, str]] = [{}]
    for name, options in values.items():
        combos = [{**c, name: o} for c in combos for o in options]
    return combos


# -- reading a response ---------------------------------------------------------------------

MARKER = re.compile(r"MRK([A-Z0-9]{5})")


def response_text(response: Any) -> str:
    """The text of a response, whatever it is: HTML/JSON/CSV, an XLSX (zip) or a PDF."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    parts = [body.decode("utf-8", "replace")]
    if body[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                parts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
        except zipfile.BadZipFile:
            pass
    if body[:5] == b"%PDF-":
        text = pdf_text(body)
        parts += [text, re.sub(r"\s+", "", text)]
    return "\n".join(parts)


def marker_keys(text: str, url: str = "") -> set[str]:
    """Markers in a response, not counting those the caller put in the URL herself.

    A page may echo the address it was asked for (the language form's return path); a marker
    the caller typed is not something the server told her.
    """
    echoed = set(MARKER.findall(url))
    return {
        key
        for key in MARKER.findall(text)
        if key not in echoed or text.count(key) > _echo_count(text, url, key)
    }


def _echo_count(text: str, url: str, key: str) -> int:
    from urllib.parse import quote

    return sum(text.count(form) for form in {url, quote(url, safe="/")} if key in form)
