"""The parse stage's executors: same output with 1 or N workers or on Dask; a bad report fails alone."""

from __future__ import annotations

import os
import re
import shutil
import signal
import time
from pathlib import Path

import pytest

import juesuan.pipeline
from juesuan.cli import main
from juesuan.executor import DaskExecutor, InProcess, LocalPool, make_executor, run_all
from juesuan.pairing import ReportFiles, pair_report_files
from juesuan.read import DEFAULT_LIMITS
from juesuan.site.pages import write_pages
from tree_bytes import tree_bytes

REAL_PARSE = juesuan.pipeline.parse_report_files


def _copies(tmp: Path, fuzhou: Path, names: list[str]) -> list[Path]:
    """Copy the bundled report under ASCII names (the report id is the file name)."""
    folder = tmp / "reports"
    folder.mkdir(exist_ok=True)
    return [Path(shutil.copyfile(fuzhou, folder / f"{n}.txt")) for n in names]


def _tree(folder: Path) -> dict[str, bytes]:
    return tree_bytes(folder)


def _data(files: list[Path], out: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> tuple[int, str, str]:
    code = main(["data", *map(str, files), "--out", str(out), *flags])
    got = capsys.readouterr()
    return code, got.out, got.err


def test_one_or_two_workers_give_the_same_bytes(tmp_path: Path, fuzhou_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = _copies(tmp_path, fuzhou_path, ["c-2024", "a-2024", "b-2024"])
    bad = tmp_path / "reports" / "notes.txt"
    bad.write_text("no tables here\n", encoding="utf-8")
    files.insert(1, bad)
    one = _data(files, tmp_path / "one", capsys, "-j", "1")
    two = _data(files, tmp_path / "two", capsys, "-j", "2")
    assert one[0] == two[0] == 1  # the bad file fails alone
    assert one[1].replace("one/", "two/") == two[1]
    assert one[2] == two[2] and "juesuan: error: notes.txt: not a text export" in one[2]  # same messages, same order
    assert _tree(tmp_path / "one") == _tree(tmp_path / "two")
    assert len(list((tmp_path / "one" / "data").glob("*.csv"))) > 5
    write_pages(tmp_path / "one", tmp_path / "pages-one")
    write_pages(tmp_path / "two", tmp_path / "pages-two")
    assert _tree(tmp_path / "pages-one") == _tree(tmp_path / "pages-two")


def test_outcomes_come_back_in_input_order(tmp_path: Path, fuzhou_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    names = ["slow-2024", "fast-2024", "mid-2024"]
    files = _copies(tmp_path, fuzhou_path, names)

    def uneven(group: ReportFiles, limits: object) -> object:
        time.sleep({"slow": 1.0, "mid": 0.5}.get(group.paths[0].stem.split("-")[0], 0.0))
        return REAL_PARSE(group, limits)  # type: ignore[arg-type]

    monkeypatch.setattr(juesuan.pipeline, "parse_report_files", uneven)
    outcomes = run_all(LocalPool(3), pair_report_files(files), DEFAULT_LIMITS)
    assert [o.report.meta.report_id for o in outcomes if o.report] == names


# A report that hangs, needs too much memory or kills its worker fails alone ----------------


def _misbehaving(group: ReportFiles, limits: object) -> object:
    name = group.paths[0].stem
    if name.startswith("hung"):
        time.sleep(120)
    if name.startswith("huge"):
        _ = bytearray(8 << 30)  # 8 GB: beyond the cap
    if name.startswith("crash"):
        os.kill(os.getpid(), signal.SIGKILL)
    return REAL_PARSE(group, limits)  # type: ignore[arg-type]


def _vm_size_mb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) // 1024
    raise AssertionError("no VmSize")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the address space size from /proc (Linux)")
def test_hung_huge_and_crashing_reports_fail_alone(tmp_path: Path, fuzhou_path: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    files = _copies(tmp_path, fuzhou_path, ["good-2024", "hung-2024", "huge-2024", "crash-2024", "last-2024"])
    monkeypatch.setattr(juesuan.pipeline, "parse_report_files", _misbehaving)
    cap = _vm_size_mb() + 1024  # a forked worker starts at this process's size; leave it room for a real parse
    start = time.monotonic()
    code, out, err = _data(files, tmp_path / "pkg", capsys, "-j", "2", "--time-limit", "3", "--memory-limit", str(cap))
    assert time.monotonic() - start < 60  # the hung report did not hold the run for its 120 s
    assert code == 1
    assert err.splitlines() == [
        "juesuan: error: hung-2024.txt: took longer than 3 s; raise --time-limit",
        f"juesuan: error: huge-2024.txt: needed more than {cap} MB; raise --memory-limit",
        f"juesuan: error: crash-2024.txt: the worker parsing it died (signal 9); if it needed more than {cap} MB, raise --memory-limit",
    ]
    assert out == f"juesuan: wrote {tmp_path / 'pkg'}/ (2 report(s), 1084 cells)\n"
    reports = (tmp_path / "pkg" / "data" / "reports.csv").read_text(encoding="utf-8")
    assert "good-2024" in reports and "last-2024" in reports and "hung-2024" not in reports


@pytest.mark.parametrize(("flag", "value", "message"), [
    ("-j", "0", "argument -j/--jobs: must be at least 1, not 0"),
    ("--time-limit", "soon", "argument --time-limit: not a number: 'soon'"),
    ("--time-limit", "-1", "argument --time-limit: must be a number of seconds above 0, not -1"),
    ("--memory-limit", "1.5", "argument --memory-limit: not a whole number: '1.5'"),
])
def test_bad_engine_flags_are_usage_errors(flag: str, value: str, message: str, fuzhou_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check", str(fuzhou_path), flag, value])
    assert exc.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"juesuan check: error: {message}"


def test_make_executor_picks_by_flags() -> None:
    assert isinstance(make_executor(1), InProcess)
    pool = make_executor(1, time_limit=5)
    try:
        assert isinstance(pool, LocalPool) and pool.jobs == 1 and pool.time_limit == 5
    finally:
        pool.close()


# Dask distributed --------------------------------------------------------------------------


def test_dask_local_cluster_gives_the_local_bytes(tmp_path: Path, fuzhou_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    distributed = pytest.importorskip("distributed")
    files = _copies(tmp_path, fuzhou_path, ["b-2024", "a-2024"])
    local = _data(files, tmp_path / "local", capsys, "-j", "1")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster:
        code = main(["data", *map(str, files), "--out", str(tmp_path / "dask"), "--scheduler", cluster.scheduler_address])
        got = capsys.readouterr()
        assert (code, got.err) == (local[0], local[2])
        with distributed.Client(cluster) as client:
            outcomes = run_all(DaskExecutor(client), pair_report_files(files), DEFAULT_LIMITS)
            assert [o.report.meta.report_id for o in outcomes if o.report] == ["b-2024", "a-2024"]
    assert _tree(tmp_path / "local") == _tree(tmp_path / "dask")


# Progress and summary ----------------------------------------------------------------------


def test_summary_names_failures_and_times_each_stage(capsys: pytest.CaptureFixture[str]) -> None:
    from juesuan.progress import Run

    run = Run(show=True)
    with run.stage("parse", total=2) as advance:
        advance(2)
    with run.stage("mkdocs"):
        pass
    run.read, run.cached, run.failed = 2, 1, [("junk.txt", "not a text export")]
    run.finish()
    err = capsys.readouterr().err
    for text in ("reports read", "from the cache", "failed", "junk.txt", "not a text export",
                 "time: parsing reports", "time: building the site (mkdocs)"):
        assert text in err
    assert set(run.times) == {"parse", "mkdocs"}


def test_off_a_terminal_juesuan_timings_prints_one_line_a_stage(capsys: pytest.CaptureFixture[str],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from juesuan.progress import Run

    monkeypatch.setenv("JUESUAN_TIMINGS", "1")
    run = Run(show=False)
    with run.stage("search"):
        pass
    run.finish()
    assert re.fullmatch(r"juesuan: time: indexing for search \(pagefind\): \d+\.\d s\n", capsys.readouterr().err)
    monkeypatch.delenv("JUESUAN_TIMINGS")
    run.finish()
    assert capsys.readouterr().err == ""


def test_off_a_terminal_nothing_but_the_one_line_messages(tmp_path: Path, fuzhou_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _data([fuzhou_path], tmp_path / "pkg", capsys, "-j", "2")
    assert (code, err) == (0, "")
    assert out == f"juesuan: wrote {tmp_path / 'pkg'}/ (1 report(s), 542 cells)\n"


def test_an_unreachable_scheduler_is_one_line(tmp_path: Path, fuzhou_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")
    import socket

    import juesuan.executor

    monkeypatch.setattr(juesuan.executor, "DASK_CONNECT_SECONDS", 1.0)
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    code, out, err = _data([fuzhou_path], tmp_path / "pkg", capsys, "--scheduler", address)
    assert (code, out) == (1, "")
    assert len(err.splitlines()) == 1
    assert err.startswith(f"juesuan: error: cannot reach the Dask scheduler at {address} (")
    assert err.endswith("); start it (`dask scheduler`) or leave out --scheduler\n")
    assert not (tmp_path / "pkg").exists()
