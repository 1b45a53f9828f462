"""Fetch and verify the pinned Plotly.js partial bundle the site ships (from the npm registry).

The site draws only bar and scatter traces, so it ships `plotly.js-basic-dist-min` (bar, pie,
scatter) instead of the full bundle. The package version and the sha256 of both the npm tarball
and the extracted file are recorded here; `make install` fetches it with `npm pack` into a cache
folder, and every site build verifies the file before copying it.

Run `python -m juesuan.site.vendor` to fetch (what `make install` does).
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from juesuan.errors import EnvironmentProblem

PLOTLY_PACKAGE = "plotly.js-basic-dist-min"
PLOTLY_VERSION = "4.1.1"
# sha256 of the tarball `npm pack` downloads, and of the file taken out of it.
PLOTLY_TARBALL_SHA256 = "ea907f854b6cec4f6a2fa71540ec019a21ed2c61e6a109ddd5c072103a96eed0"
PLOTLY_MEMBER = "package/plotly-basic.min.js"
PLOTLY_SHA256 = "99784e3abfb07b142a15e521a439e6d9addceadb3f79553fd24c72774f0649ba"
# The trace types this bundle registers; charts.py may draw only these.
PLOTLY_TRACES = frozenset({"bar", "pie", "scatter"})


def cache_dir() -> Path:
    """Return the cache folder: $JUESUAN_CACHE_DIR, else $XDG_CACHE_HOME/juesuan, else ~/.cache/juesuan."""
    if os.environ.get("JUESUAN_CACHE_DIR"):
        return Path(os.environ["JUESUAN_CACHE_DIR"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "juesuan"


def bundle_path() -> Path:
    """Return where the verified bundle is kept in the cache."""
    return cache_dir() / f"{PLOTLY_PACKAGE}-{PLOTLY_VERSION}.min.js"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def verified_bundle() -> Path:
    """Return the cached bundle after checking its sha256; raise EnvironmentProblem saying how to fetch it."""
    path = bundle_path()
    if not path.is_file():
        raise EnvironmentProblem(
            f"{path} is missing: the Plotly.js bundle {PLOTLY_PACKAGE}@{PLOTLY_VERSION} was not fetched; "
            "run `make install` (or `python -m juesuan.site.vendor`)"
        )
    actual = _sha256(path.read_bytes())
    if actual != PLOTLY_SHA256:
        raise EnvironmentProblem(
            f"{path} has sha256 {actual}, expected {PLOTLY_SHA256}; delete it and run `make install`"
        )
    return path


def _npm_pack(workdir: Path) -> Path:
    """Download the pinned tarball with `npm pack` into workdir; return its path."""
    npm = shutil.which("npm")
    if npm is None:
        raise EnvironmentProblem(
            "npm not found: it fetches the Plotly.js bundle from the npm registry; "
            "install Node.js and npm (Debian: `apt-get install nodejs npm`), then run `make install`"
        )
    spec = f"{PLOTLY_PACKAGE}@{PLOTLY_VERSION}"
    proc = subprocess.run([npm, "pack", spec, "--silent"], cwd=workdir, capture_output=True, text=True)
    if proc.returncode != 0:
        raise EnvironmentProblem(f"`npm pack {spec}` failed (exit {proc.returncode}): {proc.stderr.strip()[-500:]}")
    tarballs = sorted(workdir.glob("*.tgz"))
    if len(tarballs) != 1:
        raise EnvironmentProblem(f"`npm pack {spec}` wrote {len(tarballs)} tarballs in {workdir}, expected 1")
    return tarballs[0]


def extract_bundle(tarball: bytes) -> bytes:
    """Check the tarball's sha256 and return the verified bundle file from it."""
    actual = _sha256(tarball)
    if actual != PLOTLY_TARBALL_SHA256:
        raise EnvironmentProblem(
            f"{PLOTLY_PACKAGE}@{PLOTLY_VERSION} tarball has sha256 {actual}, expected {PLOTLY_TARBALL_SHA256}"
        )
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tf:
        member = tf.extractfile(PLOTLY_MEMBER)
        if member is None:
            raise EnvironmentProblem(f"{PLOTLY_MEMBER} not found in {PLOTLY_PACKAGE}@{PLOTLY_VERSION}")
        js = member.read()
    if _sha256(js) != PLOTLY_SHA256:
        raise EnvironmentProblem(f"{PLOTLY_MEMBER} has sha256 {_sha256(js)}, expected {PLOTLY_SHA256}")
    return js


def fetch_bundle() -> Path:
    """Fetch the bundle into the cache unless a verified copy is there; return its path."""
    path = bundle_path()
    if path.is_file() and _sha256(path.read_bytes()) == PLOTLY_SHA256:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        js = extract_bundle(_npm_pack(Path(tmp)).read_bytes())
        part = Path(tmp) / path.name
        part.write_bytes(js)
        part.replace(path)  # atomic: a reader never sees half a file
    return path


def main() -> int:
    """Fetch the bundle; print where it is, or a one-line error."""
    try:
        print(f"juesuan: {PLOTLY_PACKAGE}@{PLOTLY_VERSION} verified at {fetch_bundle()}")
    except EnvironmentProblem as exc:
        print(f"juesuan: error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
