"""Output folders: never over a user's files, one writer at a time, whole after a kill at any step."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from juesuan import fsutil
from juesuan.cli import main
from juesuan.errors import OutputRefused

ROOT = Path(__file__).resolve().parents[1]


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_folder_with_a_users_files_is_refused(tmp_path: Path, fuzhou_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n", encoding="utf-8")
    report = shutil.copy(fuzhou_path, folder / "report.txt")
    code, out, err = run(["data", str(report), "--out", str(folder)], capsys)
    assert (code, out) == (2, "")
    assert err == f"juesuan: error: {folder} holds files juesuan did not write (no .juesuan-package marker); name an empty or new folder\n"
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt", "report.txt"]
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine\n"


def test_out_dot_is_refused(tmp_path: Path, fuzhou_path: Path, capsys: pytest.CaptureFixture[str],
                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(["data", str(fuzhou_path), "--out", "."], capsys)
    assert code == 2 and err == "juesuan: error: . is the current folder or one above it; name a new folder to write into\n"
    assert list(tmp_path.iterdir()) == []


def test_out_naming_a_file_is_refused(tmp_path: Path, fuzhou_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.txt"
    target.write_text("keep\n", encoding="utf-8")
    code, _, err = run(["data", str(fuzhou_path), "--out", str(target)], capsys)
    assert code == 2 and err == f"juesuan: error: {target} is a file, not a folder; name a folder to write into\n"
    assert target.read_text(encoding="utf-8") == "keep\n"


def test_unwritable_out_is_one_line(fuzhou_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["data", str(fuzhou_path), "--out", "/proc/juesuan-out"], capsys)
    assert code == 2
    assert err == "juesuan: error: /proc/juesuan-out: cannot write into /proc: No such file or directory\n"


def test_a_users_file_inside_a_package_is_refused(tmp_path: Path, fuzhou_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pkg"
    assert run(["data", str(fuzhou_path), "--out", str(out)], capsys)[0] == 0
    (out / "data" / "my-analysis.csv").write_text("x\n", encoding="utf-8")
    code, _, err = run(["data", str(fuzhou_path), "--out", str(out)], capsys)
    assert code == 2
    assert err == f"juesuan: error: {out} holds 'data/my-analysis.csv', which juesuan did not write; move it away first\n"
    assert (out / "data" / "my-analysis.csv").is_file()


def test_own_package_is_rewritten_and_marked(tmp_path: Path, fuzhou_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pkg"
    for _ in range(2):
        assert run(["data", str(fuzhou_path), "--out", str(out)], capsys)[0] == 0
    marker = json.loads((out / ".juesuan-package").read_text(encoding="utf-8"))
    listed = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and p.name != ".juesuan-package")
    assert marker["format"] == 1 and marker["kind"] == "package" and marker["files"] == listed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]  # no lock, no work folder left


def test_unmarked_package_of_an_older_juesuan_is_recognized(tmp_path: Path, fuzhou_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "pkg"
    shutil.copytree(ROOT / "datapackage", out)
    (out / ".juesuan-package").unlink()
    assert run(["data", str(fuzhou_path), "--out", str(out)], capsys)[0] == 0
    assert (out / ".juesuan-package").is_file()


# Kill at every step of the swap -------------------------------------------------------------

STEPS_EXCHANGE = ["created", "filled", "marked", "exchanged", "removed-old"]
STEPS_RENAMES = ["created", "filled", "marked", "set-aside", "renamed", "removed-old"]

CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from juesuan import fsutil
    target, step, exchange = Path(sys.argv[1]), sys.argv[2], sys.argv[3] == "1"
    fsutil.USE_EXCHANGE = exchange
    def hook(name):
        if name == step:
            os.kill(os.getpid(), signal.SIGKILL)
    fsutil.FAULT_HOOK = hook
    with fsutil.replacing_dir(target) as tmp:
        for i in range(20):
            (tmp / f"part{i}.csv").write_text("new\\n")
    """
)


def _fill(folder: Path, text: str) -> None:
    with fsutil.replacing_dir(folder) as tmp:
        for i in range(20):
            (tmp / f"part{i}.csv").write_text(text + "\n")


def _state(folder: Path) -> str:
    """Return "old" or "new" when folder is one complete version; fail otherwise."""
    texts = {(folder / f"part{i}.csv").read_text() for i in range(20)}
    assert len(texts) == 1, texts
    assert json.loads((folder / ".juesuan-package").read_text())["files"] == sorted(f"part{i}.csv" for i in range(20))
    return texts.pop().strip()


@pytest.mark.parametrize(("exchange", "step"), [(True, s) for s in STEPS_EXCHANGE] + [(False, s) for s in STEPS_RENAMES])
def test_kill_at_any_step_leaves_one_complete_folder(tmp_path: Path, exchange: bool, step: str) -> None:
    target = tmp_path / "out"
    _fill(target, "old")
    proc = subprocess.run([sys.executable, "-c", CHILD, str(target), step, "1" if exchange else "0"], check=False)
    assert proc.returncode == -signal.SIGKILL
    if target.exists():
        expected = "new" if step in ("exchanged", "renamed", "removed-old") else "old"
        assert _state(target) == expected
    else:
        # Only the two-rename swap has an instant without target; the old folder waits aside, whole.
        assert (exchange, step) == (False, "set-aside")
    assert fsutil.recover_leftovers(target, "package") is not None
    assert _state(target) in ("old", "new")
    _fill(target, "next")  # the next run cleans up whatever was left
    assert _state(target) == "next"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_work_folders_not_ours_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "out"
    ours = tmp_path / ".out.juesuan-new-1-abcd"
    ours.mkdir()
    (ours / fsutil.WORK_MARKER).write_text("x")
    theirs = tmp_path / ".out.juesuan-mine"  # right name, no marker: not ours
    theirs.mkdir()
    (theirs / "keep.txt").write_text("x")
    _fill(target, "new")
    assert not ours.exists() and (theirs / "keep.txt").is_file()


# One writer at a time -------------------------------------------------------------------------

HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from juesuan import fsutil
    with fsutil.output_lock(Path(sys.argv[1])):
        print("locked", flush=True)
        time.sleep(30)
    """
)


def test_second_writer_is_refused_naming_the_holder(tmp_path: Path) -> None:
    target = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(target)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        with pytest.raises(OutputRefused) as exc, fsutil.output_lock(target, wait=0.3):
            pass
        assert str(exc.value) == f"{target} is being written by another juesuan run (pid {holder.pid}); wait for it to finish"
    finally:
        holder.kill()
        holder.wait()
    with fsutil.output_lock(target, wait=0.3):  # the holder died: its lock is gone with it
        pass


def test_stale_lock_of_a_dead_process_is_taken_over(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    lock = tmp_path / ".out.juesuan-lock"
    lock.write_text(dead.stdout)
    _fill(tmp_path / "out", "new")
    assert not lock.exists() and _state(tmp_path / "out") == "new"


def test_two_concurrent_runs_both_finish(tmp_path: Path, fuzhou_path: Path) -> None:
    out = tmp_path / "pkg"
    cmd = [sys.executable, "-m", "juesuan.cli", "data", str(fuzhou_path), "--out", str(out)]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=120), p.stdout.read(), p.stderr.read()) for p in procs if p.stdout and p.stderr]
    for code, out_text, err in results:
        assert (code, err) == (0, ""), err
        assert out_text == f"juesuan: wrote {out}/ (1 report(s), 542 cells)\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pkg"]


# The site step ----------------------------------------------------------------------------------

PARENT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from juesuan.site.build import run_child
    pidfile = sys.argv[1]
    code = "import os, time; open(%r, 'w').write(str(os.getpid())); time.sleep(60)" % pidfile
    run_child([sys.executable, "-c", code], cwd=Path("."), env=dict(__import__("os").environ))
    """
)


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state not in ("Z", "X")  # a zombie has died; only its exit status waits to be read


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux-only")
def test_child_dies_with_its_parent(tmp_path: Path) -> None:
    pidfile = tmp_path / "child.pid"
    parent = subprocess.Popen([sys.executable, "-c", PARENT, str(pidfile)])
    deadline = time.monotonic() + 30
    while not (pidfile.exists() and pidfile.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    child = int(pidfile.read_text())
    assert _running(child)
    parent.kill()  # SIGKILL: no Python cleanup runs in the parent
    parent.wait()
    deadline = time.monotonic() + 10
    while _running(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(child)


def test_stale_mkdtemp_site_folders_are_removed(tmp_path: Path) -> None:
    from juesuan.site.build import remove_unmarked_work_dirs

    site = tmp_path / "site"
    stale = tmp_path / ".site.k2j4h5g6"
    (stale / "assets").mkdir(parents=True)
    (stale / "index.html").write_text("x")
    users = tmp_path / ".site.notes123"
    users.mkdir()
    (users / "draft.md").write_text("mine")
    assert remove_unmarked_work_dirs(site) == [stale]
    assert not stale.exists() and (users / "draft.md").is_file()


def test_an_empty_work_folder_left_by_a_kill_before_its_marker_is_removed(tmp_path: Path) -> None:
    from juesuan.fsutil import recover_leftovers

    target = tmp_path / "site"
    empty = tmp_path / ".site.juesuan-new-123-deadbeef"  # killed between mkdir and the marker
    empty.mkdir()
    kept = tmp_path / ".site.juesuan-new-124-cafebabe"  # same name shape, but holds a file: not ours to judge
    kept.mkdir()
    (kept / "notes.txt").write_text("mine", encoding="utf-8")
    other = tmp_path / ".site.juesuan-mine"
    other.mkdir()
    assert recover_leftovers(target, "site") == [empty]
    assert not empty.exists() and (kept / "notes.txt").is_file() and other.is_dir()
