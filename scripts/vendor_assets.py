"""Copy front-end assets from node_modules (installed by `npm ci` from package-lock.json)
into Django static files. The copies are build output and are git-ignored (DESIGN.md:
installed from the npm registry by the build, never committed)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
TARGET = ROOT / "src" / "beredskap" / "core" / "static" / "vendor"

FILES = {
    "@digdir/designsystemet-css/dist/src/index.css": "designsystemet/index.css",
    "@digdir/designsystemet-theme/brand/digdir.css": "designsystemet/theme.css",
    "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
    "chart.js/dist/chart.umd.min.js": "chartjs/chart.umd.min.js",
    "leaflet/dist/leaflet.js": "leaflet/leaflet.js",
    "leaflet/dist/leaflet.css": "leaflet/leaflet.css",
    "axe-core/axe.min.js": "axe/axe.min.js",
}


def main() -> int:
    missing = [src for src in FILES if not (NODE / src).exists()]
    if missing:
        print("missing in node_modules (run npm ci):", ", ".join(missing), file=sys.stderr)
        return 1
    for src, dest in FILES.items():
        target = TARGET / dest
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(NODE / src, target)
    images = NODE / "leaflet/dist/images"
    shutil.copytree(images, TARGET / "leaflet/images", dirs_exist_ok=True)
    print(f"vendored {len(FILES)} assets into {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
