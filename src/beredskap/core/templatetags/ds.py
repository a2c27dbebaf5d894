"""Template helpers for Designsystemet markup."""

from django import template

register = template.Library()


@register.filter
def ds(field):  # type: ignore[no-untyped-def]
    """Render a form field with Designsystemet classes and accessible error wiring."""
    attrs = {"class": "ds-input"}
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        described.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described:
        attrs["aria-describedby"] = " ".join(described)
    widget_type = field.field.widget.__class__.__name__
    if widget_type in {"CheckboxInput"}:
        attrs["class"] = "ds-input"
    return field.as_widget(attrs=attrs)
