"""The site ships the pinned Plotly.js partial bundle from the npm registry, verified by sha256."""

from __future__ import annotations

import hashlib
import io
import shutil
import tarfile
from pathlib import Path

import pytest

from juesuan.errors import EnvironmentProblem
from juesuan.site import vendor
from juesuan.site.pages import bundle_version


def _tarball(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def test_cached_bundle_is_the_pinned_basic_bundle() -> None:
    path = vendor.verified_bundle()
    data = path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == vendor.PLOTLY_SHA256
    assert bundle_version(path) == vendor.PLOTLY_VERSION
    assert b"plotly.js (basic - minified)" in data[:200]
    # The full bundle is ~4.7 MB; the basic one ~1.2 MB (bar, pie, scatter only).
    assert len(data) < 1_500_000


def test_a_tampered_tarball_is_refused() -> None:
    fake = _tarball({vendor.PLOTLY_MEMBER: b"/** plotly.js (basic - minified) v4.1.1 */ alert(1)"})
    with pytest.raises(EnvironmentProblem, match="sha256"):
        vendor.extract_bundle(fake)


def test_a_changed_cached_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUESUAN_CACHE_DIR", str(tmp_path))
    with pytest.raises(EnvironmentProblem, match="make install"):
        vendor.verified_bundle()
    vendor.bundle_path().write_bytes(b"/** plotly.js (basic - minified) v4.1.1 */")
    with pytest.raises(EnvironmentProblem, match="expected " + vendor.PLOTLY_SHA256):
        vendor.verified_bundle()


def test_missing_npm_says_how_to_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUESUAN_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(vendor.shutil, "which", lambda name: None)
    with pytest.raises(EnvironmentProblem, match=r"install Node\.js and npm"):
        vendor.fetch_bundle()


@pytest.mark.skipif(shutil.which("npm") is None, reason="npm not installed (make install fails without it)")
def test_npm_registry_serves_the_pinned_tarball(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fetch afresh into an empty cache: the registry's tarball has the recorded sha256."""
    monkeypatch.setenv("JUESUAN_CACHE_DIR", str(tmp_path))
    path = vendor.fetch_bundle()
    assert path.parent == tmp_path
    assert hashlib.sha256(path.read_bytes()).hexdigest() == vendor.PLOTLY_SHA256
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # the npm work folder is gone
