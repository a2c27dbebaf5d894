"""Actors of the health-preparedness model: organisations, people, memberships, bodies,
and the bodies' meetings with agenda items, decisions and follow-up actions.

The model is the white paper's (Meld. St. 5 (2023–2024) 2.2.1): the Ministry leads a
health-preparedness council with fixed members, a secretariat, six committees led by named
agencies, and an advisory expert group activated in crises.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beredskap.core.base import ProtectedModel, TrackedModel
from beredskap.core.models import County, HealthRegion, Municipality
from beredskap.core.riskareas import RiskArea

org_number_validator = RegexValidator(r"^\d{9}$", _("Organisasjonsnummer har ni sifre."))


class OrganisationKind(models.TextChoices):
    MINISTRY = "ministry", _("Departement")
    AGENCY = "agency", _("Direktorat/etat")
    RHF = "rhf", _("Regionalt helseforetak")
    HF = "hf", _("Helseforetak")
    MUNICIPALITY = "municipality", _("Kommune")
    STATSFORVALTER = "statsforvalter", _("Statsforvalter")
    COUNTY_AUTHORITY = "county_authority", _("Fylkeskommune")
    ARMED_FORCES = "armed_forces", _("Forsvaret")
    VOLUNTARY = "voluntary", _("Frivillig organisasjon")
    BUSINESS = "business", _("Næringsliv")
    INTERNATIONAL = "international", _("Internasjonalt organ")


class Organisation(TrackedModel):
    """An organisation in the sector. The directory is open to every signed-in user."""

    name = models.CharField(max_length=200, unique=True, verbose_name=_("navn"))
    short_name = models.CharField(max_length=50, blank=True, verbose_name=_("kortnavn"))
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices, verbose_name=_("type"))
    org_number = models.CharField(
        max_length=9,
        unique=True,
        null=True,
        blank=True,
        validators=[org_number_validator],
        verbose_name=_("organisasjonsnummer"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("styringslinje (overordnet)"),
    )
    municipality = models.OneToOneField(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="organisation"
    )
    health_region = models.ForeignKey(HealthRegion, null=True, blank=True, on_delete=models.PROTECT)
    served_counties = models.ManyToManyField(
        County, blank=True, related_name="served_by", verbose_name=_("fylker betjent")
    )
    served_municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="served_by", verbose_name=_("kommuner betjent")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisasjon")
        verbose_name_plural = _("organisasjoner")

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Organisation]:
        chain, node, seen = [], self.parent, {self.pk}
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain


class Person(TrackedModel):
    """A person known to the system, with or without a login."""

    name = models.CharField(max_length=200, verbose_name=_("navn"))
    email = models.EmailField(blank=True, verbose_name=_("e-post"))
    phone = models.CharField(max_length=30, blank=True, verbose_name=_("telefon"))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("person")
        verbose_name_plural = _("personer")

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    SECRETARIAT = "secretariat", _("Sekretariat")
    REPORTER = "reporter", _("Rapportør")
    READER = "reader", _("Leser")
    AUDITOR = "auditor", _("Revisor")
    SECURITY_OFFICER = "security_officer", _("Sikkerhetsleder")


class Membership(TrackedModel):
    """A person's membership of an organisation, with a role."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        max_length=20, choices=Role.choices, default=Role.READER, verbose_name=_("rolle")
    )
    title = models.CharField(max_length=120, blank=True, verbose_name=_("stilling"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "organisation"], name="membership_unique")
        ]
        verbose_name = _("medlemskap")

    def __str__(self) -> str:
        return f"{self.person} – {self.organisation} ({self.get_role_display()})"


class BodyKind(models.TextChoices):
    COUNCIL = "council", _("Råd")
    SECRETARIAT = "secretariat", _("Sekretariat")
    COMMITTEE = "committee", _("Utvalg")
    EXPERT_GROUP = "expert_group", _("Ekspertgruppe")
    WORKING_GROUP = "working_group", _("Arbeidsgruppe")
    DIALOGUE_FORUM = "dialogue_forum", _("Dialogforum")


class BodyState(models.TextChoices):
    ACTIVE = "active", _("Aktiv")
    DORMANT = "dormant", _("Hvilende")
    ACTIVATED = "activated", _("Aktivert")


class Body(TrackedModel):
    """A body of the model: council, secretariat, committee, expert group, forum (2.2.1)."""

    name = models.CharField(max_length=200, unique=True, verbose_name=_("navn"))
    short_name = models.CharField(max_length=60, blank=True, verbose_name=_("kortnavn"))
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=20, choices=BodyKind.choices, verbose_name=_("type"))
    mandate = models.TextField(blank=True, verbose_name=_("mandat"))
    mandate_source = models.CharField(
        max_length=200, blank=True, verbose_name=_("kilde for mandat")
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    lead_org = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="led_bodies",
        verbose_name=_("ledes av"),
    )
    deputy_lead_org = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deputy_led_bodies",
        verbose_name=_("nestleder"),
    )
    risk_area = models.CharField(
        max_length=20, choices=RiskArea.choices, blank=True, verbose_name=_("risikoområde")
    )
    state = models.CharField(
        max_length=12,
        choices=BodyState.choices,
        default=BodyState.ACTIVE,
        verbose_name=_("tilstand"),
    )
    state_since = models.DateField(null=True, blank=True, verbose_name=_("tilstand siden"))

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("organ")
        verbose_name_plural = _("organer")

    def __str__(self) -> str:
        return self.name


class BodyStateChange(models.Model):
    """When a body changed state (dormant → activated …), by whom and why."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="state_changes")
    state = models.CharField(max_length=12, choices=BodyState.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.body} → {self.state}"


class BodyRole(models.TextChoices):
    CHAIR = "chair", _("Leder")
    DEPUTY = "deputy", _("Nestleder")
    MEMBER = "member", _("Medlem")
    OBSERVER = "observer", _("Observatør")
    LIAISON = "liaison", _("Kontaktperson")
    SECRETARY = "secretary", _("Sekretær")


class BodyMembership(TrackedModel):
    """An organisation and/or a person sitting in a body, with a role."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="body_memberships",
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="body_memberships"
    )
    role = models.CharField(max_length=12, choices=BodyRole.choices, default=BodyRole.MEMBER)

    class Meta:
        ordering = ["body", "role", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organisation__isnull=False) | models.Q(person__isnull=False),
                name="bodymembership_has_member",
            ),
            # the same member twice in a body; NULLs are distinct in SQL (and SQLite has no
            # NULLS NOT DISTINCT), so each shape of member gets its own conditional rule
            models.UniqueConstraint(
                fields=["body", "organisation"],
                condition=models.Q(person__isnull=True),
                name="bodymembership_org_once",
                violation_error_code="duplicate",
            ),
            models.UniqueConstraint(
                fields=["body", "person"],
                condition=models.Q(organisation__isnull=True),
                name="bodymembership_person_once",
                violation_error_code="duplicate",
            ),
            models.UniqueConstraint(
                fields=["body", "organisation", "person"],
                name="bodymembership_org_person_once",
                violation_error_code="duplicate",
            ),
        ]

    def __str__(self) -> str:
        who = self.person or self.organisation
        return f"{who} i {self.body} ({self.get_role_display()})"


class Meeting(ProtectedModel):
    """A meeting of a body. Minutes and decisions are often exempt from public access."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(max_length=200, verbose_name=_("tittel"))
    starts_at = models.DateTimeField(verbose_name=_("tidspunkt"))
    location = models.CharField(max_length=200, blank=True, verbose_name=_("sted"))
    minutes = models.TextField(blank=True, verbose_name=_("referat"))
    attendees = models.ManyToManyField(
        "actors.Person", blank=True, related_name="meetings_attended", verbose_name=_("til stede")
    )

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("møte")
        verbose_name_plural = _("møter")

    def __str__(self) -> str:
        return self.title


class AgendaItem(TrackedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="agenda_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class MeetingDecision(TrackedModel):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL)
    text = models.TextField(verbose_name=_("vedtak"))

    def __str__(self) -> str:
        return self.text[:80]


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Åpen")
    IN_PROGRESS = "in_progress", _("Pågår")
    DONE = "done", _("Fullført")
    CANCELLED = "cancelled", _("Avbrutt")


class FollowUpAction(TrackedModel):
    """A follow-up action from a meeting: owner, due date, status."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    decision = models.ForeignKey(MeetingDecision, null=True, blank=True, on_delete=models.SET_NULL)
    title = models.CharField(max_length=300, verbose_name=_("oppfølgingspunkt"))
    owner_org = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="follow_up_actions"
    )
    due_date = models.DateField(verbose_name=_("frist"))
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )

    class Meta:
        ordering = ["due_date"]

    def __str__(self) -> str:
        return self.title


class Reminder(models.Model):
    """A reminder from one organisation to another it has oversight of — e.g. a statsforvalter
    reminding a municipality of an overdue ROS analysis or an unexercised plan (Meld. St. 5
    (2023–2024) 2.3: the statsforvalter follows up the municipalities' preparedness work).

    Append-only apart from the acknowledgement; the text is the sender's own, so it carries no
    content from classified records.
    """

    from_org = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="reminders_sent"
    )
    to_org = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="reminders_received"
    )
    topic = models.CharField(max_length=200, verbose_name=_("gjelder"))
    message = models.TextField(blank=True, verbose_name=_("melding"))
    link = models.CharField(max_length=300, blank=True, verbose_name=_("lenke"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.PositiveSmallIntegerField(default=0)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("påminnelse")
        verbose_name_plural = _("påminnelser")
        indexes = [models.Index(fields=["to_org", "acknowledged_at"])]

    def __str__(self) -> str:
        return f"{self.from_org} → {self.to_org}: {self.topic}"


from beredskap.actors.clearancemodels import Clearance  # noqa: E402, F401
from beredskap.actors.contactmodels import (  # noqa: E402, F401  (one import for the app's models)
    ContactKind,
    ContactPoint,
    ContactRole,
    ContactRoleKind,
)
from beredskap.actors.remindermodels import (  # noqa: E402, F401
    DeliverySource,
    DeliveryStatus,
    ReminderDelivery,
)
