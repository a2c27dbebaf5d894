"""API router for commitments (mounted under /api/v1/ by beredskap.api.api)."""

from ninja import Router

router = Router(tags=["commitments"])
