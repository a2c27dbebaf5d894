"""Base model mixins: change logging, optimistic concurrency and access fields.

Change logging comes from the base model (after NetBox, so no view can forget it): every save and
delete of a TrackedModel writes an AuditEvent with before/after, attributed to the actor
set by `core.audit.acting_as` (services) or the request middleware.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from beredskap.core import audit
from beredskap.core.access import ProtectedQuerySet
from beredskap.core.classification import Classification, validate_allowed
from beredskap.core.errors import StaleEdit


class TrackedModel(models.Model):
    """A record whose every change is audited and whose edits are version-checked."""

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_state = audit.snapshot(instance)
        audit.note_loaded(instance)
        return instance

    def save(self, *args: Any, **kwargs: Any) -> None:
        with transaction.atomic():
            if self._state.adding:
                super().save(*args, **kwargs)
                audit.record_change(self, "create", None, audit.snapshot(self))
            else:
                self._claim_next_version()
                super().save(*args, **kwargs)
                before = getattr(self, "_loaded_state", None)
                audit.record_change(self, "update", before, audit.snapshot(self))
        self._loaded_state = audit.snapshot(self)

    def _claim_next_version(self) -> None:
        """Atomically move version N -> N+1; refuse if the stored version is not N."""
        claimed = (
            type(self)
            ._base_manager.filter(pk=self.pk, version=self.version)
            .update(version=self.version + 1)
        )
        if not claimed:
            current = type(self)._base_manager.filter(pk=self.pk).values_list("version", flat=True)
            raise StaleEdit(current.first())
        self.version += 1

    def delete(self, *args: Any, **kwargs: Any):
        with transaction.atomic():
            audit.record_change(self, "delete", audit.snapshot(self), None)
            return super().delete(*args, **kwargs)


class ProtectedModel(TrackedModel):
    """A record under need-to-know: owner, classification, exemption, sharing (need-to-know,
    sikkerhetsloven § 8-1; exemption from public access, offentleglova)."""

    DEFAULT_CLASSIFICATION = Classification.UGRADERT

    owner_org = models.ForeignKey(
        "actors.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("eierorganisasjon"),
    )
    classification = models.PositiveSmallIntegerField(
        choices=Classification.choices, default=Classification.UGRADERT, verbose_name=_("gradering")
    )
    exempt_public = models.BooleanField(default=False, verbose_name=_("unntatt offentlighet"))
    exempt_legal_basis = models.CharField(
        max_length=200,
        blank=True,
        verbose_name=_("hjemmel for unntak"),
        help_text=_("For eksempel «offl. § 13 jf. fvl. § 13»"),
    )
    shared_with_bodies = models.ManyToManyField(
        "actors.Body",
        blank=True,
        related_name="shared_%(app_label)s_%(class)s",
        verbose_name=_("delt med organer"),
    )

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        validate_allowed(self.classification)
        if self.exempt_public and not self.exempt_legal_basis.strip():
            raise ValidationError(
                {"exempt_legal_basis": _("Oppgi hjemmel når posten er unntatt offentlighet.")}
            )

    @property
    def classification_label(self) -> str:
        return str(Classification(self.classification).label)
