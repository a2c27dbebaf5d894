"""Plan attachments as real files; deleting plans and scenarios; the simulation button; the
box 2.1 API."""

import io
import json
import zipfile
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from beredskap.core.errors import PermissionDenied
from beredskap.core.models import AuditEvent
from beredskap.planning import attachments, deletion, services
from beredskap.planning.models import Plan, PlanAttachment, PlanAttachmentContent, Scenario
from beredskap.planning.seeds import load_nuclear_scenarios
from tests.factories import make_user, token_for, verified_client

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _zip(members: dict[str, bytes]) -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as package:
        for name, content in members.items():
            package.writestr(name, content)
    return data.getvalue()


DOCX_BYTES = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT_BYTES = _zip(
    {"mimetype": attachments.ODT.encode(), "content.xml": b"<office:document-content/>"}
)


@pytest.fixture
def bodo(org):
    return make_user("bodo", org("Bodø kommune"), role="reporter", clearance=1)


@pytest.fixture
def plan(bodo, org):
    return services.create_plan(
        by=bodo,
        owner_org=org("Bodø kommune"),
        title="Overordnet beredskapsplan",
        plan_type="overall",
        approved_on=date(2024, 3, 1),
        classification=1,
    )


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("plan.pdf", PDF_BYTES, attachments.PDF),
        ("plan.docx", DOCX_BYTES, attachments.DOCX),
        ("Plan.ODT", ODT_BYTES, attachments.ODT),
    ],
)
def test_pdf_docx_and_odt_documents_are_accepted_with_their_type_from_the_content(
    bodo, plan, name, data, kind
):
    attachment = attachments.add_attachment(by=bodo, plan=plan, filename=name, data=data)
    assert attachment.content_type == kind and attachment.size == len(data)
    assert attachments.content_of(attachment) == data


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("plan.pdf", b"MZ\x90\x00 not a pdf", "Bare PDF"),
        ("plan.docx", _zip({"readme.txt": b"hei"}), "Bare PDF"),
        ("plan.docx", b"PK\x03\x04broken", "Bare PDF"),
        ("plan.exe", PDF_BYTES, "slutte på .pdf"),
        ("plan.pdf", DOCX_BYTES, "slutte på .docx"),
        ("plan.pdf", b"", "tom"),
    ],
)
def test_other_content_is_refused_with_a_reason(bodo, plan, name, data, reason):
    with pytest.raises(ValidationError, match=reason):
        attachments.add_attachment(by=bodo, plan=plan, filename=name, data=data)
    assert not PlanAttachment.objects.exists()


def test_a_file_over_20_mb_is_refused_before_it_is_read(bodo, plan):
    big = SimpleUploadedFile(
        "stor.pdf", b"%PDF-" + b"0" * (attachments.MAX_BYTES), content_type="application/pdf"
    )
    with pytest.raises(ValidationError, match="20 MB"):
        attachments.read_upload(big)
    just_fits = SimpleUploadedFile("ok.pdf", b"%PDF-" + b"0" * (attachments.MAX_BYTES - 5))
    assert len(attachments.read_upload(just_fits)) == attachments.MAX_BYTES


def test_a_path_in_the_file_name_is_dropped(bodo, plan):
    attachment = attachments.add_attachment(
        by=bodo, plan=plan, filename="C:\\Users\\x\\..\\plan\x07.pdf", data=PDF_BYTES
    )
    assert attachment.filename == "plan.pdf"


def test_only_those_who_edit_the_plan_may_attach(plan, org):
    other = make_user("mo", org("Narvik kommune"), role="reporter", clearance=1)
    with pytest.raises(PermissionDenied):
        attachments.add_attachment(by=other, plan=plan, filename="plan.pdf", data=PDF_BYTES)


def test_upload_and_download_through_the_page_with_the_read_audited(bodo, plan):
    client = verified_client(bodo)
    response = client.post(
        f"/planverk/planer/{plan.pk}/vedlegg/",
        {"file": SimpleUploadedFile("Beredskapsplan 2024.pdf", PDF_BYTES, "application/pdf")},
    )
    assert response.status_code == 302
    attachment = PlanAttachment.objects.get(plan=plan)
    page = client.get(f"/planverk/planer/{plan.pk}/").content.decode()
    assert "Beredskapsplan 2024.pdf" in page and "Last opp vedlegg" in page
    before = AuditEvent.objects.filter(
        action="read", model="planning.plan", object_id=str(plan.pk)
    ).count()
    download = client.get(f"/planverk/planer/{plan.pk}/vedlegg/{attachment.pk}/")
    assert download.status_code == 200 and download.content == PDF_BYTES
    assert (
        download["Content-Type"] == "application/pdf"
        and "attachment" in download["Content-Disposition"]
    )
    assert (
        AuditEvent.objects.filter(
            action="read", model="planning.plan", object_id=str(plan.pk)
        ).count()
        == before + 1
    )
    assert AuditEvent.objects.filter(action="download", model="planning.planattachment").exists()


def test_a_refused_upload_is_explained_on_the_page(bodo, plan):
    client = verified_client(bodo)
    response = client.post(
        f"/planverk/planer/{plan.pk}/vedlegg/",
        {"file": SimpleUploadedFile("virus.pdf", b"MZ..", "application/pdf")},
        follow=True,
    )
    assert "Bare PDF-, DOCX- og ODT-dokumenter" in response.content.decode()
    assert not PlanAttachment.objects.exists()


def test_who_cannot_see_the_plan_cannot_download_or_even_find_the_attachment(bodo, plan, org):
    attachment = attachments.add_attachment(by=bodo, plan=plan, filename="plan.pdf", data=PDF_BYTES)
    other = verified_client(make_user("mo", org("Narvik kommune"), role="reporter", clearance=1))
    assert other.get(f"/planverk/planer/{plan.pk}/vedlegg/{attachment.pk}/").status_code == 404
    assert (
        other.post(
            f"/planverk/planer/{plan.pk}/vedlegg/", {"file": SimpleUploadedFile("x.pdf", PDF_BYTES)}
        ).status_code
        == 404
    )
    # The right id under the wrong plan is not found either.
    second = services.create_plan(
        by=bodo, owner_org=org("Bodø kommune"), title="Smittevernplan", plan_type="infection"
    )
    assert (
        verified_client(bodo)
        .get(f"/planverk/planer/{second.pk}/vedlegg/{attachment.pk}/")
        .status_code
        == 404
    )


def test_the_statsforvalter_may_download_her_municipalitys_plan(bodo, plan, org):
    attachment = attachments.add_attachment(by=bodo, plan=plan, filename="plan.pdf", data=PDF_BYTES)
    sf = make_user("sfno", org("Statsforvalteren i Nordland"), role="reader", clearance=1)
    assert (
        verified_client(sf).get(f"/planverk/planer/{plan.pk}/vedlegg/{attachment.pk}/").content
        == PDF_BYTES
    )


def test_an_attachment_is_deleted_after_confirmation(bodo, plan):
    attachment = attachments.add_attachment(by=bodo, plan=plan, filename="plan.pdf", data=PDF_BYTES)
    client = verified_client(bodo)
    url = f"/planverk/planer/{plan.pk}/vedlegg/{attachment.pk}/slett/"
    assert "Ja, slett" in client.get(url).content.decode()
    assert PlanAttachment.objects.exists()
    assert client.post(url).status_code == 302
    assert not PlanAttachment.objects.exists() and not PlanAttachmentContent.objects.exists()
    assert AuditEvent.objects.filter(action="delete", model="planning.planattachment").exists()


# Deleting plans and scenarios


def test_a_plan_is_deleted_with_its_attachments_after_confirmation(bodo, plan):
    attachments.add_attachment(by=bodo, plan=plan, filename="plan.pdf", data=PDF_BYTES)
    client = verified_client(bodo)
    page = client.get(f"/planverk/planer/{plan.pk}/slett/").content.decode()
    assert "1 vedlegg slettes" in page and "Ja, slett" in page
    pk = plan.pk
    assert client.post(f"/planverk/planer/{pk}/slett/").status_code == 302
    assert not Plan.objects.filter(pk=pk).exists() and not PlanAttachmentContent.objects.exists()
    assert AuditEvent.objects.filter(
        action="delete", model="planning.plan", object_id=str(pk)
    ).exists()


def test_a_plan_may_not_be_deleted_by_a_reader_or_another_municipality(plan, org):
    for user in (
        make_user("les", org("Bodø kommune"), role="reader", clearance=1),
        make_user("mo", org("Narvik kommune"), role="reporter", clearance=1),
    ):
        with pytest.raises(PermissionDenied):
            deletion.delete_plan(by=user, plan=plan)
        assert verified_client(user).post(f"/planverk/planer/{plan.pk}/slett/").status_code == 404
    assert Plan.objects.filter(pk=plan.pk).exists()


@pytest.fixture
def hod(org):
    return make_user("hod", org("HOD"), role="secretariat", clearance=1)


def test_a_scenario_plans_build_on_is_not_deleted_and_the_page_says_why(hod, org):
    scenario = services.create_scenario(
        by=hod, owner_org=org("HOD"), title="Langvarig vannbortfall", risk_area="water"
    )
    services.create_plan(
        by=hod,
        owner_org=org("HOD"),
        title="Nødvannplan",
        plan_type="emergency_water",
        scenarios=[scenario],
    )
    with pytest.raises(ValidationError, match="bygger på scenarioet"):
        deletion.delete_scenario(by=hod, scenario=scenario)
    client = verified_client(hod)
    page = client.get(f"/planverk/scenarioer/{scenario.pk}/slett/").content.decode()
    assert "1 beredskapsplan(er) bygger på scenarioet" in page and "Ja, slett" not in page
    assert client.post(f"/planverk/scenarioer/{scenario.pk}/slett/").status_code == 400
    assert Scenario.objects.filter(pk=scenario.pk).exists()


def test_a_seeded_national_scenario_is_not_deleted(db, org):
    load_nuclear_scenarios()
    seeded = Scenario.objects.filter(seed_key__isnull=False).first()
    owner = make_user("dsa", seeded.owner_org, role="reporter", clearance=1)
    with pytest.raises(ValidationError, match="nasjonale dimensjonerende"):
        deletion.delete_scenario(by=owner, scenario=seeded)


def test_a_free_scenario_is_deleted_and_its_events_stay(hod, org):
    from tests.risk.builders import make_analysis, make_event

    event = make_event(hod, make_analysis(hod, org("HOD")), title="Pandemi", risk_area="infection")
    scenario = services.derive_scenario(by=hod, event=event, owner_org=org("HOD"))
    client = verified_client(hod)
    assert "Slett scenarioet" in client.get(f"/planverk/scenarioer/{scenario.pk}/").content.decode()
    pk = scenario.pk
    assert client.post(f"/planverk/scenarioer/{pk}/slett/").status_code == 302
    assert not Scenario.objects.filter(pk=pk).exists()
    event.refresh_from_db()
    assert AuditEvent.objects.filter(
        action="delete", model="planning.scenario", object_id=str(pk)
    ).exists()


# Scenario → simulation


def test_a_scenario_with_an_epidemic_part_links_to_a_prefilled_simulation(hod, org):
    scenario = services.create_scenario(
        by=hod,
        owner_org=org("HOD"),
        title="Pandemisk influensa",
        risk_area="infection",
        has_epidemic=True,
        r0=2.7,
        latent_days=2.0,
        infectious_days=4.0,
        sim_days=180,
        ihr=0.01,
        icu_share=0.2,
    )
    plain = services.create_scenario(
        by=hod, owner_org=org("HOD"), title="Vannbortfall", risk_area="water"
    )
    client = verified_client(hod)
    page = client.get(f"/planverk/scenarioer/{scenario.pk}/").content.decode()
    link = f"/modellering/ny/?scenario={scenario.pk}"
    assert "Kjør simulering" in page and link in page
    assert "Kjør simulering" not in client.get(f"/planverk/scenarioer/{plain.pk}/").content.decode()
    content = client.get(link).content.decode()
    assert "Pandemisk influensa" in content and 'value="2.7"' in content
    assert "Vannbortfall" not in content  # the scenario without an epidemic is not offered


# API


@pytest.fixture
def api(bodo):
    client, headers = verified_client(bodo), token_for(bodo)

    def call(method, path, **extra):
        return getattr(client, method)(f"/api/v1{path}", **headers, **extra)

    return call


def test_the_api_uploads_lists_downloads_and_deletes_attachments(api, plan):
    created = api(
        "post",
        f"/planning/plans/{plan.pk}/attachments",
        data={"file": SimpleUploadedFile("plan.odt", ODT_BYTES)},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["content_type"] == attachments.ODT and body["size"] == len(ODT_BYTES)
    assert [a["filename"] for a in api("get", f"/planning/plans/{plan.pk}/attachments").json()] == [
        "plan.odt"
    ]
    download = api("get", f"/planning/plans/{plan.pk}/attachments/{body['id']}")
    assert download.status_code == 200 and download.content == ODT_BYTES
    refused = api(
        "post",
        f"/planning/plans/{plan.pk}/attachments",
        data={"file": SimpleUploadedFile("plan.pdf", b"<html>")},
    )
    assert refused.status_code == 400 and "Bare PDF" in json.dumps(
        refused.json(), ensure_ascii=False
    )
    assert api("delete", f"/planning/plans/{plan.pk}/attachments/{body['id']}").status_code == 204
    assert api("get", f"/planning/plans/{plan.pk}/attachments/{body['id']}").status_code == 404


def test_the_api_hides_attachments_of_plans_the_user_cannot_see(bodo, plan, org):
    attachment = attachments.add_attachment(by=bodo, plan=plan, filename="plan.pdf", data=PDF_BYTES)
    other = make_user("mo", org("Narvik kommune"), role="reporter", clearance=1)
    client, headers = verified_client(other), token_for(other)
    assert client.get(f"/api/v1/planning/plans/{plan.pk}/attachments", **headers).status_code == 404
    assert (
        client.get(
            f"/api/v1/planning/plans/{plan.pk}/attachments/{attachment.pk}", **headers
        ).status_code
        == 404
    )
    assert client.delete(f"/api/v1/planning/plans/{plan.pk}", **headers).status_code == 404


def test_the_api_deletes_a_plan_and_refuses_a_scenario_with_reasons(api, bodo, plan, org):
    scenario = services.create_scenario(
        by=bodo, owner_org=org("Bodø kommune"), title="Ras", risk_area="climate"
    )
    services.update_plan(by=bodo, plan=plan, expected_version=plan.version, scenarios=[scenario])
    refused = api("delete", f"/planning/scenarios/{scenario.pk}")
    assert refused.status_code == 400 and "bygger på scenarioet" in json.dumps(
        refused.json(), ensure_ascii=False
    )
    assert api("delete", f"/planning/plans/{plan.pk}").status_code == 204
    assert api("delete", f"/planning/scenarios/{scenario.pk}").status_code == 204


def test_the_api_records_and_lists_box_2_1_assessments(org):
    user = make_user("hdir", org("Hdir"), role="reporter", clearance=1)
    client, headers = verified_client(user), token_for(user)
    payload = {
        "owner_org_id": org("Hdir").pk,
        "requirement": 5,
        "status": "partly",
        "evidence": "ROS 2024",
    }
    response = client.post(
        "/api/v1/planning/requirements",
        json.dumps(payload),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200 and response.json()["status"] == "partly"
    rows = client.get(
        f"/api/v1/planning/requirements?owner_org_id={org('Hdir').pk}", **headers
    ).json()
    assert [(r["requirement"], r["status"]) for r in rows] == [(5, "partly")]
    payload["owner_org_id"] = org("HOD").pk
    assert (
        client.post(
            "/api/v1/planning/requirements",
            json.dumps(payload),
            content_type="application/json",
            **headers,
        ).status_code
        == 403
    )
    payload["owner_org_id"] = org("Bodø kommune").pk
    assert (
        client.post(
            "/api/v1/planning/requirements",
            json.dumps(payload),
            content_type="application/json",
            **headers,
        ).status_code
        == 400
    )
