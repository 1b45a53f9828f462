"""Write output folders safely: never over a user's files, never half-written, one writer at a time.

An output folder juesuan writes (the data package, the built site) carries a marker file
listing what juesuan put there. juesuan writes into a folder only when it is absent, empty, or
holds its own marker and nothing the marker does not list; anything else is refused
(`OutputRefused`). The new content is built in a sibling work folder and swapped in with one
atomic exchange (Linux `renameat2(RENAME_EXCHANGE)`), so the output is always one complete
folder, old or new, whenever the process dies. Where the exchange is not available the swap
is two renames, and the next run puts back a folder a kill left aside. Work folders left by a
killed run are recognized by name and marker and removed at the start of the next run.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import hashlib
import json
import os
import re
import secrets
import shutil
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from juesuan.errors import OutputRefused

MARKER_FORMAT = 1
WORK_MARKER = ".juesuan-work"  # inside a work folder from its first instant
LOCK_WAIT_SECONDS = 10.0

# Test hook: called with the name of each step of a swap (fault injection kills there).
FAULT_HOOK: Callable[[str], None] | None = None
# Whether to try the atomic exchange; tests switch it off to exercise the two-rename path.
USE_EXCHANGE = True

Recognizer = Callable[[Path], bool]


def _step(name: str) -> None:
    if FAULT_HOOK is not None:
        FAULT_HOOK(name)


def marker_name(kind: str) -> str:
    """Return the marker file name of an output kind ("package" → `.juesuan-package`)."""
    return f".juesuan-{kind}"


def _listing(folder: Path) -> list[str]:
    """Return the files (and symlinks) under folder, as sorted relative POSIX paths."""
    return sorted(rel for rel, _entry in walk_files(folder))


def walk_files(folder: Path) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Yield (relative POSIX path, entry) of every file and symlink under folder, symlinks not followed.

    os.scandir reads the entry types with the names: a site of 35,000 files is listed in a
    tenth of the time `Path.rglob` with a stat per file takes.
    """
    stack = [""]
    while stack:
        rel = stack.pop()
        with os.scandir(folder / rel if rel else folder) as entries:
            for entry in entries:
                path = f"{rel}/{entry.name}" if rel else entry.name
                if entry.is_symlink() or entry.is_file():
                    yield path, entry
                elif entry.is_dir(follow_symlinks=False):
                    stack.append(path)


def write_marker(folder: Path, kind: str) -> None:
    """Write the marker listing every file in folder (deterministic: no time, no pid)."""
    name = marker_name(kind)
    files = [f for f in _listing(folder) if f not in (name, WORK_MARKER)]
    body = {"format": MARKER_FORMAT, "kind": kind, "written_by": "juesuan", "files": files}
    (folder / name).write_text(json.dumps(body, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _marker_files(folder: Path, kind: str) -> set[str] | None:
    """Return the files a folder's marker lists, None when there is no readable marker of this kind."""
    try:
        body = json.loads((folder / marker_name(kind)).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(body, dict) or body.get("kind") != kind or not isinstance(body.get("files"), list):
        return None
    return {str(f) for f in body["files"]}


def check_output_dir(target: Path, kind: str, legacy: Recognizer | None = None) -> Path:
    """Return the resolved target when juesuan may replace it; raise OutputRefused saying why not.

    `legacy` recognizes a folder juesuan wrote before it had markers.
    """
    shown = str(target)
    try:
        resolved = Path(target).resolve()
    except (OSError, RuntimeError) as exc:
        raise OutputRefused(f"{shown}: cannot use this path: {exc}") from None
    if resolved == Path(resolved.anchor) or Path.cwd().resolve().is_relative_to(resolved):
        raise OutputRefused(f"{shown} is the current folder or one above it; name a new folder to write into")
    if resolved.exists() and not resolved.is_dir():
        raise OutputRefused(f"{shown} is a file, not a folder; name a folder to write into")
    parent = resolved.parent
    if parent.exists() and not parent.is_dir():
        raise OutputRefused(f"{shown}: {parent} is a file, not a folder")
    existing = parent
    while not existing.exists():
        existing = existing.parent
    if not os.access(existing, os.W_OK | os.X_OK):
        raise OutputRefused(f"{shown}: cannot write into {existing} (permission denied)")
    if not resolved.is_dir():
        return resolved
    try:
        entries = list(resolved.iterdir())
    except OSError as exc:
        raise OutputRefused(f"{shown}: cannot read the folder: {exc.strerror}") from None
    if not entries:
        return resolved
    listed = _marker_files(resolved, kind)
    if listed is None:
        if legacy is not None and legacy(resolved):
            return resolved
        raise OutputRefused(
            f"{shown} holds files juesuan did not write (no {marker_name(kind)} marker); "
            "name an empty or new folder"
        )
    foreign = [f for f in _listing(resolved) if f not in listed and f not in (marker_name(kind), WORK_MARKER)]
    if foreign:
        raise OutputRefused(f"{shown} holds {foreign[0]!r}, which juesuan did not write; move it away first")
    return resolved


# Locking --------------------------------------------------------------------------------------


def pid_alive(pid: int) -> bool:
    """Tell whether a process with this pid exists (a stale lock or temporary file's writer)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def output_lock(target: Path, wait: float = LOCK_WAIT_SECONDS) -> Iterator[Path]:
    """Hold `.NAME.juesuan-lock` beside target, with this pid in it, for one writer at a time.

    A second run waits up to `wait` seconds, then raises OutputRefused naming the holder. The
    lock is an flock, so a holder that died (a stale file with a dead pid) never blocks anyone.
    """
    lock = target.parent / f".{target.name}.juesuan-lock"
    deadline = time.monotonic() + wait
    while True:
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise OutputRefused(f"{target}: cannot write into {target.parent}: {exc.strerror}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            os.close(fd)
            if time.monotonic() >= deadline:
                alive = holder.isdigit() and pid_alive(int(holder))
                who = f"juesuan run (pid {holder})" if alive else "juesuan run"
                raise OutputRefused(f"{target} is being written by another {who}; wait for it to finish") from None
            time.sleep(0.1)
            continue
        # The file may have been removed by the holder we waited for: lock the one on disk.
        try:
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except FileNotFoundError:
            same = False
        if not same:
            os.close(fd)
            continue
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        break
    try:
        yield lock
    finally:
        try:
            lock.unlink()
        finally:
            os.close(fd)


# The swap ---------------------------------------------------------------------------------------

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where the system or file system cannot."""
    if not USE_EXCHANGE:
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    rc = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(a))


def _work_prefix(target: Path) -> str:
    return f".{target.name}.juesuan-"


def _work_name(target: Path, role: str) -> str:
    """Return a fresh name for a work folder beside target (`role`: new or old)."""
    return f"{_work_prefix(target)}{role}-{os.getpid()}-{secrets.token_hex(4)}"


def _is_work_name(name: str, target: Path, role: str) -> bool:
    """Tell whether `name` is one `_work_name(target, role)` makes."""
    return re.fullmatch(re.escape(_work_prefix(target)) + re.escape(role) + r"-\d+-[0-9a-f]{8}", name) is not None


def _is_our_work_dir(path: Path, target: Path, kind: str) -> bool:
    """Tell whether a sibling of target is a work folder juesuan made: by name and by marker."""
    if not path.name.startswith(_work_prefix(target)) or not path.is_dir() or path.is_symlink():
        return False
    if (path / WORK_MARKER).is_file() or _marker_files(path, kind) is not None:
        return True
    # Killed between making the folder and writing its marker: our exact name, and empty (so
    # removing it loses nothing).
    return _is_work_name(path.name, target, "new") and not any(path.iterdir())


def recover_leftovers(target: Path, kind: str) -> list[Path]:
    """Undo what a killed run left beside target; return the work folders removed.

    When target is missing but a complete old folder was set aside by the two-rename swap,
    put it back first; then remove every work folder juesuan made (new or old).
    """
    parent = target.parent
    if not parent.is_dir():
        return []
    ours = sorted(p for p in parent.iterdir() if _is_our_work_dir(p, target, kind))
    if not target.exists():
        aside = [p for p in ours if p.name.startswith(_work_prefix(target) + "old-")]
        complete = [p for p in aside if _marker_files(p, kind) is not None and not (p / WORK_MARKER).exists()]
        if complete:
            complete[0].rename(target)
            ours.remove(complete[0])
    for path in ours:
        shutil.rmtree(path, ignore_errors=True)
    return ours


@contextmanager
def replacing_dir(target: Path, kind: str = "package", legacy: Recognizer | None = None) -> Iterator[Path]:
    """Yield a fresh sibling folder to fill; on success it replaces `target`, on error it goes.

    Refuses (OutputRefused) a target holding anything juesuan did not write, and waits for or
    refuses a concurrent writer. At every instant `target` is a complete folder, old or new.
    """
    target = check_output_dir(target, kind, legacy)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputRefused(f"{target}: cannot create {target.parent}: {exc.strerror}") from None
    with output_lock(target):
        recover_leftovers(target, kind)
        check_output_dir(target, kind, legacy)  # again, now that no one else is writing
        if target.is_dir() and any(target.iterdir()) and _marker_files(target, kind) is None:
            write_marker(target, kind)  # a folder we wrote before markers: mark it before it moves
        tmp = target.with_name(_work_name(target, "new"))
        try:
            tmp.mkdir()
        except OSError as exc:
            raise OutputRefused(f"{target}: cannot create a work folder in {target.parent}: {exc.strerror}") from None
        (tmp / WORK_MARKER).write_text("juesuan work folder; removed by the next run if left behind\n", encoding="utf-8")
        _step("created")
        try:
            yield tmp
            _step("filled")
            write_marker(tmp, kind)
            keep_unchanged_mtimes(tmp, target)
            (tmp / WORK_MARKER).unlink()
            tmp.chmod(0o755)
            _step("marked")
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _swap_in(tmp, target)


def _swap_in(tmp: Path, target: Path) -> None:
    """Put the complete folder tmp at target, then remove the old one."""
    if not target.exists():
        tmp.rename(target)
        _step("renamed")
        return
    if _exchange(tmp, target):
        _step("exchanged")
        shutil.rmtree(tmp)  # now holds the old folder
        _step("removed-old")
        return
    # Two renames: a kill between them leaves target missing and the old folder aside, complete;
    # recover_leftovers() on the next run puts it back.
    old = target.with_name(_work_name(target, "old"))
    target.rename(old)
    _step("set-aside")
    tmp.rename(target)
    _step("renamed")
    shutil.rmtree(old)
    _step("removed-old")


# Unchanged files keep their mtime ---------------------------------------------------------------


def _same_bytes(a: Path, b: Path) -> bool:
    try:
        if a.stat().st_size != b.stat().st_size:
            return False
        with open(a, "rb") as fa, open(b, "rb") as fb:
            while True:
                chunk = fa.read(1 << 20)
                if chunk != fb.read(1 << 20):
                    return False
                if not chunk:
                    return True
    except OSError:
        return False


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file's bytes (read a MiB at a time)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def made_record(path: Path, inputs: str, sha256: Callable[[Path], str] = file_sha256) -> str:
    """Return the record of a file made from `inputs` (a hash of them): the hash and the file's SHA-256."""
    return f"{inputs} {sha256(path)}"


def holds_record(path: Path, record: str, inputs: str, sha256: Callable[[Path], str] = file_sha256) -> bool:
    """Tell whether `record` (a `made_record`) says `path` was made from `inputs` and it still holds those bytes."""
    last = record.split()
    return len(last) == 2 and last[0] == inputs and path.is_file() and sha256(path) == last[1]


def read_records(path: Path) -> dict[str, str]:
    """Return the {name: record} a JSON file of `made_record`s holds ({} when absent or unreadable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def write_bytes_if_changed(path: Path, data: bytes) -> bool:
    """Write data to path unless it holds these bytes already (its mtime then stays); True when written.

    The new bytes go to a temporary sibling renamed into place, so the file is never half-written.
    """
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except OSError:
        pass
    _replace_with(path, lambda tmp: tmp.write_bytes(data))
    return True


def write_file_if_changed(path: Path, fill: Callable[[Path], object]) -> bool:
    """Let `fill` write a temporary sibling, then rename it into place unless path holds those bytes already; True when written.

    For files too big to hold in memory; path is never half-written, and when unchanged its mtime stays.
    """
    return _replace_with(path, fill, keep_same=True)


def copy_if_changed(src: Path, dst: Path) -> bool:
    """Copy src to dst unless dst holds the same bytes already (its mtime then stays); True when copied."""
    if dst.is_file() and _same_bytes(src, dst):
        return False
    _replace_with(dst, lambda tmp: shutil.copyfile(src, tmp))
    return True


def mirror_file(src: Path, dst: Path) -> bool:
    """Copy src to dst with src's mtime, unless dst has src's size and mtime already; True when copied.

    For files that never change once written (the dated chart copies): a copy this made is
    known by its size and mtime without reading either file.
    """
    st = src.stat()
    try:
        got = dst.stat()
        if got.st_size == st.st_size and got.st_mtime_ns == st.st_mtime_ns:
            return False
    except OSError:
        pass
    if dst.is_file() and _same_bytes(src, dst):
        os.utime(dst, ns=(st.st_atime_ns, st.st_mtime_ns))
        return False

    def fill(tmp: Path) -> None:
        shutil.copyfile(src, tmp)
        os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))

    _replace_with(dst, fill)
    return True


def _replace_with(path: Path, fill: Callable[[Path], object], keep_same: bool = False) -> bool:
    """Fill a temporary sibling of path, then rename it into place, so path is never half-written.

    With `keep_same`, a path that already holds the filled bytes is left alone (its mtime
    stays). Return whether path was replaced.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    try:
        fill(tmp)
        if keep_same and path.is_file() and _same_bytes(tmp, path):
            tmp.unlink()
            return False
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return True


def keep_unchanged_mtimes(new: Path, old: Path) -> int:
    """Give each file of the folder `new` that has the same bytes in `old` the old file's times; return how many.

    A rebuilt folder is swapped in whole; this way a file whose bytes did not change looks
    unchanged too (rsync, a web server's Last-Modified, make).
    """
    if not old.is_dir():
        return 0
    kept = 0
    for rel, entry in walk_files(new):
        if entry.is_symlink():
            continue
        path, before = new / rel, old / rel
        try:
            now, then = entry.stat(follow_symlinks=False), os.lstat(before)
        except OSError:
            continue  # nothing to take times from
        if not stat.S_ISREG(then.st_mode) or (now.st_ino, now.st_dev) == (then.st_ino, then.st_dev):
            continue  # not a file, or a hard link to it (a dirty MkDocs build): times and all
        if now.st_size == then.st_size and _same_bytes(path, before):
            os.utime(path, ns=(then.st_atime_ns, then.st_mtime_ns))
            kept += 1
    return kept
