"""Make a report's generated files again only when what they are made of changed.

A unit is what one report adds to the generated site: its page, its chart pages and their
data, its source copies and cell maps. While a unit is made, the package records every slice
it reads (`Package.recording`: a resource's rows of one report, or a whole resource). The
ledger (`.units.json` in the generated folder, a dot file MkDocs does not publish) keeps, per
unit, the digest of each slice read, the files written with their size and SHA-256, and the
dated version of each chart it published. When all of these still hold, and the build's key
(juesuan's code, the descriptor, the site address) and the unit's source file are the same,
the next build keeps the unit's files as they are; otherwise it makes the unit again.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from juesuan.cache import source_hash
from juesuan.fsutil import file_sha256, write_bytes_if_changed
from juesuan.site.load import Package

LEDGER = ".units.json"
FORMAT = 1


@functools.cache
def code_version() -> str:
    """Return a hash of juesuan's source files: a change to any of them makes every unit again."""
    return source_hash()


@dataclass
class Made:
    """What making one unit read and wrote."""

    reads: set[tuple[str, str | None]] = field(default_factory=set)
    files: list[Path] = field(default_factory=list)
    charts: dict[str, str] = field(default_factory=dict)


@dataclass
class Ledger:
    """The units of the last build and of this one, kept in `out_dir/.units.json`."""

    out_dir: Path
    key: str
    old: dict[str, Any] = field(default_factory=dict)
    new: dict[str, Any] = field(default_factory=dict)
    sha256: Callable[[Path], str] = file_sha256

    @classmethod
    def open(cls, out_dir: Path, package: Package, extra: str = "", sha256: Callable[[Path], str] = file_sha256) -> Ledger:
        """Read the last build's ledger; its units count only when made under this build's key."""
        descriptor = json.dumps(package.descriptor, ensure_ascii=False, sort_keys=True)
        key = hashlib.sha256(f"{FORMAT}\0{code_version()}\0{descriptor}\0{extra}".encode()).hexdigest()
        try:
            data = json.loads((out_dir / LEDGER).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        old = data.get("units", {}) if isinstance(data, dict) and data.get("key") == key else {}
        return cls(out_dir, key, old if isinstance(old, dict) else {}, sha256=sha256)

    def kept(self, name: str, package: Package, stamp: str, versions: Callable[[str], str | None]) -> Made | None:
        """Return the unit's files and charts when it needs no remaking (and keep it in the ledger), else None.

        `stamp` says what else the unit was made of (its source file); `versions(chart)` is a
        chart's latest dated version in the archive.
        """
        entry = self.old.get(name)
        if not isinstance(entry, dict) or entry.get("stamp") != stamp:
            return None
        for resource, report_id, digest in entry.get("reads", []):
            if package.digest(resource, report_id) != digest:
                return None
        files: list[Path] = []
        for rel, size, sha in entry.get("files", []):
            path = self.out_dir / rel
            try:
                if path.stat().st_size != size or self.sha256(path) != sha:
                    return None  # changed behind juesuan's back
            except OSError:
                return None
            files.append(path)
        charts = dict(entry.get("charts", {}))
        if any(versions(cid) != version for cid, version in charts.items()):
            return None
        self.new[name] = entry
        return Made({(r, rid) for r, rid, _ in entry.get("reads", [])}, files, charts)

    def record(self, name: str, package: Package, stamp: str, made: Made) -> None:
        """Keep what making the unit read and wrote, for the next build."""
        files = []
        for path in sorted(set(made.files)):
            files.append([path.relative_to(self.out_dir).as_posix(), path.stat().st_size, self.sha256(path)])
        reads = sorted(made.reads, key=lambda r: (r[0], r[1] or ""))
        self.new[name] = {
            "stamp": stamp,
            "reads": [[resource, rid, package.digest(resource, rid)] for resource, rid in reads],
            "files": files,
            "charts": dict(sorted(made.charts.items())),
        }

    def save(self) -> Path:
        """Write the ledger (only the units of this build); return its path."""
        path = self.out_dir / LEDGER
        data = {"key": self.key, "units": dict(sorted(self.new.items()))}
        write_bytes_if_changed(path, json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True).encode("utf-8"))
        return path


@contextmanager
def making(package: Package, lists: dict[str, list[Path]], charts: dict[str, str]) -> Iterator[Made]:
    """Record what the block reads from `package` and appends to each list of `lists` and to `charts`."""
    made = Made()
    starts = {name: len(files) for name, files in lists.items()}
    before = set(charts)
    with package.recording() as reads:
        yield made
    made.reads = set(reads)
    for name, files in lists.items():
        made.files += files[starts[name]:]
    made.charts = {cid: charts[cid] for cid in charts if cid not in before}


def source_stamp(sources_dir: Path | None, source_file: object, sha256: Callable[[Path], str] = file_sha256) -> str:
    """Return what a unit's source copy depends on: the source file's SHA-256 (or its absence)."""
    if sources_dir is None or not source_file:
        return "-"
    try:
        return sha256(sources_dir / Path(str(source_file)).name)
    except OSError:
        return "missing"
