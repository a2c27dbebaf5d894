"""API router for modelling (mounted under /api/v1/ by beredskap.api.api)."""

from ninja import Router

router = Router(tags=["modelling"])
