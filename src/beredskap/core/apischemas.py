"""Schemas every API module shares. OpenAPI names a component by its class name, so one error
body is defined once here rather than once per app (two classes of one name would document
each other's bodies)."""

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    """A refusal: `detail` is a message or a list of {field, message} (for 422, the input
    errors with their location), `code` is stable for machines."""

    detail: Any
    code: str
