"""Browser steps shared by the e2e tests."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from tests.factories import PASSWORD

AXE_JS = Path(__file__).resolve().parents[2] / "src/beredskap/core/static/vendor/axe/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def log_in(
    page: Any, base_url: str, username: str, password: str = PASSWORD, next_url: str = ""
) -> Any:
    """Sign in through the form; returns the response of the final navigation."""
    url = f"{base_url}/konto/logg-inn/" + (f"?next={next_url}" if next_url else "")
    page.goto(url)
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Logg inn").click()
    return page


def submit(page: Any, button: Any) -> None:
    """Click a form's submit button and wait for the resulting page to load.

    On a timeout the error says why no page came: whether the form was valid in the
    browser (an invalid field blocks the submission), which fields were invalid, and which
    requests were answered meanwhile. This step has timed out twice in CI without
    showing the cause.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    answered: list[str] = []

    def note(response: Any) -> None:
        answered.append(f"{response.request.method} {response.url} -> {response.status}")

    page.on("response", note)
    try:
        with page.expect_navigation():
            button.click()
    except PlaywrightTimeout as exc:
        state = button.evaluate(
            "b => ({valid: b.form ? b.form.checkValidity() : null, invalid: b.form ? "
            "[...b.form.elements].filter(e => e.willValidate && !e.checkValidity()).map(e => "
            "`${e.name}: ${e.validationMessage}`) : []})"
        )
        raise AssertionError(
            f"no page after submitting at {page.url}: form state {state}; responses {answered}"
        ) from exc
    finally:
        page.remove_listener("response", note)


def totp_code(device: Any, offset: int = 0) -> str:
    from django_otp.oath import totp

    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{(code + offset) % 10**6:06d}"


def enter_code(page: Any, code: str) -> None:
    page.get_by_label("Engangskode").fill(code)
    with page.expect_navigation():
        page.get_by_role("button", name="Bekreft").click()


def confirmed_device(user: Any) -> Any:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="t", confirmed=True)


def h1(page: Any) -> str:
    return page.locator("h1").inner_text().strip()


def serious_axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.0/2.1 A and AA) and return the serious and critical violations.

    The script is inlined, which the site's strict CSP blocks: the page's context must be
    created with ``bypass_csp=True``.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: tags, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [
                {"target": n["target"], "summary": n.get("failureSummary", "")}
                for n in v["nodes"][:5]
            ],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def describe(violations: list[dict[str, Any]]) -> str:
    return json.dumps(violations, ensure_ascii=False, indent=1)


def save_screenshot(page: Any, name: str) -> None:
    """Full-page screenshot into $BEREDSKAP_E2E_SCREENSHOTS, when set (for looking at by eye)."""
    directory = os.environ.get("BEREDSKAP_E2E_SCREENSHOTS")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(directory) / f"{name}.png"), full_page=True)
