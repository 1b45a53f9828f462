"""Write the package ZIP (datapackage.json and every CSV) from pieces: each report's lines deflated once.

Every CSV holds the rows of every report, a report's rows together (the package writes them
so), each line starting with its report_id. The ZIP entry of a CSV is joined from pieces
(zipjoin.py): the header line, then each report's lines, found by the report's id at the start
of a line. A piece is keyed by the SHA-256 of its bytes, so a rebuild deflates the changed
reports' lines only. Where the lines are not laid out so, the rest of the file is one piece:
the ZIP holds the same bytes either way, only less is kept.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterator
from pathlib import Path

from juesuan.fsutil import file_sha256, holds_record, made_record, write_bytes_if_changed
from juesuan.site import zipjoin
from juesuan.site.load import Package

FORMAT = 2  # bump when what the ZIP holds, or how, changes
LEVEL = 6  # zlib's default, as the ZIP was written before it was joined from pieces


def report_ranges(data: bytes, report_ids: list[str]) -> list[tuple[int, int]]:
    """Cut a CSV's bytes into [start, end) ranges: the header line, then one per report in order, the rest last.

    `report_ids` are in the order their rows come in the file. Any range that cannot be found
    (a report's first line is not where the last one ended) leaves the rest as one range.
    """
    size = len(data)
    head = data.find(b"\n") + 1 or size
    cuts = [0, head]
    for rid in report_ids[1:]:
        at = data.find(b"\n" + rid.encode("utf-8") + b",", cuts[-1]) + 1
        if at <= cuts[-1]:
            break
        cuts.append(at)
    cuts.append(size)
    return [(a, b) for a, b in itertools.pairwise(cuts) if b > a]


def write_package_zip(package: Package, package_dir: Path, dst: Path,
                      sha256: Callable[[Path], str] = file_sha256) -> list[Path]:
    """Zip datapackage.json and the CSVs (fixed timestamps, reproducible); return the ZIP, its stamp and its layout.

    The stamp (a dot file) holds the hash of what was zipped and of the ZIP: while both hold,
    nothing is read again.
    """
    files = [package_dir / "datapackage.json", *sorted((package_dir / "data").glob("*.csv"))]
    stamp = dst.with_name(f".{dst.name}.sha256")
    digest = hashlib.sha256(f"{FORMAT}".encode())
    for path in files:
        digest.update(f"\0{path.relative_to(package_dir).as_posix()}\0{sha256(path)}".encode())
    inputs = digest.hexdigest()
    done = [dst, stamp, zipjoin.layout_path(dst)]
    try:
        if holds_record(dst, stamp.read_text(encoding="utf-8"), inputs, sha256):
            return done
    except OSError:
        pass
    order = _report_order(package)
    members = [_member(path, path.relative_to(package_dir).as_posix(), order.get(path.stem, []) if path.suffix == ".csv" else [])
               for path in files]
    zipjoin.write_zip(dst, members, sha256)
    write_bytes_if_changed(stamp, (made_record(dst, inputs, sha256) + "\n").encode())
    return done


def _report_order(package: Package) -> dict[str, list[str]]:
    """Return, per resource (by its CSV's name), the report ids in the order of their first row."""
    out: dict[str, list[str]] = {}
    for res in package.descriptor.get("resources", []):
        if not package.has(res["name"]):
            continue
        out[Path(res["path"]).stem] = package.report_order(res["name"])
    return out


def _member(path: Path, name: str, report_ids: list[str]) -> zipjoin.Member:
    """Return the member of one file: a piece per range (report_ranges), keyed by the range's bytes.

    The file is read once here to cut and hash it; a piece to make reads its range again.
    """
    data = path.read_bytes()
    view = memoryview(data)
    ranges = report_ranges(data, report_ids)
    keys = [zipjoin.piece_key(str(LEVEL), hashlib.sha256(view[a:b]).hexdigest()) for a, b in ranges]
    spans = dict(zip(keys, ranges, strict=True))  # equal keys: equal bytes, either range serves
    del view, data

    def make(wanted: list[str]) -> Iterator[zipjoin.Piece]:
        with open(path, "rb") as fh:
            for key in wanted:
                a, b = spans[key]
                fh.seek(a)
                yield zipjoin.deflate_piece(key, [fh.read(b - a)], LEVEL)

    return zipjoin.Member(name, keys, make, may_be_large=len(ranges) > 0 and ranges[-1][1] >= zipjoin.ZIP64_LIMIT)
