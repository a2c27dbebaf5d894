"""Template helpers for Designsystemet markup."""

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.filter
def ds(field):
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
    if field.field.widget.__class__.__name__ in {"CheckboxSelectMultiple", "RadioSelect"}:
        return _choices(field, attrs)
    return field.as_widget(attrs=attrs)


def _choices(field, attrs):
    """A checkbox or radio list as one input + label per line (Django's default wraps the list in
    the input's box, which then overflows onto the fields below)."""
    options = []
    for option in field.subwidgets:
        option.data["attrs"].update(attrs)
        options.append((option.tag(wrap_label=False), option.id_for_label, option.choice_label))
    lines = format_html_join(
        "",
        '<div class="app-choice">{} <label class="ds-label" data-weight="regular" '
        'for="{}">{}</label></div>',
        options,
    )
    return format_html('<div id="{}" class="app-choices">{}</div>', field.auto_id, lines)
