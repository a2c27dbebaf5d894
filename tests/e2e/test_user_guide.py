"""The user's guide's screenshots, taken in Chromium from the demo installation.

Each picture the guide shows is a page a demo user of that role opens after signing in; the
walk checks that the page answers with its heading and no refusal, and saves the picture into
``docs/user-guide/img/`` when ``BEREDSKAP_GUIDE_SCREENSHOTS=1`` (``make guide-screenshots``).
Loading the whole demo takes over a minute, so the walk runs only when asked; the check that
every picture the guide names exists runs always (tests/core/test_user_guide_images.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.e2e.helpers import confirmed_device, enter_code, h1, log_in, totp_code
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e

IMAGES = Path(__file__).resolve().parents[2] / "docs/user-guide/img"
VIEWPORT = {"width": 1366, "height": 768}  # the public sector's most common laptop screen


@dataclass(frozen=True)
class Shot:
    name: str
    username: str
    path: str
    heading: str


SHOTS = [
    Shot("reporter-min-side", "kommune", "/", "Min side"),
    Shot(
        "reporter-sengerapport", "sykehus", "/kapasitet/senger/rapport/", "Rapporter sengekapasitet"
    ),
    Shot(
        "administrator-brukere",
        "admin",
        "/aktorer/organisasjoner/{hod}/brukere/",
        "Brukere – Helse- og omsorgsdepartementet",
    ),
    Shot(
        "secretariat-oppfolging",
        "sekretariat",
        "/oppfolging/",
        "Regjeringens forpliktelser og Helsedirektoratets tiltak",
    ),
    Shot("crisis-staff-kriser", "sekretariat", "/krise/", "Kriser og øvelser"),
    Shot("analyst-modellering", "leser", "/modellering/", "Simuleringer"),
    Shot("auditor-revisjonsspor", "revisor", "/revisjon/", "Revisjonsspor"),
]


@pytest.mark.skipif(
    not os.environ.get("BEREDSKAP_GUIDE_SCREENSHOTS"), reason="make guide-screenshots"
)
def test_the_guides_pages_open_for_their_roles(live_server, new_page, transactional_db):
    from beredskap.actors.models import Organisation
    from beredskap.core.models import User

    call_command("demo", verbosity=0)
    for user in User.objects.all():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    hod = Organisation.objects.get(short_name="HOD").pk
    IMAGES.mkdir(parents=True, exist_ok=True)
    pages: dict[str, object] = {}
    for shot in SHOTS:
        if shot.username not in pages:  # one sign-in per user: a TOTP code is valid once
            pages[shot.username] = _signed_in(new_page(viewport=VIEWPORT), live_server.url, shot)
        page = pages[shot.username]
        response = page.goto(live_server.url + shot.path.format(hod=hod))
        assert response.status == 200, (shot, response.status)
        assert h1(page) == shot.heading, (shot, h1(page))
        assert "Du har ikke tilgang" not in page.locator("main").inner_text(), shot
        page.screenshot(path=str(IMAGES / f"{shot.name}.png"))


def _signed_in(page, base_url: str, shot: Shot):  # type: ignore[no-untyped-def]
    from beredskap.core.models import User

    user = User.objects.get(username=shot.username)
    log_in(page, base_url, shot.username)
    if user.needs_two_factor:
        enter_code(page, totp_code(user.totpdevice_set.first() or confirmed_device(user)))
    assert h1(page) != "Bekreft med engangskode", shot
    return page
