"""API list paging: ninja's limit/offset paging with an offset the database can hold.

PostgreSQL refuses an OFFSET beyond a bigint with an error (a 500); a client gets a 4xx it can act
on. Every API list uses this class (``@paginate(LimitOffsetPagination)``).
"""

from __future__ import annotations

from ninja import Field, Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import LimitOffsetPagination as _NinjaLimitOffsetPagination
from ninja.pagination import paginate

__all__ = ["MAX_LIMIT", "MAX_OFFSET", "LimitOffsetPagination", "paginate"]

MAX_OFFSET = 10_000_000
MAX_LIMIT = 1000


class LimitOffsetPagination(_NinjaLimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(ninja_settings.PAGINATION_PER_PAGE, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
