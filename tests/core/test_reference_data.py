"""The shipped reference data is real and complete (the sources
in reference_data/SOURCES.md)."""

from django.db.models import Sum

from beredskap.actors.models import Body, BodyKind, BodyState, Organisation, OrganisationKind
from beredskap.actors.reference import load_actors
from beredskap.core.models import AuditEvent, County, HealthRegion, Municipality
from beredskap.core.reference import EXPECTED_POPULATION_2024, load_geography


def test_there_are_357_municipalities_in_15_counties_with_the_2024_population(db):
    assert Municipality.objects.count() == 357
    assert County.objects.count() == 15
    assert (
        Municipality.objects.aggregate(total=Sum("population"))["total"]
        == EXPECTED_POPULATION_2024
        == 5_550_203
    )


def test_every_county_belongs_to_one_of_four_health_regions(db):
    assert HealthRegion.objects.count() == 4
    assert set(
        County.objects.filter(health_region__name="Helse Nord").values_list("number", flat=True)
    ) == {"18", "55", "56"}


def test_ten_statsforvalter_offices_cover_all_counties_once(db):
    offices = Organisation.objects.filter(kind=OrganisationKind.STATSFORVALTER)
    assert offices.count() == 10
    covered = [c.number for o in offices for c in o.served_counties.all()]
    assert sorted(covered) == sorted(County.objects.values_list("number", flat=True))


def test_four_rhfs_own_the_twenty_hospital_trusts(db):
    rhfs = Organisation.objects.filter(kind=OrganisationKind.RHF)
    assert rhfs.count() == 4
    assert Organisation.objects.filter(kind=OrganisationKind.HF, parent__in=rhfs).count() == 20
    assert (
        Organisation.objects.get(name="Universitetssykehuset Nord-Norge HF").parent.name
        == "Helse Nord RHF"
    )


def test_every_municipality_has_an_organisation(db):
    assert (
        Organisation.objects.filter(
            kind=OrganisationKind.MUNICIPALITY, municipality__isnull=False
        ).count()
        == 357
    )
    assert Organisation.objects.get(municipality__number="1804").short_name == "Bodø"


def test_the_council_has_hod_as_chair_and_twelve_member_organisations(db):
    council = Body.objects.get(kind=BodyKind.COUNCIL)
    assert council.name == "Helseberedskapsrådet"
    members = council.memberships.filter(organisation__isnull=False)
    assert members.count() == 12
    assert members.get(role="chair").organisation.short_name == "HOD"
    kinds = sorted(m.organisation.kind for m in members)
    assert kinds.count("rhf") == 4 and kinds.count("statsforvalter") == 1


def test_six_committees_are_led_by_the_agencies_the_white_paper_names(db):
    committees = {
        b.risk_area: b
        for b in Body.objects.filter(kind=BodyKind.COMMITTEE).select_related("lead_org")
    }
    leads = {area: body.lead_org.short_name for area, body in committees.items()}
    assert leads == {
        "civil_military": "Hdir",
        "digital_security": "Hdir",
        "supply_security": "DMP",
        "infection": "Hdir",
        "water": "Mattilsynet",
        "nuclear": "DSA",
    }
    assert committees["civil_military"].deputy_lead_org.name == "Forsvaret"


def test_the_expert_group_is_dormant_and_the_secretariat_exists(db):
    assert Body.objects.get(kind=BodyKind.EXPERT_GROUP).state == BodyState.DORMANT
    assert Body.objects.filter(kind=BodyKind.SECRETARIAT, lead_org__short_name="HOD").exists()
    assert Body.objects.filter(kind=BodyKind.DIALOGUE_FORUM).count() == 2


def test_reloading_reference_data_changes_nothing(db):
    before = (Organisation.objects.count(), Body.objects.count(), AuditEvent.objects.count())
    load_geography()
    load_actors()
    assert (
        Organisation.objects.count(),
        Body.objects.count(),
        AuditEvent.objects.count(),
    ) == before
