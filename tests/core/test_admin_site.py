"""The Django admin holds no protected record and leaves an audit row for every change."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory

from beredskap.core.base import ProtectedModel
from beredskap.core.models import AuditEvent, User
from tests.factories import verified_client


def test_no_protected_model_is_registered_in_the_admin() -> None:
    registered = [model._meta.label for model in admin.site._registry]
    protected = [
        model._meta.label for model in admin.site._registry if issubclass(model, ProtectedModel)
    ]
    assert registered, "the walk must see the admin registry"
    assert protected == []


@pytest.mark.django_db
def test_no_admin_page_offers_bulk_delete() -> None:
    superuser = User.objects.create_superuser("root", password="x" * 16)
    request = RequestFactory().get("/admin/")
    request.user = superuser
    offering = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if "delete_selected" in model_admin.get_actions(request)
    ]
    assert offering == []


@pytest.mark.django_db
def test_staff_user_without_clearance_finds_no_simulation_runs_in_the_admin() -> None:
    staff = User.objects.create_superuser("drift", password="x" * 16)
    client = verified_client(staff)
    assert client.get("/admin/modelling/simulationrun/").status_code == 404
    assert b"simulationrun" not in client.get("/admin/").content.lower()


@pytest.mark.django_db
def test_deleting_a_record_in_the_admin_leaves_an_audit_row() -> None:
    staff = User.objects.create_superuser("drift", password="x" * 16)
    group = Group.objects.create(name="Vaktlag")
    client = verified_client(staff)
    response = client.post(f"/admin/auth/group/{group.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Group.objects.filter(pk=group.pk).exists()
    event = AuditEvent.objects.get(action="admin_delete", model="auth.group")
    assert event.actor == staff
    assert event.after["object_repr"] == "Vaktlag"
    assert not AuditEvent.objects.filter(action="admin_delete", model="core.municipality").exists()
