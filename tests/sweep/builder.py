"""A generic builder of marked records for every protected model and its child records.

Every CharField/TextField that can hold it gets the record's marker, so any response that
displays the record's content shows the marker. Required foreign keys are resolved to
reference data, to an instance of the same parent (for child records), or to a freshly built
instance. A small override table covers the fields the generic rules cannot fill sensibly.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.text import slugify

from beredskap.core.base import ProtectedModel

MARKER_ALPHABET = string.ascii_uppercase + string.digits
ACCESS_FIELDS = {"owner_org", "classification", "exempt_public", "exempt_legal_basis"}
SKIP_FIELDS = {"id", "version", "created_at", "updated_at"}

# Only where the generic rules give values the application cannot work with.
OVERRIDES: dict[str, dict[str, Any]] = {
    "exercises.ExercisePlan": {"period_start": 2025, "period_end": 2028},
    "modelling.SimulationRun": {"parameters": {}},
    "operations.Crisis": {"evaluation_ref": ""},  # text holding an Evaluation pk
}
# Child models the generic builder leaves alone, with the reason.
CHILD_SKIP = {
    "modelling.SimulationResult": "binary engine output (NumPy arrays); no text field to mark",
}


def protected_models() -> list[type[models.Model]]:
    """Every concrete ProtectedModel subclass, discovered from the app registry."""
    found = [m for m in apps.get_models() if issubclass(m, ProtectedModel)]
    return sorted(found, key=lambda m: m._meta.label)


def child_models() -> list[tuple[type[models.Model], str]]:
    """Project models that are not protected themselves but hang off a protected record
    (their content is governed by the parent's access), with the name of that foreign key."""
    protected = set(protected_models())
    children = []
    for model in apps.get_models():
        if not model.__module__.startswith("beredskap.") or model in protected:
            continue
        if model._meta.label in CHILD_SKIP:
            continue
        for f in model._meta.concrete_fields:
            if (
                f.is_relation
                and (f.many_to_one or f.one_to_one)
                and f.related_model in protected
                and not f.null
            ):
                children.append((model, f.name))
                break
    return sorted(children, key=lambda c: c[0]._meta.label)


@dataclass
class Record:
    """One marked record: the protected record itself, or a child carrying its parent's access."""

    key: str
    marker: str
    model: type[models.Model]
    pk: Any
    owner_id: int
    classification: int
    exempt: bool
    shared_body_ids: frozenset[int] = frozenset()
    grant_user_ids: frozenset[int] = frozenset()
    grant_org_ids: frozenset[int] = frozenset()
    parent: Record | None = None
    variant: str = ""

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def access(self) -> Record:
        """The record whose access fields decide who may see this one."""
        return self.parent.access if self.parent is not None else self


@dataclass
class Builder:
    rng: random.Random
    records: list[Record] = field(default_factory=list)
    by_key: dict[str, Record] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    touched: dict[type[models.Model], set[Any]] = field(default_factory=dict)
    _used_unique: dict[tuple[str, str], set[Any]] = field(default_factory=dict)
    _attempt: int = 0

    def new_marker(self, model: type[models.Model], n: int) -> tuple[str, str]:
        while True:
            key = "".join(self.rng.choice(MARKER_ALPHABET) for _ in range(5))
            if key not in self.by_key:
                break
        return key, f"MRK{key}Q{model.__name__.upper()[:8]}Q{n:03d}"

    # -- values for one field --------------------------------------------------------------

    def value_for(
        self, f: models.Field, marker: str, parent: Record | None, depth: int, attempt: int = 0
    ) -> Any:
        if f.is_relation:
            return self.related_instance(f, parent, depth)
        if f.choices:
            flat = [value for value, _ in f.flatchoices]
            if attempt == 0 and f.has_default():
                return f.get_default()
            return flat[attempt % len(flat)]
        if isinstance(f, models.SlugField):
            return slugify(marker)[: f.max_length]
        if isinstance(f, models.EmailField):
            return "sweep@example.org"
        if isinstance(f, models.URLField):
            return "https://example.org/"
        if isinstance(f, (models.CharField, models.TextField)):
            if f.max_length is None or f.max_length >= len(marker):
                return self.unique_text(f, marker)
            return marker[: f.max_length] if f.unique else "x"
        if f.has_default():
            return f.get_default()
        if f.null:
            return None
        return self.scalar(f)

    def unique_text(self, f: models.Field, marker: str) -> str:
        if not f.unique:
            return marker
        used = self._used_unique.setdefault((f.model._meta.label, f.name), set())
        value, n = marker, 0
        while value in used:
            n += 1
            value = f"{marker}{n}"[: f.max_length or None]
        used.add(value)
        return value

    def scalar(self, f: models.Field) -> Any:
        now = timezone.now()
        later = any(word in f.name for word in ("end", "until", "due", "deadline"))
        if isinstance(f, models.DateTimeField):
            return now + timedelta(days=30) if later else now
        if isinstance(f, models.DateField):
            return (now + timedelta(days=30)).date() if later else now.date()
        if isinstance(f, models.TimeField):
            return now.time().replace(microsecond=0)
        if isinstance(f, models.DurationField):
            return timedelta(hours=1)
        if isinstance(f, models.BooleanField):
            return False
        if isinstance(f, (models.IntegerField, models.FloatField, models.DecimalField)):
            return 1 + self._attempt
        if isinstance(f, models.JSONField):
            return {}
        raise LookupError(f"no generic value for {f.model._meta.label}.{f.name}")

    def related_instance(self, f: models.Field, parent: Record | None, depth: int) -> Any:
        target = f.related_model
        unique = f.one_to_one or f.unique
        if parent is not None and issubclass(parent.model, target):
            return parent.model._base_manager.get(pk=parent.pk)
        qs = target._base_manager.all()
        if parent is not None:
            link = _fk_to(target, parent.model)
            if link is not None:
                related = qs.filter(**{link: parent.pk})
                if related.exists() or depth > 2:
                    qs = related
                else:
                    return self.build_child(target, link, parent, depth + 1)
        if unique:
            used = self._used_unique.setdefault((f.model._meta.label, f.name), set())
            qs = qs.exclude(pk__in=used)
        candidate = qs.order_by("pk").first()
        if candidate is None:
            if depth > 3:
                raise LookupError(f"cannot resolve {f.model._meta.label}.{f.name}")
            candidate = self.build_plain(target, depth + 1)
        if unique:
            self._used_unique[(f.model._meta.label, f.name)].add(candidate.pk)
        return candidate

    # -- instances ---------------------------------------------------------------------------

    def fill(
        self, model: type[models.Model], marker: str, parent: Record | None, depth: int
    ) -> dict[str, Any]:
        values: dict[str, Any] = {}
        overrides = OVERRIDES.get(model._meta.label, {})
        for f in model._meta.concrete_fields:
            if f.primary_key or f.name in SKIP_FIELDS:
                continue
            if f.name in ACCESS_FIELDS and issubclass(model, ProtectedModel):
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                continue
            if f.name in overrides:
                values[f.name] = overrides[f.name]
                continue
            textual = isinstance(f, (models.CharField, models.TextField)) and not f.choices
            if (
                f.is_relation
                and f.null
                and not (parent and issubclass(parent.model, f.related_model))
            ):
                continue
            if not textual and (f.has_default() or (f.null and not f.is_relation)):
                continue
            values[f.name] = self.value_for(f, marker, parent, depth, self._attempt)
        return values

    def fill_and_save(
        self,
        model: type[models.Model],
        marker: str,
        parent: Record | None,
        depth: int,
        fixed: dict[str, Any],
    ) -> models.Model:
        """Fill and save; on a unique-constraint clash, vary choices and numbers and retry."""
        outer = self._attempt
        try:
            for attempt in range(12):
                self._attempt = attempt
                values = self.fill(model, marker, parent, depth)
                values.update(fixed)
                try:
                    return self.save(model, values)
                except IntegrityError:
                    if attempt == 11:
                        raise
            raise AssertionError("unreachable")
        finally:
            self._attempt = outer

    def save(self, model: type[models.Model], values: dict[str, Any]) -> models.Model:
        instance = model(**values)
        with transaction.atomic():
            instance.save()
        for f in model._meta.concrete_fields:
            if f.is_relation and getattr(instance, f.attname, None) is not None:
                self.touched.setdefault(f.related_model, set()).add(getattr(instance, f.attname))
        return instance

    def build_plain(self, model: type[models.Model], depth: int) -> models.Model:
        """A supporting instance of a model nothing else provides (unmarked but valid)."""
        key, marker = self.new_marker(model, 0)
        fixed = {}
        if issubclass(model, ProtectedModel):
            fixed = {"owner_org": _org("HOD"), "classification": 2}
        return self.fill_and_save(model, marker, None, depth, fixed)

    def build_protected(
        self,
        model: type[models.Model],
        n: int,
        *,
        owner: Any,
        classification: int,
        exempt: bool,
        variant: str,
    ) -> Record:
        key, marker = self.new_marker(model, n)
        fixed = {
            "owner_org": owner,
            "classification": classification,
            "exempt_public": exempt,
            "exempt_legal_basis": "offl. § 13" if exempt else "",
        }
        instance = self.fill_and_save(model, marker, None, 0, fixed)
        record = Record(key, marker, model, instance.pk, owner.pk, classification, exempt)
        record.variant = variant
        self._remember(record)
        return record

    def build_child(
        self, model: type[models.Model], link: str, parent: Record, depth: int = 0
    ) -> models.Model:
        key, marker = self.new_marker(model, len(self.records))
        fixed = {link: parent.model._base_manager.get(pk=parent.pk)}
        instance = self.fill_and_save(model, marker, parent, depth, fixed)
        child = Record(key, marker, model, instance.pk, parent.owner_id, 0, False, parent=parent)
        self._remember(child)
        return instance

    def _remember(self, record: Record) -> None:
        self.records.append(record)
        self.by_key[record.key] = record


def _fk_to(model: type[models.Model], target: type[models.Model]) -> str | None:
    for f in model._meta.concrete_fields:
        if f.is_relation and f.many_to_one and issubclass(target, f.related_model):
            return f.name
    return None


def _org(name: str) -> Any:
    from beredskap.actors.models import Organisation

    return Organisation.objects.filter(short_name=name).first() or Organisation.objects.get(
        name=name
    )
