"""The published package: validates, is committed as built, and builds byte-identically."""

from __future__ import annotations

import filecmp
from pathlib import Path

from frictionless import Package, system

from juesuan.cli import main
from juesuan.fields import RESOURCES

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "datapackage"


def _validate(package_dir: Path) -> list[str]:
    with system.use_context(trusted=True):
        report = Package(str(package_dir / "datapackage.json")).validate()
    return [f"{task.name}: {err.message}" for task in report.tasks for err in task.errors] + [
        err.message for err in report.errors
    ]


def _tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_package_validates_with_frictionless(tmp_path: Path, fuzhou_path: Path) -> None:
    assert main(["data", str(fuzhou_path), "--out", str(tmp_path / "pkg")]) == 0
    assert _validate(tmp_path / "pkg") == []


def test_every_field_is_documented() -> None:
    for resource in RESOURCES.values():
        for field in resource.fields:
            assert field.title and field.description and field.type, (resource.name, field.name)


def test_committed_package_is_what_the_build_writes(tmp_path: Path) -> None:
    reports = sorted((ROOT / "reports").glob("*.txt")) + sorted((ROOT / "reports").glob("*.pdf"))
    assert main(["data", *map(str, reports), "--out", str(tmp_path / "pkg")]) == 0
    assert _tree(tmp_path / "pkg") == _tree(COMMITTED)
    _, mismatch, errors = filecmp.cmpfiles(tmp_path / "pkg", COMMITTED, _tree(COMMITTED), shallow=False)
    assert mismatch == [] and errors == [], "datapackage/ is stale: run `juesuan build --no-site` and commit"


def test_two_builds_are_byte_identical(tmp_path: Path, fuzhou_path: Path) -> None:
    for name in ("a", "b"):
        assert main(["data", str(fuzhou_path), "--out", str(tmp_path / name)]) == 0
    files = _tree(tmp_path / "a")
    match, mismatch, errors = filecmp.cmpfiles(tmp_path / "a", tmp_path / "b", files, shallow=False)
    assert sorted(match) == files and not mismatch and not errors
