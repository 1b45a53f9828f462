"""The published package: validates, is committed as built, and builds byte-identically."""

from __future__ import annotations

import filecmp
import json
import re
from pathlib import Path

from frictionless import Package, system

from juesuan.cli import main
from juesuan.columnar import NOT_COMMITTED
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
    """Return the files of a package, less those never committed (the DuckDB file)."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if p.is_file() and str(p.relative_to(folder)) not in NOT_COMMITTED)


def test_package_validates_with_frictionless(tmp_path: Path, fuzhou_path: Path) -> None:
    assert main(["data", str(fuzhou_path), "--out", str(tmp_path / "pkg")]) == 0
    assert _validate(tmp_path / "pkg") == []


CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_WORD = re.compile(r"\b(?:the|of|or|and|as|where|when|is|to|for|by|with|in)\b", re.IGNORECASE)
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def test_every_field_is_documented_in_chinese_and_english() -> None:
    for resource in RESOURCES.values():
        assert CJK.search(resource.description) and not ENGLISH_WORD.search(resource.description), resource.name
        assert LATIN_WORD.search(resource.description_en), resource.name
        for field in resource.fields:
            where = (resource.name, field.name)
            assert field.title and field.type, where
            # Readers see `description`: Chinese, with codes and field names allowed but no English prose.
            assert CJK.search(field.description) and not ENGLISH_WORD.search(field.description), where
            assert LATIN_WORD.search(field.description_en), where


def test_descriptor_carries_both_descriptions() -> None:
    doc = json.loads((COMMITTED / "datapackage.json").read_text(encoding="utf-8"))
    assert CJK.search(doc["description"]) and ENGLISH_WORD.search(doc["description_en"])
    for res in doc["resources"]:
        assert res["description_en"], res["name"]
        for f in res["schema"]["fields"]:
            assert CJK.search(f["description"]) and f["description_en"], (res["name"], f["name"])


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
