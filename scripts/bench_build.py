"""Benchmark `juesuan build` on a synthetic corpus of N reports; print one table.

    .venv/bin/python scripts/bench_build.py --n 100 [--keep DIR] [--jobs 2] [--profile]

Makes N synthetic text-export reports (juesuan.synth) from the bundled reports and the corpus
PDFs (../shared/corpus, when present), lays out a scratch project (mkdocs.yml, site_src,
site_theme) and times, each in a child process: a cold build with -j1 and -jN (when `juesuan
build --help` lists -j), a rebuild with nothing changed, and a rebuild after one report
changed. Peak RSS is that of the largest process in the run's tree (a wrapper's RUSAGE_CHILDREN:
juesuan, its workers, mkdocs; the max of one process, not their sum).
Prints sizes of the package, the site and one report page, and the ratios. Timings are
printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
JUESUAN = [sys.executable, "-m", "juesuan.cli"]


@dataclass
class Run:
    """One timed child run."""

    label: str
    wall: float
    peak_mb: float
    ok: bool
    note: str = ""


def timed(label: str, cmd: list[str], cwd: Path) -> Run:
    """Run cmd in a fresh child (so RUSAGE_CHILDREN's max is this run's when it is the largest)."""
    # ru_maxrss of RUSAGE_CHILDREN is a running max over every child; run each measurement in
    # its own wrapper process so the figure is this run's own.
    wrapper = [sys.executable, "-c", _WRAPPER, *cmd]
    start = time.perf_counter()
    done = subprocess.run(wrapper, cwd=cwd, capture_output=True, text=True, env={**os.environ, "JUESUAN_TIMINGS": "1"})
    wall = time.perf_counter() - start
    peak = 0.0
    if m := re.search(r"PEAK_RSS_KB=(\d+)", done.stderr):
        peak = int(m.group(1)) / 1024
    note = "" if done.returncode == 0 else done.stderr.strip().splitlines()[-1][:120] if done.stderr.strip() else "failed"
    stages = "; ".join(f"{m.group(1)} {m.group(2)} s" for m in re.finditer(r"^juesuan: time: (.+): ([\d.]+) s$", done.stderr, re.M))
    # Each run as it ends, so a long benchmark that is stopped early still tells what it measured.
    print(f"  {label}: {wall:.1f} s wall, peak RSS {peak:.0f} MB{'' if done.returncode == 0 else ' FAILED ' + note}"
          f"{f' ({stages})' if stages else ''}", flush=True)
    return Run(label, wall, peak, done.returncode == 0, note)


_WRAPPER = """
import resource, subprocess, sys
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
print(f"PEAK_RSS_KB={resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}", file=sys.stderr)
sys.exit(rc)
"""


def has_jobs_flag() -> bool:
    """Tell whether `juesuan build --help` lists -j."""
    done = subprocess.run([*JUESUAN, "build", "--help"], capture_output=True, text=True)
    return bool(re.search(r"(^|\s)-j\b", done.stdout))


def size(path: Path) -> int:
    """Return the bytes of a file or of every file under a folder."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def scratch_project(dst: Path) -> Path:
    """Copy what a build reads besides the reports into dst."""
    dst.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "mkdocs.yml", dst / "mkdocs.yml")
    shutil.copytree(ROOT / "site_theme", dst / "site_theme", dirs_exist_ok=True)
    shutil.copytree(ROOT / "site_src", dst / "site_src", ignore=shutil.ignore_patterns("data"), dirs_exist_ok=True)
    return dst


def seed_paths() -> list[Path]:
    """Return the seed reports: bundled text exports, and the corpus PDFs when present."""
    seeds = sorted((ROOT / "reports").glob("*.txt"))
    if CORPUS.is_dir():
        seeds += sorted(CORPUS.glob("*-final.pdf"))
    return seeds


def build_cmd(project: Path, jobs: int | None) -> list[str]:
    """Return the build command for the scratch project."""
    cmd = [*JUESUAN, "build", "--reports", str(project / "reports"), "--package", str(project / "datapackage"),
           "--site", str(project / "build" / "site")]
    return cmd + (["-j", str(jobs)] if jobs else [])


def fmt_mb(n: float) -> str:
    """Format bytes as MB."""
    return f"{n / 1e6:.1f} MB"


def profile_stages(project: Path) -> list[tuple[str, float]]:
    """Time the stages in one process: parse, package, pages, mkdocs (serial)."""
    from juesuan.package import write_package
    from juesuan.pipeline import parse_report
    from juesuan.site.build import build_site

    out = []
    start = time.perf_counter()
    reports = [parse_report(p) for p in sorted((project / "reports").glob("*.txt"))]
    out.append(("parse", time.perf_counter() - start))
    start = time.perf_counter()
    write_package(reports, project / "profile-package")
    out.append(("package (CSV + Parquet + DuckDB)", time.perf_counter() - start))
    from juesuan.site.pages import write_pages

    start = time.perf_counter()
    write_pages(project / "profile-package", project / "site_src" / "data", sources_dir=project / "reports")
    out.append(("pages", time.perf_counter() - start))
    start = time.perf_counter()
    build_site(project, project / "profile-package", project / "build" / "profile-site")
    mkdocs_and_pages = time.perf_counter() - start
    out.append(("mkdocs (build_site less pages)", mkdocs_and_pages - out[-1][1]))
    return out


def main(argv: list[str] | None = None) -> int:
    """Make the corpus, run the builds, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="synthetic reports (default 100)")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temporary one)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="N for the -jN row (default: cores)")
    parser.add_argument("--profile", action="store_true", help="also time parse/package/pages/mkdocs in-process")
    args = parser.parse_args(argv)

    from juesuan.synth import load_seeds, write_corpus

    work = args.keep or Path(tempfile.mkdtemp(prefix="juesuan-bench-"))
    project = scratch_project(work / "project")
    t0 = time.perf_counter()
    seeds = load_seeds(seed_paths())
    if not seeds:
        print("no seed reports found", file=sys.stderr)
        return 1
    shutil.rmtree(project / "reports", ignore_errors=True)
    files = write_corpus(seeds, args.n, project / "reports")
    print(f"corpus: {len(files)} synthetic reports from {len(seeds)} seeds "
          f"({', '.join(f'{s.name} ×{s.factors}' for s in seeds)}) in {time.perf_counter() - t0:.1f} s")

    def clean() -> None:
        for sub in ("datapackage", "build", "site_src/data"):
            shutil.rmtree(project / sub, ignore_errors=True)

    runs: list[Run] = []
    clean()
    runs.append(timed("cold build -j1" if has_jobs_flag() else "cold build (serial)",
                      build_cmd(project, 1 if has_jobs_flag() else None), project))
    if has_jobs_flag():
        clean()
        runs.append(timed(f"cold build -j{args.jobs}", build_cmd(project, args.jobs), project))
    else:
        runs.append(Run(f"cold build -j{args.jobs}", float("nan"), float("nan"), False,
                        "skipped: `juesuan build --help` lists no -j"))
    jobs = args.jobs if has_jobs_flag() else None
    runs.append(timed("rebuild, nothing changed", build_cmd(project, jobs), project))
    # Change one report: double its amounts (its exact identities stay true).
    from juesuan.synth import scale_amounts

    changed = files[len(files) // 2]
    changed.write_text(scale_amounts(changed.read_text(encoding="utf-8"), 2), encoding="utf-8")
    runs.append(timed("rebuild, one report changed", build_cmd(project, jobs), project))

    pages = sorted((project / "build" / "site" / "data" / "reports").glob("synth-*.html"))
    print()
    print(f"{'run':<32} {'wall s':>8} {'peak RSS MB':>12}  note")
    for r in runs:
        print(f"{r.label:<32} {r.wall:>8.1f} {r.peak_mb:>12.0f}  {'' if r.ok else 'FAILED ' if not r.note.startswith('skipped') else ''}{r.note}")
    print()
    print(f"package: {fmt_mb(size(project / 'datapackage'))} "
          f"(CSV {fmt_mb(size(project / 'datapackage' / 'data'))}, Parquet {fmt_mb(size(project / 'datapackage' / 'parquet'))}, "
          f"DuckDB {fmt_mb(size(project / 'datapackage' / 'juesuan.duckdb'))})")
    site = project / "build" / "site"
    print(f"site: {fmt_mb(size(site))} (search index {fmt_mb(size(site / 'pagefind'))}, "
          f"downloads {fmt_mb(size(site / 'data' / 'downloads'))}, SQL explorer engine {fmt_mb(size(site / 'data' / 'assets' / 'duckdb'))})")
    if pages:
        print(f"one report page: {pages[0].stat().st_size / 1e3:.0f} kB ({pages[0].name})")
    cold1, coldn, nochange, onechange = runs
    print()
    if coldn.ok and cold1.ok:
        print(f"ratio cold -j{args.jobs} / -j1: {coldn.wall / cold1.wall:.2f}")
    else:
        print(f"ratio cold -j{args.jobs} / -j1: n/a ({coldn.note})")
    print(f"ratio one-change rebuild / cold: {onechange.wall / cold1.wall:.2f}")
    print(f"ratio nothing-changed rebuild / cold: {nochange.wall / cold1.wall:.2f}")
    if args.profile:
        print()
        print("stages (in-process, serial):")
        for name, seconds in profile_stages(project):
            print(f"  {name:<34} {seconds:>7.1f} s")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if all(r.ok or r.note.startswith("skipped") for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
