"""Write a ZIP from deflated pieces, taking the pieces that did not change from the last file.

The big downloads (the corpus workbook, the package ZIP) hold one entry per resource, and a
resource is the rows of every report: one changed report used to mean deflating every
report's rows again (some 1 GB of XML and CSV at 1,000 reports). Here an entry's data is cut
into pieces (a report's rows, a header), each deflated on its own and ended by a sync flush
(byte-aligned, no final block), so that pieces run together are one valid deflate stream
(closed by an empty final block), as pigz does. Each piece has a key naming what it is made
of; a layout file beside the ZIP (a dot file) says where each key's piece lies in it. The next
write copies the pieces whose keys it knows from the last file and deflates only the others.
A piece's bytes depend only on its input and zlib's settings, so a ZIP made from scratch and
one made from the last file's pieces are the same bytes.

The CRC-32 of an entry is combined from its pieces' (zlib's crc32_combine, through ctypes;
a Python version of the same algorithm where libz cannot be loaded).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import hashlib
import json
import struct
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from juesuan.fsutil import file_sha256, write_bytes_if_changed, write_file_if_changed

FORMAT = 1
ZIP64_LIMIT = 0xFFFFFFFF
_FINAL_BLOCK = b"\x03\x00"  # an empty fixed-Huffman block with BFINAL set: ends the stream
_DOS_DATE = ((2024 - 1980) << 9) | (1 << 5) | 1  # 2024-01-01, 00:00: fixed, so the bytes are reproducible
_VERSION_MADE = 0x0314  # Unix, 2.0
_UNIX_MODE = 0o100644 << 16


@dataclass(frozen=True)
class Piece:
    """Deflated bytes of one input, ended by a sync flush; its CRC-32 and input size."""

    key: str
    crc: int
    size: int
    data: bytes


@dataclass
class Member:
    """One ZIP entry: its name, its pieces' keys in order, and how to make a piece not in the last file."""

    name: str
    keys: list[str]
    make: Callable[[list[str]], Iterator[Piece]]
    may_be_large: bool = False  # reserve ZIP64 fields in the local header (the size is known only after)


def piece_key(*parts: str) -> str:
    """Return a piece's key: what it is made of, and how it is deflated (zlib's version, FORMAT)."""
    digest = hashlib.sha256(f"{FORMAT}\0{zlib.ZLIB_RUNTIME_VERSION}".encode())
    for part in parts:
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()


def deflate_piece(key: str, chunks: Iterable[bytes | memoryview], level: int) -> Piece:
    """Deflate `chunks` on their own (raw deflate, a sync flush at the end) into a piece."""
    comp = zlib.compressobj(level, zlib.DEFLATED, -15)
    out: list[bytes] = []
    crc = size = 0
    for chunk in chunks:
        crc = zlib.crc32(chunk, crc)
        size += len(chunk)
        out.append(comp.compress(chunk))
    out.append(comp.flush(zlib.Z_SYNC_FLUSH))
    return Piece(key, crc, size, b"".join(out))


# CRC-32 combination -------------------------------------------------------------------------------

@functools.cache
def _libz_combine() -> Callable[[int, int, int], int] | None:
    """Return libz's crc32_combine64 (or crc32_combine) when libz loads, else None."""
    for name in (ctypes.util.find_library("z"), "libz.so.1", "libz.dylib"):
        if not name:
            continue
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        for symbol, off_t in (("crc32_combine64", ctypes.c_int64), ("crc32_combine", ctypes.c_long)):
            fn = getattr(lib, symbol, None)
            if fn is not None:
                fn.restype = ctypes.c_ulong
                fn.argtypes = [ctypes.c_ulong, ctypes.c_ulong, off_t]
                return functools.partial(_call_combine, fn)
    return None


def _call_combine(fn: Callable[[int, int, int], int], crc1: int, crc2: int, len2: int) -> int:
    return int(fn(crc1, crc2, len2)) & 0xFFFFFFFF


_POLY = 0xEDB88320


def _multmodp(a: int, b: int) -> int:
    """Multiply a and b modulo the CRC polynomial (zlib's multmodp)."""
    m, p = 1 << 31, 0
    while True:
        if a & m:
            p ^= b
            if a & (m - 1) == 0:
                return p
        m >>= 1
        b = (b >> 1) ^ _POLY if b & 1 else b >> 1


def _x2n_table() -> list[int]:
    table = [1 << 30]
    for _ in range(31):
        table.append(_multmodp(table[-1], table[-1]))
    return table


_X2N = _x2n_table()


def crc32_combine_py(crc1: int, crc2: int, len2: int) -> int:
    """Return the CRC-32 of A + B from crc(A), crc(B) and len(B) (zlib 1.2.12's algorithm)."""
    p, k, n = 1 << 31, 3, len2
    while n:
        if n & 1:
            p = _multmodp(_X2N[k & 31], p)
        n >>= 1
        k += 1
    return _multmodp(p, crc1) ^ crc2


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """Return the CRC-32 of A + B from crc(A), crc(B) and len(B)."""
    fast = _libz_combine()
    return fast(crc1, crc2, len2) if fast is not None else crc32_combine_py(crc1, crc2, len2)


# The last file's pieces -----------------------------------------------------------------------------

def layout_path(path: Path) -> Path:
    """Return the layout file of a joined ZIP: a dot file beside it (MkDocs does not publish it)."""
    return path.with_name(f".{path.name}.pieces.json")


@dataclass
class LastPieces:
    """Where each piece of the last file lies: key → (offset, length, crc, size)."""

    path: Path
    at: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path, sha256: Callable[[Path], str] = file_sha256) -> LastPieces:
        """Read the layout of `path`; it counts only while the file holds the bytes it describes."""
        try:
            data = json.loads(layout_path(path).read_text(encoding="utf-8"))
            if data.get("format") != FORMAT or data.get("sha256") != sha256(path):
                return cls(path)
            return cls(path, {str(k): (int(v[0]), int(v[1]), int(v[2]), int(v[3])) for k, v in data["pieces"].items()})
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError):
            return cls(path)


def write_zip(path: Path, members: list[Member], sha256: Callable[[Path], str] = file_sha256,
              zip64_limit: int = ZIP64_LIMIT) -> bool:
    """Write the ZIP of `members` to `path` (atomically; kept when it holds these bytes), and its layout; True when written.

    Pieces named in the last file's layout are copied from it; the others are made.
    """
    last = LastPieces.read(path, sha256)
    placed: dict[str, list[int]] = {}

    def fill(tmp: Path) -> None:
        with open(tmp, "wb") as out, contextlib.ExitStack() as stack:
            old: BinaryIO | None = None
            if last.at:
                with contextlib.suppress(OSError):  # gone since its layout was read: every piece is made
                    old = stack.enter_context(open(path, "rb"))
            central = [_write_member(out, old, last, m, placed, zip64_limit) for m in members]
            _write_central(out, central, zip64_limit)

    written = write_file_if_changed(path, fill)
    layout = {"format": FORMAT, "sha256": sha256(path), "pieces": dict(sorted(placed.items()))}
    write_bytes_if_changed(layout_path(path), json.dumps(layout, indent=0).encode("utf-8"))
    return written


def _pieces(old: BinaryIO | None, last: LastPieces, member: Member) -> Iterator[Piece]:
    """Yield the member's pieces in order: copied from the last file where it holds them, else made (a run at a time)."""
    keys = member.keys
    i = 0
    while i < len(keys):
        spot = last.at.get(keys[i])
        if spot is not None and old is not None:
            offset, length, crc, size = spot
            old.seek(offset)
            data = old.read(length)
            if len(data) == length:
                yield Piece(keys[i], crc, size, data)
                i += 1
                continue
        j = i + 1  # the run of keys to make: the maker may share work across them (one batch of XML)
        while j < len(keys) and (old is None or keys[j] not in last.at):
            j += 1
        made = list(member.make(keys[i:j]))
        if [p.key for p in made] != keys[i:j]:
            raise RuntimeError(f"zipjoin: the maker of {member.name} returned other pieces than asked for")
        yield from made
        i = j


def _write_member(out: BinaryIO, old: BinaryIO | None, last: LastPieces, member: Member,
                  placed: dict[str, list[int]], zip64_limit: int) -> tuple[str, int, int, int, int]:
    """Write one local header, the pieces and the final block; return (name, crc, csize, size, header offset)."""
    name = member.name.encode("utf-8")
    offset = out.tell()
    reserve = member.may_be_large
    extra = struct.pack("<HHQQ", 1, 16, 0, 0) if reserve else b""
    out.write(_local_header(name, 0, 0, 0, extra, reserve))
    crc = size = csize = 0
    for piece in _pieces(old, last, member):
        placed.setdefault(piece.key, [out.tell(), len(piece.data), piece.crc, piece.size])
        out.write(piece.data)
        crc = crc32_combine(crc, piece.crc, piece.size) if size else piece.crc
        size += piece.size
        csize += len(piece.data)
    out.write(_FINAL_BLOCK)
    csize += len(_FINAL_BLOCK)
    if not reserve and (size >= zip64_limit or csize >= zip64_limit):
        raise RuntimeError(f"zipjoin: {member.name} passed 4 GiB without ZIP64 reserved (may_be_large)")
    end = out.tell()
    out.seek(offset)
    if reserve:
        extra = struct.pack("<HHQQ", 1, 16, size, csize)
    out.write(_local_header(name, crc, csize, size, extra, reserve))
    out.seek(end)
    return member.name, crc, csize, size, offset


def _local_header(name: bytes, crc: int, csize: int, size: int, extra: bytes, zip64: bool) -> bytes:
    sizes = (ZIP64_LIMIT, ZIP64_LIMIT) if zip64 else (csize, size)
    return struct.pack("<IHHHHHIIIHH", 0x04034B50, 45 if zip64 else 20, 0, 8, 0, _DOS_DATE, crc, *sizes,
                       len(name), len(extra)) + name + extra


def _write_central(out: BinaryIO, entries: list[tuple[str, int, int, int, int]], zip64_limit: int) -> None:
    """Write the central directory and its end records (ZIP64 ones when a count, size or offset needs them)."""
    start = out.tell()
    for name, crc, csize, size, offset in entries:
        raw = name.encode("utf-8")
        big = [v for v in (size, csize, offset) if v >= zip64_limit]
        fields = [ZIP64_LIMIT if v >= zip64_limit else v for v in (csize, size, offset)]
        extra = b""
        if big:
            values = [v for v in (size, csize, offset) if v >= zip64_limit]
            extra = struct.pack(f"<HH{len(values)}Q", 1, 8 * len(values), *values)
        out.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, _VERSION_MADE, 45 if big else 20, 0, 8, 0, _DOS_DATE,
                              crc, fields[0], fields[1], len(raw), len(extra), 0, 0, 0, _UNIX_MODE, fields[2])
                  + raw + extra)
    end = out.tell()
    count, cd_size = len(entries), end - start
    if count >= 0xFFFF or cd_size >= zip64_limit or start >= zip64_limit:
        out.write(struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, cd_size, start))
        out.write(struct.pack("<IIQI", 0x07064B50, 0, end, 1))
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, ZIP64_LIMIT, ZIP64_LIMIT, 0))
    else:
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, cd_size, start, 0))
