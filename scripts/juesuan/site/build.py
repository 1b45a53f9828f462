"""Build the static site: generated pages from the data package, then `mkdocs build --strict`."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from juesuan.errors import EnvironmentProblem
from juesuan.fsutil import replacing_dir
from juesuan.site.pages import write_pages

GENERATED = Path("site_src") / "data"


class SiteBuildError(Exception):
    """MkDocs refused the site (a warning under --strict, or an error); carries its output."""


def check_environment() -> None:
    """Raise EnvironmentProblem, saying how to fix it, when MkDocs or Material is missing."""
    missing = [name for name in ("mkdocs", "material", "jieba") if importlib.util.find_spec(name) is None]
    if missing:
        raise EnvironmentProblem(
            f"{', '.join(missing)} not installed in {sys.executable}; "
            "run `make install` (or `pip install -e '.[test]'` in the project's virtualenv)"
        )


def build_site(project_root: Path, package_dir: Path, site_dir: Path, site_url: str | None = None) -> None:
    """Write the generated pages for `package_dir`, then build the site into `site_dir` strictly.

    Uses `project_root/mkdocs.yml`; generated pages go to `project_root/site_src/data/`,
    and the bundled report sources in `project_root/reports/` are published for provenance links.
    `site_url` (else $JUESUAN_SITE_URL, else mkdocs.yml's default) is where the site will be
    served: Material's instant navigation only works at that host and port.
    """
    check_environment()
    config = project_root / "mkdocs.yml"
    if not config.is_file():
        raise EnvironmentProblem(f"{config} not found; run `juesuan build` from the project folder")
    sources = project_root / "reports"
    write_pages(package_dir, project_root / GENERATED, sources_dir=sources if sources.is_dir() else None)
    # Material 9.7 prints a banner about MkDocs 2; we pin mkdocs<2, so silence it.
    env = {**os.environ, "PYTHONHASHSEED": "0", "NO_MKDOCS_2_WARNING": "1"}
    if site_url:
        env["JUESUAN_SITE_URL"] = site_url
    # Build beside the published site and swap it in: a failed build leaves the old site whole.
    with replacing_dir(site_dir.resolve()) as tmp:
        cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
               "--config-file", str(config), "--site-dir", str(tmp)]
        proc = subprocess.run(cmd, cwd=project_root, capture_output=True, text=True, env=env, check=False)
        if proc.returncode != 0:
            output = "\n".join(s for s in (proc.stdout.strip(), proc.stderr.strip()) if s)
            raise SiteBuildError(f"mkdocs build --strict failed (exit {proc.returncode}):\n{output}")
