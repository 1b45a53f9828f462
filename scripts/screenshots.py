"""Take phone and desktop screenshots of a built site's main kinds of page, to look at them.

One of each: the home page, a department page, a comparison page and a report page (the first of
each in file order, or those named), at 390×844 and 1366×900, charts drawn, top of the page only
(`--full` for the whole page). Served like GitHub Pages by measure_site's gzip server.

    .venv/bin/python scripts/screenshots.py build/site tests/screenshots/corpus [--full]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from measure_site import CHROMIUM, chromium, serve_gzip, wait_for_charts

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}


def first_page(site: Path, folder: str) -> str | None:
    """Return the first page under `folder` of the built site (index pages left out), or None."""
    pages = sorted(p for p in (site / folder).glob("*.html") if p.name != "index.html")
    return pages[0].relative_to(site).as_posix() if pages else None


def pages_to_shoot(site: Path) -> dict[str, str]:
    """Return {kind: page path} for the home, a department, a comparison and a report page."""
    found = {"home": "index.html", "department": first_page(site, "data/departments"),
             "comparison": first_page(site, "data/compare"), "report": first_page(site, "data/reports")}
    return {kind: path for kind, path in found.items() if path}


def shoot(site: Path, out: Path, full: bool = False) -> list[Path]:
    """Write `<kind>-<viewport>.png` for every page kind and viewport into `out`; return the files."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with serve_gzip(site) as (base, _log), chromium() as browser:
        for vp_name, viewport in VIEWPORTS.items():
            context = browser.new_context(viewport=viewport, locale="zh-CN")
            page = context.new_page()
            for kind, path in pages_to_shoot(site).items():
                page.goto(base + path, wait_until="load")
                wait_for_charts(page)
                target = out / f"{kind}-{vp_name}.png"
                page.screenshot(path=str(target), full_page=full)
                written.append(target)
            context.close()
    return written


def main(argv: list[str] | None = None) -> int:
    """Take the screenshots; print the files written."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="built site folder (e.g. build/site)")
    parser.add_argument("out", type=Path, help="folder to write the PNG files into")
    parser.add_argument("--full", action="store_true", help="the whole page, not only its first screen")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print(f"screenshots: error: {CHROMIUM} not installed (apt-get install chromium)", file=sys.stderr)
        return 2
    if not (args.site / "index.html").is_file():
        print(f"screenshots: error: {args.site}/index.html not found; build the site first", file=sys.stderr)
        return 2
    for path in shoot(args.site, args.out, args.full):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
