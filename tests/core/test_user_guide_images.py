"""The user's guide shows only pictures the browser walk takes, and every picture it takes is
in the guide (the walk is tests/e2e/test_user_guide.py, run by ``make guide-screenshots``)."""

from __future__ import annotations

import re

from tests.e2e.test_user_guide import IMAGES, SHOTS

GUIDE = IMAGES.parent


def _referenced() -> set[str]:
    pattern = re.compile(r"!\[[^\]]+\]\(img/([\w-]+)\.png\)")
    return {m for page in GUIDE.glob("*.md") for m in pattern.findall(page.read_text())}


def test_every_picture_in_the_guide_is_taken_by_the_walk_and_exists():
    taken = {shot.name for shot in SHOTS}
    assert _referenced() == taken
    missing = [name for name in taken if not (IMAGES / f"{name}.png").is_file()]
    assert not missing


def test_each_picture_belongs_to_the_guide_of_its_role():
    roles = {page.stem: page for page in GUIDE.glob("*.md")}
    for shot in SHOTS:
        role = next(stem for stem in roles if shot.name.startswith(stem + "-"))
        assert f"(img/{shot.name}.png)" in roles[role].read_text(), shot.name


def test_pictures_are_laptop_screens_not_page_dumps():
    for path in IMAGES.glob("*.png"):
        width, height = _png_size(path.read_bytes())
        assert (width, height) == (1366, 768), path.name


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
