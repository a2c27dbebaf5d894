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
