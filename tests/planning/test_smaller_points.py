"""Smaller points of the normal-time review: Norwegian import templates that import as they are,
the measures filter by name, the committees' names as in Meld. St. 5 (2023–2024) chapter 2, and
the exercise plan's unexercised risk areas (in tests/exercises/test_pages.py)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from beredskap.actors.models import Body
from beredskap.planning.models import Plan
from tests.factories import make_user, verified_client


def test_the_plan_template_is_in_norwegian_and_imports_as_downloaded(org):
    bodo = make_user("bodo", org("Bodø kommune"), role="reporter")
    client = verified_client(bodo)
    template = client.get("/planverk/planer/mal.csv").content.decode("utf-8-sig")
    assert "Overordnet beredskapsplan;Overordnet beredskapsplan" in template
    assert "overall" not in template and "sist_ovd" not in template
    response = client.post(
        "/planverk/planer/import/", {"file": SimpleUploadedFile("mal.csv", template.encode())}
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    assert Plan.objects.get().plan_type == "overall"


def test_the_risk_templates_use_norwegian_labels(org):
    client = verified_client(make_user("bodo", org("Bodø kommune"), role="reporter"))
    events = client.get("/risiko/mal/hendelser.csv").content.decode("utf-8-sig")
    assert "Trygg vannforsyning" in events and "unintentional" not in events


def test_the_measures_filter_offers_organisations_by_name(org):
    page = verified_client(make_user("les", org("FHI"))).get("/risiko/tiltak/").content.decode()
    assert "Ansvarlig (id)" not in page and 'name="owner"' in page
    assert '<select name="owner"' in page or "<select" in page.split('name="owner"')[0][-200:]


def test_the_committees_carry_the_white_papers_names(db):
    names = set(Body.objects.filter(kind="committee").values_list("name", flat=True))
    assert "Utvalg for smittevern" in names and "Kriseutvalget for atomberedskap" in names
    assert "Beredskapsutvalget for biologiske hendelser" not in names
