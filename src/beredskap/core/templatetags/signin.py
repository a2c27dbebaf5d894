"""What the sign-in page offers: the configured identity providers and local passwords."""

from __future__ import annotations

from django import template
from django.conf import settings

from beredskap.core.oidc import config

register = template.Library()


@register.simple_tag
def sign_in_providers() -> list[config.Provider]:
    return config.providers()


@register.simple_tag
def local_login_enabled() -> bool:
    return bool(settings.BEREDSKAP_LOCAL_LOGIN)
