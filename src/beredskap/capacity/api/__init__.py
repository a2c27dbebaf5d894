"""API router for capacity (mounted under /api/v1/ by beredskap.api.api): beds and ICU,
standard messages, stock, blood, personnel and reserve personnel, emergency water."""

from ninja import Router

router = Router(tags=["kapasitet"])

from beredskap.capacity.api import beds, bulk, other, stock  # noqa: E402,F401  (registers routes)
