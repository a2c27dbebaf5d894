"""In the browser: an organisation's administrator invites a person, who opens the link, sets a
password and lands on her start page as a member of that organisation."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from tests.e2e.helpers import h1, log_in, submit
from tests.factories import make_user

pytestmark = pytest.mark.e2e


def test_an_administrator_invites_a_user_who_takes_the_account_in_use(live_server, new_page, org):
    bodo = org("Bodø kommune")
    make_user("bodoadmin", bodo, role="administrator")
    make_user("tromsoleser", org("Tromsø kommune"))
    admin = new_page()
    log_in(admin, live_server.url, "bodoadmin")
    admin.goto(f"{live_server.url}/aktorer/organisasjoner/{bodo.pk}/brukere/")
    assert h1(admin) == "Brukere – Bodø kommune"
    assert "Tromsoleser" not in admin.locator("main").inner_text()  # not her organisation

    invite = admin.locator("form", has=admin.locator("input[name=action][value=invite]"))
    invite.get_by_label("E-post").fill("nina.ny@bodo.kommune.no")
    invite.get_by_label("Navn").fill("Nina Ny")
    invite.get_by_label("Rolle").select_option("reporter")
    submit(admin, invite.get_by_role("button", name="Send invitasjon"))
    assert "Invitasjonen er sendt til nina.ny@bodo.kommune.no" in admin.locator("main").inner_text()
    row = admin.locator("#members tr", has_text="Nina Ny")
    assert "Invitert" in row.inner_text()

    link = re.search(r"http\S+/konto/invitasjon/\S+/", mail.outbox[-1].body).group(0)
    invitee = new_page()
    invitee.goto(live_server.url + link[link.index("/konto/") :])
    invitee.locator("input[name=person-name]").fill("Nina Ny")
    invitee.locator("input[name=new_password1]").fill("et-langt-og-godt-passord-42")
    invitee.locator("input[name=new_password2]").fill("et-langt-og-godt-passord-42")
    submit(invitee, invitee.get_by_role("button", name="Ta i bruk kontoen"))
    assert h1(invitee) == "Min side"
    assert "Bodø kommune" in invitee.locator("main").inner_text()

    admin.reload()
    assert "Aktiv" in admin.locator("#members tr", has_text="Nina Ny").inner_text()
