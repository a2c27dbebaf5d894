"""The crisis log as CSV: an entry typed like a formula is text when the file is opened."""

import csv
import io

from beredskap.operations.services.crises import add_log_entry
from tests.factories import verified_client


def test_a_log_entry_like_a_formula_is_exported_with_an_apostrophe(crisis, coordinator):
    add_log_entry(by=coordinator, crisis=crisis, text='=HYPERLINK("http://x")')
    add_log_entry(by=coordinator, crisis=crisis, text="Vanlig loggføring")
    response = verified_client(coordinator).get(f"/krise/{crisis.pk}/logg/?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    texts = [row[4] for row in rows[2:]]
    assert '\'=HYPERLINK("http://x")' in texts and "Vanlig loggføring" in texts
    assert '=HYPERLINK("http://x")' not in texts


def test_the_public_cap_feed_of_a_classified_crisis_holds_only_the_published_alert(
    make_crisis, coordinator, client
):
    from beredskap.core.models import Municipality
    from beredskap.operations.services import alerts

    secret = make_crisis("Konfidensiell sabotasje mot vannverk", classification=1)
    alerts.publish_alert(
        by=coordinator,
        crisis=secret,
        event="Vannforsyning",
        urgency="Immediate",
        severity="Severe",
        certainty="Observed",
        municipalities=[Municipality.objects.get(number="1804")],
        infos=[{"language": "nb-NO", "headline": "Kok drikkevannet", "description": "x"}],
    )
    feed = client.get("/krise/cap/feed.xml").content.decode()
    assert "Kok drikkevannet" in feed
    assert "Konfidensiell sabotasje" not in feed and "sabotasje" not in feed.lower()
    single = client.get(feed.split('type="application/cap+xml" href="')[1].split('"')[0])
    assert single.status_code == 200 and "sabotasje" not in single.content.decode().lower()
