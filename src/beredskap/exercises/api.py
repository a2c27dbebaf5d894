"""API router for exercises (mounted under /api/v1/ by beredskap.api.api)."""

from ninja import Router

router = Router(tags=["exercises"])
