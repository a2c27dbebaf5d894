"""Run the sweep: every endpoint as every persona (or a seeded sample of them), every marker
checked against the oracle in every response."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.test import Client

from tests.factories import token_for, verified_client
from tests.sweep.builder import Record, protected_models
from tests.sweep.walk import (
    Endpoint,
    Filler,
    Request,
    api_endpoints,
    html_endpoints,
    marker_keys,
    response_text,
)
from tests.sweep.world import ANONYMOUS, Persona, World


@dataclass(frozen=True)
class Leak:
    persona: str
    model: str
    classification: int
    exempt: bool
    variant: str
    endpoint: str
    url: str
    status: int
    marker: str

    def line(self) -> str:
        exempt = " unntatt" if self.exempt else ""
        return (
            f"LEAK persona={self.persona} model={self.model} "
            f"gradering={self.classification}{exempt} tilgang={self.variant} "
            f"endpoint={self.endpoint} url={self.url} status={self.status} marker={self.marker}"
        )


@dataclass
class Result:
    checks: int = 0
    requests: int = 0
    leaks: list[Leak] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    positive_checks: int = 0
    displaying: set[tuple[str, str]] = field(default_factory=set)  # (endpoint, model)
    detail_slots: set[str] = field(default_factory=set)  # models with a detail endpoint
    endpoints: list[Endpoint] = field(default_factory=list)
    endpoints_requested: set[str] = field(default_factory=set)
    skipped: dict[str, str] = field(default_factory=dict)
    statuses: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    anonymous_markers: int = 0

    def report(self) -> str:
        lines = [
            f"access sweep: {self.requests} requests, {self.checks} (persona, record, endpoint)"
            f" checks, {len(self.leaks)} leaks, {self.positive_checks} positive checks,"
            f" {len(self.misses)} misses",
            f"endpoints: {len(self.endpoints)} found, {len(self.endpoints_requested)} requested,"
            f" {len(self.skipped)} skipped",
            f"statuses: {dict(sorted(self.statuses.items()))}",
        ]
        lines.append(f"detail endpoints showing their record: {len(self.displaying)}")
        lines += [f"SKIP {route}: {why}" for route, why in sorted(self.skipped.items())]
        lines += [f"ERROR {e}" for e in self.errors[:40]]
        lines += [f"MISS {m}" for m in self.misses[:40]]
        lines += [leak.line() for leak in _dedupe(self.leaks)]
        return "\n".join(lines)


def _dedupe(leaks: list[Leak]) -> list[Leak]:
    """One line per (persona, model, classification, endpoint) — the rest are the same leak."""
    seen, out = set(), []
    for leak in leaks:
        key = (leak.persona, leak.model, leak.classification, leak.exempt, leak.endpoint)
        if key not in seen:
            seen.add(key)
            out.append(leak)
    return out


@dataclass(eq=False)
class Caller:
    persona: Persona
    client: Client
    api_headers: dict[str, str]


def _callers(world: World) -> list[Caller]:
    callers = [Caller(ANONYMOUS, Client(), {})]
    for persona in world.personas:
        if persona.spec.verified:
            callers.append(Caller(persona, verified_client(persona.user), token_for(persona.user)))
        else:
            client = Client()
            client.force_login(persona.user)  # password only, no second factor
            callers.append(Caller(persona, client, {}))
    return callers


def run_sweep(world: World, *, full: bool, seed: int) -> Result:
    rng = random.Random(seed)
    result = Result()
    filler = Filler(world.records, world.builder.touched)
    result.endpoints = html_endpoints() + api_endpoints()
    callers = _callers(world)
    plan: list[tuple[Request, list[Caller]]] = []
    for endpoint in result.endpoints:
        requests = filler.requests(endpoint)
        keep = 4 if endpoint.is_detail else 2
        if not full and len(requests) > keep:
            requests = rng.sample(requests, keep)
        for request in requests:
            everyone = full or not endpoint.params  # pages without parameters: every persona
            plan.append((request, callers if everyone else _sample(callers, request, world, rng)))
    result.skipped = filler.skipped
    seen_by_owner: dict[tuple[str, str], list[tuple[Caller, Request, bool]]] = {}
    for request, chosen in plan:
        for caller in chosen:
            keys, status = _call(caller, request, result)
            _check(world, caller, request, keys, status, result, seen_by_owner)
    _positive(world, seen_by_owner, result)
    return result


def _sample(callers: list[Caller], request: Request, world: World, rng: random.Random) -> list:
    """Anonymous, two personas at random, and — for a record's request — one persona the
    oracle lets see it (so the positive check always has something to check)."""
    chosen = [callers[0], *rng.sample(callers[1:], 2)]
    if request.record is not None:
        allowed = [c for c in callers[1:] if world.may_see(c.persona, request.record)]
        if allowed:
            chosen.append(rng.choice(allowed))
    return list(dict.fromkeys(chosen))


def _call(caller: Caller, request: Request, result: Result) -> tuple[set[str], int]:
    endpoint = request.endpoint
    headers = caller.api_headers if endpoint.kind == "api" else {}
    result.requests += 1
    result.endpoints_requested.add(endpoint.route)
    try:
        with transaction.atomic():
            response = caller.client.get(request.url, **headers)
            text = response_text(response)
            transaction.set_rollback(True)  # reads may write audit rows; keep the world as built
    except Exception as exc:  # noqa: BLE001 - a crash is reported, the sweep goes on
        result.statuses["exception"] += 1
        result.errors.append(f"{caller.persona.name} {request.url}: {type(exc).__name__}: {exc}")
        return set(), 500
    result.statuses[str(response.status_code)] += 1
    return marker_keys(text, request.url), response.status_code


def _check(
    world: World,
    caller: Caller,
    request: Request,
    keys: set[str],
    status: int,
    result: Result,
    seen: dict,
) -> None:
    by_key = world.builder.by_key
    result.checks += len(world.records)
    persona = caller.persona
    for key in keys:
        record = by_key.get(key)
        if record is None:
            continue
        if persona is ANONYMOUS:
            result.anonymous_markers += 1
        if not world.may_see(persona, record):
            access = record.access
            result.leaks.append(
                Leak(
                    persona.name,
                    record.label,
                    access.classification,
                    access.exempt,
                    access.variant,
                    f"{request.endpoint.kind}:{request.endpoint.name or request.endpoint.route}",
                    request.url,
                    status,
                    record.marker,
                )
            )
    record = request.record
    detail = request.endpoint.is_detail and record is not None and persona is not ANONYMOUS
    if detail and persona.spec.verified and world.may_see(persona, record):
        shown = record.key in keys
        slot = (request.endpoint.route, record.label)
        seen.setdefault(slot, []).append((caller, request, shown))


def _positive(world: World, seen: dict, result: Result) -> None:
    """A detail endpoint that shows a model's marker to someone allowed must show it to
    everyone allowed; every protected model must have such an endpoint."""
    for (route, label), outcomes in seen.items():
        result.detail_slots.add(label)
        if not any(shown for _, _, shown in outcomes):
            continue
        result.displaying.add((route, label))
        for caller, request, shown in outcomes:
            result.positive_checks += 1
            if not shown:
                result.misses.append(f"{caller.persona.name} {request.url} ({label})")


def models_without_detail(result: Result) -> list[str]:
    """Protected models that have a detail endpoint on which no allowed persona saw them."""
    shown = {label for _, label in result.displaying}
    return [
        m._meta.label
        for m in protected_models()
        if m._meta.label in result.detail_slots and m._meta.label not in shown
    ]


__all__ = ["Record", "Result", "run_sweep", "models_without_detail", "Any"]
