"""Contact points: normalised values in escalation order, kept by the organisation's own
administrator, imported nationally all-or-nothing, and an overview of who cannot be reached."""

import io
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from beredskap.actors import queries
from beredskap.actors.contactimport import import_contact_points
from beredskap.actors.models import ContactPoint, ContactRole
from beredskap.actors.phones import normalise_phone, normalise_sms
from beredskap.actors.services import contacts as contactservices
from beredskap.core.errors import PermissionDenied
from beredskap.core.models import AuditEvent
from tests.factories import make_user, token_for, verified_client

# --- the phone rule ---------------------------------------------------------------------

# the Norwegian mobile ranges (Nkom's numbering plan: 4x and 9x, 42–44 not allocated)
MOBILE_PREFIXES = ["40", "41", "45", "46", "47", "48"] + [str(n) for n in range(90, 100)]
separators = st.sampled_from(["", " ", "  ", "-", "."])


def _spaced(digits: str, sep: str) -> str:
    return sep.join(digits[i : i + 2] for i in range(0, len(digits), 2))


@settings(max_examples=60, deadline=None)
@given(
    first=st.sampled_from(MOBILE_PREFIXES),
    rest=st.text(alphabet="0123456789", min_size=6, max_size=6),
    sep=separators,
    prefix=st.sampled_from(["", "+47", "+47 ", "0047", "0047 "]),
)
def test_a_norwegian_mobile_number_is_stored_in_one_form_however_it_is_typed(
    first, rest, sep, prefix
):
    digits = first + rest
    typed = prefix + _spaced(digits, sep)
    try:
        normalise_sms(digits)
    except ValidationError:  # a block the numbering plan has not allocated (e.g. 4536 xxxx):
        with pytest.raises(ValidationError):  # refused however it is typed
            normalise_sms(typed)
        return
    assert normalise_phone(typed) == f"+47{digits}"
    assert normalise_sms(typed) == f"+47{digits}"


@settings(max_examples=40, deadline=None)
@given(
    first=st.sampled_from("2357"),
    rest=st.text(alphabet="0123456789", min_size=7, max_size=7),
)
def test_a_landline_can_be_a_duty_phone_but_not_an_sms_number(first, rest):
    digits = first + rest
    try:
        canonical = normalise_phone(digits)
    except ValidationError:
        return  # not every 8-digit block is allocated; the rule below is for those that are
    assert canonical == f"+47{digits}"
    with pytest.raises(ValidationError, match="mobilnummer"):
        normalise_sms(digits)


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="0123456789 ", max_size=4))
def test_too_short_numbers_are_refused(typed):
    # the shortest diallable Norwegian number that is not an emergency code has five digits
    # (02xxx service numbers); 110/112/113 are not contact points
    with pytest.raises(ValidationError):
        normalise_phone(typed)


# --- writes -------------------------------------------------------------------------------


@pytest.fixture
def bodo(org):  # type: ignore[no-untyped-def]
    return org("Bodø kommune")


@pytest.fixture
def bodo_admin(bodo):  # type: ignore[no-untyped-def]
    return make_user("bodoadmin", bodo, role="administrator")


def test_contact_points_come_back_in_escalation_order_and_are_audited(bodo, bodo_admin):
    add = contactservices.add_contact_point
    add(by=bodo_admin, organisation=bodo, kind="email", value="Vakt@Bodo.Kommune.no", order=2)
    add(by=bodo_admin, organisation=bodo, kind="duty_phone", value="75 55 50 00", order=1)
    add(by=bodo_admin, organisation=bodo, kind="sms", value="+47 912 34 567")
    values = list(queries.contact_points_for(bodo).values_list("value", flat=True))
    assert values == ["+4775555000", "vakt@bodo.kommune.no", "+4791234567"]
    assert AuditEvent.objects.filter(model="actors.contactpoint", action="create").count() == 3


def test_the_same_contact_twice_is_refused(bodo, bodo_admin):
    contactservices.add_contact_point(
        by=bodo_admin, organisation=bodo, kind="duty_phone", value="75555000"
    )
    with pytest.raises(ValidationError):
        contactservices.add_contact_point(
            by=bodo_admin, organisation=bodo, kind="duty_phone", value="+47 75 55 50 00"
        )
    assert queries.contact_points_for(bodo).count() == 1


def test_another_organisations_administrator_cannot_change_them(bodo, org):
    tromso_admin = make_user("tromsoadmin", org("Tromsø kommune"), role="administrator")
    with pytest.raises(PermissionDenied):
        contactservices.add_contact_point(
            by=tromso_admin, organisation=bodo, kind="duty_phone", value="75555000"
        )
    assert not ContactPoint.objects.filter(organisation=bodo).exists()


def test_a_named_role_must_be_held_by_a_member(bodo, bodo_admin, org):
    outsider = make_user("utenfor", org("Tromsø kommune"))
    with pytest.raises(ValidationError):
        contactservices.set_contact_role(
            by=bodo_admin, organisation=bodo, role="crisis_lead", person=outsider.person
        )
    contactservices.set_contact_role(
        by=bodo_admin, organisation=bodo, role="crisis_lead", person=bodo_admin.person
    )
    assert ContactRole.objects.get(organisation=bodo).person == bodo_admin.person


# --- the screen --------------------------------------------------------------------------


def test_the_administrators_screen_keeps_what_she_typed_on_error(bodo, bodo_admin):
    client = verified_client(bodo_admin)
    url = f"/aktorer/organisasjoner/{bodo.pk}/kontaktpunkter/"
    response = client.post(
        url, {"action": "add", "kind": "sms", "value": "75 55 50 00", "label": "Legevakt"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "kan ikke motta SMS" in html
    assert 'value="Legevakt"' in html and 'value="75 55 50 00"' in html
    assert not ContactPoint.objects.filter(organisation=bodo).exists()
    response = client.post(
        url, {"action": "add", "kind": "sms", "value": "91234567", "available_24_7": "on"}
    )
    assert response.status_code == 302
    page = client.get(f"/aktorer/organisasjoner/{bodo.pk}/").content.decode()
    assert "91 23 45 67" in page


def test_a_reader_cannot_open_the_screen(bodo):
    reader = make_user("leser", bodo)
    response = verified_client(reader).get(f"/aktorer/organisasjoner/{bodo.pk}/kontaktpunkter/")
    assert response.status_code == 403


# --- the national import ---------------------------------------------------------------------


def _csv(text: str) -> list[dict[str, str]]:
    from beredskap.core.tabular import read_rows

    return read_rows(SimpleUploadedFile("k.csv", text.encode()))


def test_the_national_import_is_all_or_nothing_with_row_errors(admin_user, bodo, org):
    bodo.org_number = "972418013"
    bodo.save()
    tromso = org("Tromsø kommune")
    rows = _csv(
        "organisasjon;type;verdi;rekkefølge\n"
        f"972418013;vakttelefon;75555000;1\n"
        f"{tromso.pk};SMS-nummer;77 00 00 00;1\n"
        "999999999;e-post;a@b.no;1\n"
    )
    result = import_contact_points(by=admin_user, rows=rows)
    assert not result.ok
    reasons = dict(result.errors)
    assert set(reasons) == {3, 4}
    assert "mobilnummer" in reasons[3] and "finnes ikke" in reasons[4]
    assert not ContactPoint.objects.exists()
    rows = _csv(
        "organisasjon;type;verdi;rekkefølge\n972418013;vakttelefon;75555000;1\n"
        f"{tromso.pk};SMS-nummer;41234567;1\n"
    )
    assert import_contact_points(by=admin_user, rows=rows).created == 2
    again = import_contact_points(by=admin_user, rows=rows)
    assert again.ok and ContactPoint.objects.count() == 2  # same file twice: same result


def test_only_a_national_administrator_imports(bodo_admin):
    with pytest.raises(PermissionDenied):
        import_contact_points(by=bodo_admin, rows=[{"organisasjon": "1", "type": "x"}])


def test_the_import_command_reports_row_errors_and_imports_nothing(admin_user, bodo, tmp_path):
    bad = tmp_path / "k.csv"
    bad.write_text(f"organisasjon;type;verdi\n{bodo.pk};vakttelefon;12\n")
    err = io.StringIO()
    with pytest.raises(Exception, match="Ingenting importert"):
        call_command("import_contact_points", str(bad), "--as", "admin", stderr=err)
    assert "linje 2" in err.getvalue()
    good = tmp_path / "ok.csv"
    good.write_text(f"organisasjon;type;verdi\n{bodo.pk};vakttelefon;75555000\n")
    out = io.StringIO()
    call_command("import_contact_points", str(good), "--as", "admin", stdout=out)
    assert "Importert 1" in out.getvalue()


# --- who cannot be reached ----------------------------------------------------------------


def test_the_statsforvalter_sees_her_municipalities_without_contact_or_active_user(
    bodo, bodo_admin, org
):
    statsforvalter = make_user("sf", org("Statsforvalteren i Nordland"))
    contactservices.add_contact_point(
        by=bodo_admin, organisation=bodo, kind="duty_phone", value="75555000"
    )
    names = set(queries.unreachable_organisations(statsforvalter).values_list("name", flat=True))
    assert "Bodø kommune" not in names  # a contact point and an active user
    assert "Narvik kommune" in names
    assert "Tromsø kommune" not in names  # another county
    bodo_admin.is_active = False
    bodo_admin.save()
    page = verified_client(statsforvalter).get("/aktorer/kontaktpunkter/mangler/?q=Bod")
    assert "Bodø kommune" in page.content.decode()


def test_the_secretariat_sees_every_county_and_others_are_refused(secretariat_user, bodo_admin):
    names = set(queries.unreachable_organisations(secretariat_user).values_list("name", flat=True))
    assert {"Tromsø kommune", "Narvik kommune"} <= names
    assert verified_client(bodo_admin).get("/aktorer/kontaktpunkter/mangler/").status_code == 403


# --- API --------------------------------------------------------------------------------


def test_the_api_returns_contact_points_in_order(bodo, bodo_admin, admin_user):
    contactservices.add_contact_point(
        by=bodo_admin, organisation=bodo, kind="email", value="vakt@bodo.no", order=2
    )
    contactservices.add_contact_point(
        by=bodo_admin, organisation=bodo, kind="duty_phone", value="75555000", order=1
    )
    client = verified_client(bodo_admin)
    body = client.get(
        f"/api/v1/organisations/{bodo.pk}/contact-points", **token_for(bodo_admin)
    ).json()
    assert [p["value"] for p in body["points"]] == ["+4775555000", "vakt@bodo.no"]
    response = client.get("/api/v1/contact-points/unreachable", **token_for(bodo_admin))
    assert response.status_code == 403
    response = verified_client(admin_user).get(
        "/api/v1/contact-points/unreachable?q=Narvik", **token_for(admin_user)
    )
    assert [o["name"] for o in response.json()["items"]] == ["Narvik kommune"]


def test_every_nordland_demo_organisation_gets_a_contact_point(db):
    from beredskap.actors.demo import load_demo, nordland_organisations

    load_demo()
    orgs = list(nordland_organisations())
    assert len(orgs) > 40
    assert all(queries.contact_points_for(o).exists() for o in orgs)
    assert not queries.contact_points_for(SimpleNamespace(pk=0)).exists()
