"""Keep each report's parsed result on disk, so a rebuild parses only the reports that changed.

An entry is keyed by the sha256 of every file of the report (a report may be two paired
files), their names (the report id and `source_file` come from the name), the input limits,
and the parser's version: `juesuan.__version__` plus a hash of juesuan's source files but
`site/`, so any change to the code that parses invalidates every entry. Entries are pickles written to a
temporary name and renamed into place (never half-written); the folder carries a
`.juesuan-cache` marker, and juesuan deletes only files of its own naming inside a folder so
marked. The pickles are trusted: point --cache only at a folder you alone write.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import pickle
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import juesuan
from juesuan.errors import OutputRefused
from juesuan.executor import Outcome
from juesuan.fsutil import file_sha256, pid_alive
from juesuan.model import ReportData
from juesuan.package import ReportPart
from juesuan.pairing import ReportFiles
from juesuan.read import InputLimits

FORMAT = 1
MARKER = ".juesuan-cache"
_ENTRY = re.compile(r"^[0-9a-f]{64}\.(pickle|part)$")
_TEMP = re.compile(r"^\.([0-9a-f]{64}\.(?:pickle|part)|\.juesuan-cache)\.(\d+)\.[0-9a-f]{8}\.tmp$")


@functools.cache
def parser_version() -> str:
    """Return juesuan's version and a hash of the source files that make a parsed report.

    Any change to them gives a new version. `juesuan/site/` is left out: the site stage reads
    the written package and never touches a parsed report, so a change to a page does not
    make a rebuild parse every report again.
    """
    return f"{juesuan.__version__}+{source_hash(skip=('site',))[:16]}"


def source_hash(skip: tuple[str, ...] = ()) -> str:
    """Return the SHA-256 of juesuan's source files (names and bytes), leaving out the top folders in `skip`."""
    root = Path(juesuan.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*.py") if p.relative_to(root).parts[0] not in skip):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass(slots=True)
class Entry:
    """What is stored for one report: its parsed data, or the reason it is not a report."""

    version: str
    report: ReportData | None
    reason: str = ""
    page: int | None = None
    error_name: str = ""  # the file the error named, found again in the group on reading


@dataclass(slots=True)
class PartEntry:
    """What is stored of a parsed report for the package: its part (package.ReportPart)."""

    version: str
    part: ReportPart


_E = TypeVar("_E", Entry, PartEntry)


class ReportCache:
    """A folder of parsed reports; creating it refuses a folder juesuan did not write."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.hits = 0
        self._check()

    def _check(self) -> None:
        folder = self.folder
        if folder.exists() and not folder.is_dir():
            raise OutputRefused(f"{folder} is a file, not a folder; name a folder for --cache, or pass --no-cache")
        if folder.is_dir() and not (folder / MARKER).is_file() and any(folder.iterdir()):
            raise OutputRefused(
                f"{folder} holds files juesuan did not write (no {MARKER} marker); "
                "name an empty or new folder for --cache, or pass --no-cache"
            )
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if not (folder / MARKER).is_file():
                self._write_atomic(folder / MARKER, b"juesuan's cache of parsed reports; safe to delete\n")
        except OSError as exc:
            raise OutputRefused(f"{folder}: cannot write the cache: {exc.strerror}; pass --no-cache") from None

    def key(self, files: ReportFiles, limits: InputLimits) -> str:
        """Return the entry key of a report: its files' names and bytes, the limits, the parser."""
        body = {
            "format": FORMAT,
            "parser": parser_version(),
            "limits": [limits.pdf_bytes, limits.text_bytes, limits.pages],
            "files": [[p.name, file_sha256(p)] for p in files.paths],
        }
        return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()

    def get(self, key: str, files: ReportFiles) -> Outcome | None:
        """Return the stored outcome of a report, None when absent or unreadable."""
        entry = self._load(f"{key}.pickle", Entry)
        if entry is None:
            return None
        if entry.report is not None:
            return Outcome(files, report=entry.report)
        named = next((p for p in files.paths if p.name == entry.error_name), None)
        return Outcome(files, reason=entry.reason, page=entry.page, error_path=named)

    def put(self, key: str, outcome: Outcome) -> None:
        """Store an outcome that depends only on the files (not a time-out or a dead worker)."""
        if not outcome.cacheable:
            return
        entry = Entry(parser_version(), outcome.report, outcome.reason, outcome.page,
                      outcome.error_path.name if outcome.error_path else "")
        with contextlib.suppress(OSError):  # a full disk costs a re-parse next time, not this build
            self._write_atomic(self.folder / f"{key}.pickle", pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))

    def get_part(self, key: str) -> ReportPart | None:
        """Return the stored package part of a parsed report, None when absent or unreadable.

        A rebuild reads this instead of the whole report: its rows as CSV text, some 40 times
        faster to load than the report they were made from.
        """
        entry = self._load(f"{key}.part", PartEntry)
        return entry.part if entry is not None else None

    def _load(self, name: str, kind: type[_E]) -> _E | None:
        """Return the stored entry `name` when it is a `kind` of this parser version (and count the hit), else None."""
        try:
            with open(self.folder / name, "rb") as fh:
                entry = pickle.load(fh)
        except FileNotFoundError:
            return None
        except Exception:  # a damaged or foreign entry is a miss; it is overwritten
            return None
        if not isinstance(entry, kind) or entry.version != parser_version():
            return None
        self.hits += 1
        return entry

    def put_part(self, key: str, part: ReportPart) -> None:
        """Store a parsed report's package part beside its entry."""
        with contextlib.suppress(OSError):
            self._write_atomic(self.folder / f"{key}.part", pickle.dumps(PartEntry(parser_version(), part), protocol=pickle.HIGHEST_PROTOCOL))

    def _write_atomic(self, path: Path, data: bytes) -> None:
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        try:
            with open(tmp, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def evict(self, keep: Iterable[str]) -> int:
        """Remove the entries not in keep (inputs gone or changed) and dead runs' temp files; return how many."""
        kept = {f"{k}.{kind}" for k in keep for kind in ("pickle", "part")}
        removed = 0
        for path in self.folder.iterdir():
            name = path.name
            stale_temp = (m := _TEMP.match(name)) is not None and not pid_alive(int(m.group(2)))
            ours = (_ENTRY.match(name) and name not in kept) or stale_temp
            if ours and path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)
                removed += 1
        return removed
