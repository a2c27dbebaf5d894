"""API router for risk (mounted under /api/v1/ by beredskap.api.api)."""

from ninja import Router

router = Router(tags=["risk"])
