"""Paging limits: an offset beyond what the database can hold is refused, not a 500
(a client gets a 4xx it can act on)."""

import pytest

from tests.factories import make_user, token_for


@pytest.mark.parametrize(
    "path", ["/api/v1/organisations", "/api/v1/exercise-plans", "/api/v1/bodies"]
)
def test_a_huge_offset_is_refused_with_4xx(client, org, path):
    headers = token_for(make_user("sider", org("HOD")))
    response = client.get(path, {"offset": "99999999999999999999"}, **headers)
    assert 400 <= response.status_code < 500
    first = client.get(path, {"offset": "0", "limit": "1"}, **headers)
    assert first.status_code == 200 and len(first.json()["items"]) == min(1, first.json()["count"])
