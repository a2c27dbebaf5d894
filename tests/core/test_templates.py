"""Every template's <title> is plain text and its head block only loads assets: markup that slips
into those blocks shows up as raw tags in the browser tab or is dropped by the parser."""

import re
from pathlib import Path

import pytest

TEMPLATES = sorted(
    (Path(__file__).resolve().parents[2] / "src" / "beredskap").glob("**/templates/**/*.html")
)
HEAD_TAGS = {"link", "script", "style", "meta", "noscript"}


def _block(source: str, name: str) -> str | None:
    found = re.search(r"{% block " + name + r" %}(.*?){% endblock", source, re.S)
    return found.group(1) if found else None


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p).split("templates/")[-1])
def test_title_is_text_and_head_only_loads_assets(path):
    source = path.read_text(encoding="utf-8")
    title, head = _block(source, "title"), _block(source, "head")
    assert title is None or not re.search(r"<\w", title), "markup in the title block"
    assert head is None or set(re.findall(r"<(\w+)", head)) <= HEAD_TAGS, (
        "non-asset markup in the head block"
    )


def test_the_scan_finds_the_templates():
    assert len(TEMPLATES) > 100
