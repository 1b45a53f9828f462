"""Benchmark the PDF reader against plain pdfplumber on the corpus PDFs.

Baseline: pdfplumber open + `page.extract_tables()` on every page (what the issue's study
used). juesuan: `read_pdf` (PDFium content parsing + pdfplumber's ruling-line table
algorithm), measured in the same run. Prints pages/second per run, the median ratio,
peak memory of each side, and checks that juesuan's cell texts equal the baseline's.

    python scripts/bench_parse.py [--runs 5] [--corpus ../shared/corpus]
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pdfplumber

from juesuan.read.pdf import read_pdf

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def baseline(path: Path) -> list[list[list[str | None]]]:
    """Return every table of every page the plain pdfplumber way."""
    with pdfplumber.open(path) as pdf:
        return [table for page in pdf.pages for table in page.extract_tables()]


def juesuan(path: Path) -> object:
    """Return the RawReport juesuan reads."""
    return read_pdf(path)


def timed(fn: Callable[[Path], object], paths: list[Path]) -> float:
    """Return the seconds `fn` takes over all paths."""
    gc.collect()
    start = time.perf_counter()
    for p in paths:
        fn(p)
    return time.perf_counter() - start


def peak_memory(fn: Callable[[Path], object], paths: list[Path]) -> float:
    """Return the peak traced Python memory (MiB) of `fn` over all paths (one at a time)."""
    gc.collect()
    tracemalloc.start()
    for p in paths:
        fn(p)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def peak_rss_mib() -> float:
    """Return this process's peak resident memory in MiB (VmHWM: unlike ru_maxrss, not inherited)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_peak_rss(side: str, corpus: Path) -> float:
    """Return the peak resident memory (MiB) of a fresh process parsing the corpus once with `side`.

    Unlike tracemalloc this includes PDFium's native memory (and the shared imports).
    """
    out = subprocess.run(
        [sys.executable, __file__, "--corpus", str(corpus), "--only", side],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return float(out.strip().splitlines()[-1])


def squash(text: str | None) -> str:
    return "".join((text or "").split())


def same_cells(path: Path) -> tuple[int, int]:
    """Return (cells equal, cells in baseline): non-empty cell texts compared per page as multisets."""
    with pdfplumber.open(path) as pdf:
        base = Counter(
            (page.page_number, squash(cell))
            for page in pdf.pages
            for table in page.extract_tables()
            for row in table
            for cell in row
            if squash(cell)
        )
    report = read_pdf(path)
    ours = Counter(
        (c.page or 0, squash(c.text)) for t in report.tables for row in t.rows for c in row if squash(c.text)
    )
    return sum((base & ours).values()), sum(base.values())


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--only", choices=["baseline", "juesuan"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    paths = sorted(args.corpus.glob("*.pdf"))
    if not paths:
        print(f"no PDFs under {args.corpus}", file=sys.stderr)
        return 1
    if args.only:  # child process of child_peak_rss: parse once, print the peak RSS in MiB
        for p in paths:
            (baseline if args.only == "baseline" else juesuan)(p)
        print(peak_rss_mib())
        return 0
    with pdfplumber.open(paths[0]):
        pass  # import and warm caches outside the timed runs
    pages = 0
    for p in paths:
        with pdfplumber.open(p) as pdf:
            pages += len(pdf.pages)
    print(f"{len(paths)} PDFs, {pages} pages, {args.runs} runs")
    ratios = []
    for run in range(1, args.runs + 1):
        t_base = timed(baseline, paths)
        t_ours = timed(juesuan, paths)
        ratios.append(t_base / t_ours)
        print(
            f"run {run}: baseline {pages / t_base:7.1f} pages/s   juesuan {pages / t_ours:7.1f} pages/s   "
            f"ratio {t_base / t_ours:5.2f}x"
        )
    print(f"median ratio: {statistics.median(ratios):.2f}x (goal >= 2x)")
    print(
        f"peak memory (tracemalloc): baseline {peak_memory(baseline, paths):.1f} MiB, "
        f"juesuan {peak_memory(juesuan, paths):.1f} MiB"
    )
    print(
        f"peak RSS (fresh process, incl. native and imports): baseline {child_peak_rss('baseline', args.corpus):.1f} MiB, "
        f"juesuan {child_peak_rss('juesuan', args.corpus):.1f} MiB"
    )
    for p in paths:
        equal, total = same_cells(p)
        print(f"cells equal to baseline: {p.name}: {equal}/{total}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
