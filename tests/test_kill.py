"""A `juesuan build` killed half-way (SIGKILL) leaves the previous package and site whole; the next build succeeds."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from site_helpers import scratch_project

# The build, run from the project folder; a report named slow-* parses slowly and says so first,
# so the test knows the build is inside the parse stage.
BUILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import juesuan.pipeline
    from juesuan.cli import main
    real = juesuan.pipeline.parse_report_files
    def slow(group, limits):
        if group.paths[0].name.startswith("slow-"):
            Path("parsing.flag").write_text("x")
            time.sleep(60)
        return real(group, limits)
    juesuan.pipeline.parse_report_files = slow
    sys.exit(main(["build", *sys.argv[1:]]))
    """
)


def _bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _build(project: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", BUILD, "-j", "2"], cwd=project, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _kill_when(proc: subprocess.Popen[str], ready: object, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not ready() and time.monotonic() < deadline:  # type: ignore[operator]
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.02)
    assert ready(), "the build never reached the step to kill"  # type: ignore[operator]
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL


def _workers_of(pid: int) -> list[int]:
    """Return the processes whose parent is pid (the forked parse workers)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] not in ("Z", "X") and int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="watches /proc and relies on Linux's atomic exchange")
def test_kill_during_parse_and_during_mkdocs(tmp_path: Path, fuzhou_path: Path) -> None:
    project = scratch_project(tmp_path / "project")
    reports = project / "reports"
    shutil.rmtree(reports)
    reports.mkdir()
    shutil.copyfile(fuzhou_path, reports / "a-2024.txt")
    first = subprocess.run([sys.executable, "-c", BUILD, "-j", "2"], cwd=project, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    package, site = project / "datapackage", project / "build" / "site"
    old_package, old_site = _bytes(package), _bytes(site)

    # 1. Killed while parsing: nothing written yet, the old package and site stay as they were.
    shutil.copyfile(fuzhou_path, reports / "slow-2024.txt")
    proc = _build(project)
    _kill_when(proc, (project / "parsing.flag").exists)
    time.sleep(0.5)
    assert _workers_of(proc.pid) == []  # the workers died with the build
    assert _bytes(package) == old_package and _bytes(site) == old_site

    # 2. Killed while mkdocs builds the new site: the package is the new one, whole; the site the old one.
    (reports / "slow-2024.txt").rename(reports / "b-2024.txt")
    proc = _build(project)
    work = project / "build"
    _kill_when(proc, lambda: any(p.name.startswith(".site.juesuan-new-") for p in work.iterdir()))
    assert _bytes(site) == old_site
    assert "b-2024" in (package / "data" / "reports.csv").read_text(encoding="utf-8")

    # 3. The next build succeeds and cleans up what the kills left.
    done = subprocess.run([sys.executable, "-c", BUILD, "-j", "2"], cwd=project, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["juesuan: wrote datapackage/ (2 report(s), 1084 cells)", "juesuan: built build/site/"]
    assert (site / "data" / "reports" / "b-2024.html").is_file()
    assert sorted(p.name for p in work.iterdir()) == ["cache", "site"]
    assert not [p for p in project.iterdir() if p.name.startswith(".datapackage.juesuan-")]
