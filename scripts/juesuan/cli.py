"""Command line: `juesuan build`, `juesuan data`, `juesuan check`."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from juesuan import __version__
from juesuan.cache import ReportCache
from juesuan.errors import EnvironmentProblem, OutputRefused, ReportError
from juesuan.executor import DEFAULT_MEMORY_LIMIT, DEFAULT_TIME_LIMIT, Outcome, make_executor, run_all
from juesuan.model import SEVERITIES, ReportData
from juesuan.notices import cap_repeats
from juesuan.package import ReportPart, check_package_dir, report_part, write_package_parts
from juesuan.pairing import pair_report_files
from juesuan.progress import Run
from juesuan.read import DEFAULT_LIMITS, MB, InputLimits

PROJECT_ROOT = Path.cwd()
DEFAULT_CACHE = Path("build") / "cache"
REPORT_SUFFIXES = {".pdf", ".txt"}


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with its subcommands."""
    parser = argparse.ArgumentParser(
        prog="juesuan",
        description="Publish Chinese department final-accounts reports (部门决算) as open data and a static site.",
    )
    parser.add_argument("--version", action="version", version=f"juesuan {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = sub.add_parser(
        "build",
        help="reports/ → datapackage/ → site pages → mkdocs build --strict into build/site/",
        description="Parse every report in --reports, write the data package, generate the pages and build the site.",
    )
    build.add_argument("--reports", type=Path, default=Path("reports"), help="folder of report files (default: reports)")
    build.add_argument("--package", type=Path, default=Path("datapackage"), help="data package folder (default: datapackage)")
    build.add_argument("--site", type=Path, default=Path("build/site"), help="site output folder (default: build/site)")
    build.add_argument("--no-site", action="store_true", help="stop after writing the data package")
    add_limit_flags(build)
    add_engine_flags(build, cache_default=DEFAULT_CACHE)

    data = sub.add_parser(
        "data",
        help="write only the data package for the given report files",
        description="Parse the given report files (PDF or text export) and write their data package into --out.",
    )
    data.add_argument("files", nargs="+", type=Path, metavar="FILE", help="report files (.pdf or text export)")
    data.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write the package into")
    add_limit_flags(data)
    add_engine_flags(data)

    check = sub.add_parser(
        "check",
        help="run the consistency checks (勾稽) on report files and print the findings",
        description="Parse the given report files and print their consistency findings; exit 1 on any error finding.",
    )
    check.add_argument("files", nargs="+", type=Path, metavar="FILE", help="report files (.pdf or text export)")
    check.add_argument("--all", action="store_true", help="print passes too, not only rounding, warnings and errors")
    add_limit_flags(check)
    add_engine_flags(check)
    return parser


def add_limit_flags(parser: argparse.ArgumentParser) -> None:
    """Add the flags that raise the input limits (a file far beyond any real report is refused)."""
    d = DEFAULT_LIMITS
    parser.add_argument("--max-size", type=float, metavar="MB", default=None,
                        help=f"read files up to this size (default: {d.pdf_bytes // MB} MB PDF, {d.text_bytes // MB} MB text export)")
    parser.add_argument("--max-pages", type=int, metavar="N", default=None,
                        help=f"read PDFs up to this many pages (default: {d.pages})")


def positive_int(text: str) -> int:
    """Parse a whole number of at least 1 (argparse type)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def positive_float(text: str) -> float:
    """Parse a number of seconds above 0 (argparse type)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number of seconds above 0, not {text}")
    return value


def add_engine_flags(parser: argparse.ArgumentParser, cache_default: Path | None = None) -> None:
    """Add the flags of the parse stage: workers, per-report limits, Dask scheduler, cache."""
    parser.add_argument("-j", "--jobs", type=positive_int, metavar="N", default=None,
                        help=f"parse N reports at a time, each in its own worker process (default: all cores, here {os.cpu_count()}); "
                             "-j 1 parses in this process, without the limits below unless one is given")
    parser.add_argument("--time-limit", type=positive_float, metavar="SECONDS", default=None,
                        help=f"give up on a report after this long; it fails alone (default: {DEFAULT_TIME_LIMIT:g})")
    parser.add_argument("--memory-limit", type=positive_int, metavar="MB", default=None,
                        help=f"cap each worker's memory; a report needing more fails alone (default: {DEFAULT_MEMORY_LIMIT})")
    parser.add_argument("--scheduler", metavar="tcp://HOST:PORT", default=None,
                        help="parse on a Dask distributed cluster instead (workers need juesuan and the files at the same paths)")
    shown = f"default: {cache_default}" if cache_default else "default: none"
    parser.add_argument("--cache", type=Path, metavar="DIR", default=cache_default,
                        help=f"keep each report's parsed result here and reuse it while the file and juesuan are unchanged ({shown})")
    parser.add_argument("--no-cache", action="store_true", help="parse every report again; read and write no cache")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (0 ok, 1 a report failed, 2 usage)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    limits = DEFAULT_LIMITS.with_overrides(args.max_size, args.max_pages) if hasattr(args, "max_size") else DEFAULT_LIMITS
    engine = Engine(args.jobs, args.time_limit, args.memory_limit, args.scheduler, None if args.no_cache else args.cache)
    run = Run()
    try:
        if args.command == "data":
            return command_data(args.files, args.out, limits, engine, run)
        if args.command == "check":
            return command_check(args.files, show_all=args.all, limits=limits, engine=engine, run=run)
        if args.command == "build":
            return command_build(args.reports, args.package, args.site, site=not args.no_site, limits=limits,
                                 engine=engine, run=run)
    except OutputRefused as exc:
        print(f"juesuan: error: {exc}", file=sys.stderr)
        return 2
    except EnvironmentProblem as exc:
        print(f"juesuan: {exc}", file=sys.stderr)
        return 1
    finally:
        run.finish()
    parser.error(f"unknown command {args.command!r}")
    return 2


@dataclass
class Engine:
    """How the parse stage runs: where (this process, a pool, Dask), with what limits, which cache."""

    jobs: int | None = None
    time_limit: float | None = None
    memory_limit: int | None = None
    scheduler: Any = None  # "tcp://HOST:PORT", or a distributed.Client (tests)
    cache: Path | None = None


def parse_many(files: Sequence[Path], limits: InputLimits = DEFAULT_LIMITS, engine: Engine | None = None,
               run: Run | None = None, evict: bool = False) -> tuple[list[ReportData], list[ReportError]]:
    """Parse each report (a file, or a narrative and a tables file paired); a failing report is collected, the others go on.

    Reports found in the cache are not parsed again; the others go to the executor, and all
    come back in input order. `evict` drops cache entries of reports not in this batch.
    """
    found, failures = _parse_stage(files, limits, engine, run, evict, as_parts=False)
    return [r for r in found if isinstance(r, ReportData)], failures


def parse_parts(files: Sequence[Path], limits: InputLimits = DEFAULT_LIMITS, engine: Engine | None = None,
                run: Run | None = None, evict: bool = False) -> tuple[list[ReportPart], list[ReportError]]:
    """Parse each report as parse_many does, returning what each adds to the package (read from the cache when there)."""
    found, failures = _parse_stage(files, limits, engine, run, evict, as_parts=True)
    return [r for r in found if isinstance(r, ReportPart)], failures


def _parse_stage(files: Sequence[Path], limits: InputLimits, engine: Engine | None, run: Run | None, evict: bool,
                 as_parts: bool) -> tuple[list[ReportData | ReportPart], list[ReportError]]:
    """Parse or read from the cache each report, as a ReportData or (`as_parts`) a package part; collect failures."""
    engine = engine or Engine()
    run = run or Run(show=False)
    groups = pair_report_files(files)
    cache = ReportCache(engine.cache) if engine.cache is not None else None
    keys: list[str | None] = [None] * len(groups)
    outcomes: list[Outcome | None] = [None] * len(groups)
    parts: list[ReportPart | None] = [None] * len(groups)
    # Reading the cache is part of the stage's time (a thousand entries take seconds).
    with run.stage("parse", total=len(groups)) as advance:
        if cache is not None:
            for i, group in enumerate(groups):
                try:
                    keys[i] = read_key = cache.key(group, limits)
                except OSError:
                    continue  # unreadable: the parse says why, in its own words
                if as_parts and (part := cache.get_part(read_key)) is not None:
                    parts[i] = part
                else:
                    outcomes[i] = cache.get(read_key, group)
                if parts[i] is not None or outcomes[i] is not None:
                    advance(1)
        todo = [i for i, o in enumerate(outcomes) if o is None and parts[i] is None]
        if todo:
            executor = make_executor(engine.jobs, engine.time_limit, engine.memory_limit, engine.scheduler)
            fresh = run_all(executor, [groups[i] for i in todo], limits, on_done=lambda _o: advance(1))
            for i, new in zip(todo, fresh, strict=True):
                outcomes[i] = new
                if cache is not None and (key := keys[i]) is not None:
                    cache.put(key, new)
        if as_parts:
            for i, outcome in enumerate(outcomes):
                if outcome is not None and outcome.report is not None:
                    parts[i] = made = report_part(outcome.report)
                    outcomes[i] = None  # the whole report is let go: a part is all the package needs
                    if cache is not None and (key := keys[i]) is not None:
                        cache.put_part(key, made)
    if cache is not None:
        run.cached += cache.hits
        if evict:
            cache.evict(k for k in keys if k is not None)
    found: list[ReportData | ReportPart] = []
    failures: list[ReportError] = []
    for group, outcome, part in zip(groups, outcomes, parts, strict=True):
        report = part or (outcome.report if outcome is not None else None)
        if report is None:
            assert outcome is not None
            error = outcome.error
            assert error is not None
            failures.append(error)
            print(f"juesuan: error: {error}", file=sys.stderr)
            continue
        found.append(report)
        name = " + ".join(p.name for p in group.paths)
        for warning in cap_repeats(report.warnings):
            print(f"juesuan: warning: {name}: {warning}", file=sys.stderr)
    ids: dict[str, Path] = {}
    for report in list(found):
        other = ids.get(report.meta.report_id)
        if other is not None:
            duplicate = ReportError(Path(report.meta.source_file), f"same report id {report.meta.report_id!r} as {other.name}; rename one file")
            failures.append(duplicate)
            print(f"juesuan: error: {duplicate}", file=sys.stderr)
            found.remove(report)
        else:
            ids[report.meta.report_id] = Path(report.meta.source_file)
    run.read += len(found)
    run.failed += [(e.path.name, e.reason) for e in failures]
    return found, failures


def command_data(files: Sequence[Path], out: Path, limits: InputLimits = DEFAULT_LIMITS,
                 engine: Engine | None = None, run: Run | None = None, evict: bool = False) -> int:
    """Write the data package for the given files into out."""
    run = run or Run(show=False)
    check_package_dir(out)  # refuse a user's folder before spending time on the reports
    parts, failures = parse_parts(files, limits, engine, run, evict=evict)
    if not parts:
        print("juesuan: no report could be read; nothing written", file=sys.stderr)
        return 1
    with run.stage("package"):
        write_package_parts(parts, out)
    print(f"juesuan: wrote {out}/ ({len(parts)} report(s), {sum(p.cells for p in parts)} cells)")
    return 1 if failures else 0


def command_check(files: Sequence[Path], *, show_all: bool = False, limits: InputLimits = DEFAULT_LIMITS,
                  engine: Engine | None = None, run: Run | None = None) -> int:
    """Print the findings of each file as a tab-separated table; 1 when any error or failure."""
    reports, failures = parse_many(files, limits, engine, run)
    errors = 0
    print("\t".join(("report", "rule", "severity", "tables", "row", "expected", "actual", "difference", "message")))
    for report in reports:
        for f in report.findings:
            errors += f.severity == "error"
            if show_all or f.severity != "pass":
                cells = (report.meta.report_id, f.rule, f.severity, f.tables, f.row, f.expected, f.actual, f.difference, f.message)
                print("\t".join("" if c is None else str(c) for c in cells))
    counts = {s: sum(f.severity == s for r in reports for f in r.findings) for s in SEVERITIES}
    print("juesuan: " + ", ".join(f"{n} {s}" for s, n in counts.items()) + f" in {len(reports)} report(s)", file=sys.stderr)
    return 1 if errors or failures else 0


def command_build(reports_dir: Path, package: Path, site_dir: Path, *, site: bool = True,
                  limits: InputLimits = DEFAULT_LIMITS, engine: Engine | None = None, run: Run | None = None) -> int:
    """Build the package from a folder of reports, then the site."""
    run = run or Run(show=False)
    if not reports_dir.is_dir():
        print(f"juesuan: error: no reports folder {reports_dir}/", file=sys.stderr)
        return 2
    files = sorted(p for p in reports_dir.iterdir() if p.suffix.lower() in REPORT_SUFFIXES and p.is_file())
    if not files:
        print(f"juesuan: error: no .pdf or .txt reports in {reports_dir}/", file=sys.stderr)
        return 2
    if site:
        from juesuan.site.build import check_site_dir

        check_site_dir(site_dir)
    status = command_data(files, package, limits, engine, run, evict=True)
    if status and not package.joinpath("datapackage.json").exists():
        return status
    if site:
        from juesuan.site.build import SiteBuildError, build_site

        try:
            build_site(PROJECT_ROOT, package, site_dir, stage=run.stage)
        except SiteBuildError as exc:
            print(f"juesuan: error: the site did not build (mkdocs --strict):\n{exc}", file=sys.stderr)
            return 1
        print(f"juesuan: built {site_dir}/")
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
