"""The parse cache: a rebuild parses only what changed, and writes the same bytes as a build from scratch."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import juesuan.cache
import juesuan.cli
import juesuan.pipeline
from juesuan.cache import MARKER, ReportCache
from juesuan.cli import main
from juesuan.errors import OutputRefused
from juesuan.executor import parse_one
from juesuan.pairing import ReportFiles
from juesuan.read import DEFAULT_LIMITS
from site_helpers import scratch_project
from tree_bytes import tree_bytes

REAL_PARSE = juesuan.pipeline.parse_report_files


def _tree(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _bytes(folder: Path) -> dict[str, bytes]:
    return tree_bytes(folder)


@pytest.fixture
def project(tmp_path: Path, fuzhou_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A scratch project with three reports (copies of the bundled one under ASCII names)."""
    root = scratch_project(tmp_path / "project")
    shutil.rmtree(root / "reports")
    (root / "reports").mkdir()
    for name in ("a-2024", "b-2024", "c-2024"):
        shutil.copyfile(fuzhou_path, root / "reports" / f"{name}.txt")
    monkeypatch.chdir(root)
    monkeypatch.setattr(juesuan.cli, "PROJECT_ROOT", root)
    return root


def test_rebuild_parses_only_what_changed_and_matches_a_scratch_build(
        project: Path, fuzhou_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    parsed: list[str] = []

    def counting(group: ReportFiles, limits: object) -> object:
        parsed.append(group.paths[0].name)
        return REAL_PARSE(group, limits)  # type: ignore[arg-type]

    monkeypatch.setattr(juesuan.pipeline, "parse_report_files", counting)
    build = ["build", "-j", "1"]
    assert main(build) == 0 and sorted(parsed) == ["a-2024.txt", "b-2024.txt", "c-2024.txt"]
    pages, site, package = project / "site_src" / "data", project / "build" / "site", project / "datapackage"
    before = {name: _tree(folder) for name, folder in (("pages", pages), ("site", site), ("package", package))}

    parsed.clear()
    assert main(build) == 0 and parsed == []  # nothing changed: nothing parsed
    after = {name: _tree(folder) for name, folder in (("pages", pages), ("site", site), ("package", package))}
    for name in before:
        changed = [f for f in before[name] if after[name].get(f) != before[name][f] and not Path(f).name.startswith(".juesuan-")]
        assert (name, changed) == (name, [])  # same bytes, same mtimes: nothing rewritten
        assert after[name].keys() == before[name].keys()

    reports = project / "reports"
    (reports / "c-2024.txt").unlink()
    shutil.copyfile(fuzhou_path, reports / "d-2024.txt")
    text = (reports / "b-2024.txt").read_text(encoding="utf-8")
    (reports / "b-2024.txt").write_text(text.replace("福州市", "福州市 ", 1), encoding="utf-8")
    parsed.clear()
    assert main(build) == 0 and sorted(parsed) == ["b-2024.txt", "d-2024.txt"]
    incremental = {name: _bytes(folder) for name, folder in (("pages", pages), ("site", site), ("package", package))}
    unchanged = _tree(pages)["reports/a-2024.md"]
    assert unchanged == before["pages"]["reports/a-2024.md"]  # the page of a report not changed keeps its mtime
    assert "reports/c-2024.md" not in incremental["pages"]  # the page of a report removed is gone
    assert len(list((project / "build" / "cache").glob("*.pickle"))) == 3  # c's entry evicted
    capsys.readouterr()

    shutil.rmtree(project / "build" / "cache")
    assert main([*build, "--no-cache"]) == 0
    assert not (project / "build" / "cache").exists()
    scratch = {name: _bytes(folder) for name, folder in (("pages", pages), ("site", site), ("package", package))}
    assert scratch == incremental


def test_a_rebuild_reads_each_reports_package_part_not_the_report(
        project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A cached report is read back as its package part (its rows as CSV text); the whole report is not loaded."""
    parsed: list[str] = []

    def counting(group: ReportFiles, limits: object) -> object:
        parsed.append(group.paths[0].name)
        return REAL_PARSE(group, limits)  # type: ignore[arg-type]

    monkeypatch.setattr(juesuan.pipeline, "parse_report_files", counting)
    files = sorted(str(p) for p in (project / "reports").glob("*.txt"))
    build = ["data", *files, "--out", "datapackage", "--cache", "build/cache", "-j", "1"]
    assert main(build) == 0 and len(parsed) == 3
    cache, package = project / "build" / "cache", project / "datapackage"
    assert len(list(cache.glob("*.part"))) == 3
    first = _bytes(package)
    loaded: list[object] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ReportCache, "get", lambda self, key, files: loaded.append(key))  # a whole report read
        parsed.clear()
        assert main(build) == 0 and parsed == [] and loaded == []
    assert _bytes(package) == first
    damaged = sorted(cache.glob("*.part"))[0]
    damaged.write_bytes(b"\x80\x05 damaged")
    assert main(build) == 0 and parsed == []  # the report entry is read instead, and its part written again
    assert damaged.read_bytes() != b"\x80\x05 damaged" and _bytes(package) == first
    capsys.readouterr()


def test_a_foreign_cache_folder_is_refused(tmp_path: Path, fuzhou_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cache = tmp_path / "mine"
    cache.mkdir()
    (cache / "notes.txt").write_text("mine\n", encoding="utf-8")
    code = main(["data", str(fuzhou_path), "--out", str(tmp_path / "pkg"), "--cache", str(cache)])
    assert code == 2
    assert capsys.readouterr().err == (
        f"juesuan: error: {cache} holds files juesuan did not write (no .juesuan-cache marker); "
        "name an empty or new folder for --cache, or pass --no-cache\n"
    )
    assert sorted(p.name for p in cache.iterdir()) == ["notes.txt"]


def test_evict_removes_only_its_own_entries(tmp_path: Path, fuzhou_path: Path) -> None:
    cache = ReportCache(tmp_path / "cache")
    assert (tmp_path / "cache" / MARKER).is_file()
    group = ReportFiles((fuzhou_path,))
    key = cache.key(group, DEFAULT_LIMITS)
    cache.put(key, parse_one(group))
    gone = "0" * 64
    (tmp_path / "cache" / f"{gone}.pickle").write_bytes(b"old entry")
    (tmp_path / "cache" / "notes.txt").write_text("mine\n", encoding="utf-8")  # not of juesuan's naming
    assert cache.evict([key]) == 1
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == sorted([MARKER, f"{key}.pickle", "notes.txt"])
    hit = cache.get(key, group)
    assert hit is not None and hit.report is not None and hit.report.meta.report_id == "fuzhou-zhihui-fuzhou-center-2024-final"


def test_a_code_change_or_damaged_entry_is_a_miss(tmp_path: Path, fuzhou_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = ReportCache(tmp_path / "cache")
    group = ReportFiles((fuzhou_path,))
    key = cache.key(group, DEFAULT_LIMITS)
    cache.put(key, parse_one(group))
    monkeypatch.setattr(juesuan.cache, "parser_version", lambda: "0.1.0+another")
    assert cache.key(group, DEFAULT_LIMITS) != key
    assert cache.get(key, group) is None  # the entry was written by another parser version
    monkeypatch.undo()
    (tmp_path / "cache" / f"{key}.pickle").write_bytes(b"\x80\x05 damaged")
    assert cache.get(key, group) is None


def test_a_renamed_file_is_parsed_again(tmp_path: Path, fuzhou_path: Path) -> None:
    """The report id and source_file come from the name: same bytes under another name is another entry."""
    cache = ReportCache(tmp_path / "cache")
    other = Path(shutil.copyfile(fuzhou_path, tmp_path / "other-2024.txt"))
    assert cache.key(ReportFiles((fuzhou_path,)), DEFAULT_LIMITS) != cache.key(ReportFiles((other,)), DEFAULT_LIMITS)


def test_cache_on_a_file_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "cache"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(OutputRefused, match="is a file, not a folder"):
        ReportCache(target)
