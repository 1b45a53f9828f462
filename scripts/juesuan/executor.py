"""Run the parse stage over many reports: in this process, in a local process pool, or on Dask.

Every executor takes the reports (each a `ReportFiles` group) and yields one `Outcome` per
report, in input order, so the package is the same whichever runs it. A report that fails,
hangs past the time limit or needs more memory than the cap fails alone: its outcome carries a
one-line error naming the file, and the batch goes on.

- `InProcess` (`-j 1`): one report after the other in this process, without the limits (a
  report that hangs hangs the run: that is what `-j 2` and up are for).
- `LocalPool` (`-j N`, N > 1 or a time/memory limit asked for): N forked worker processes,
  each given one report at a time, with an address-space cap (RLIMIT_AS) and a time limit
  after which that worker is killed and replaced; a dead worker is one failed report, nothing more.
- `DaskExecutor` (`--scheduler tcp://HOST:PORT`): Dask distributed; the workers need juesuan
  installed and the report files readable at the same paths. The time limit is kept by a
  watchdog in the task (the stuck thread is left to the worker); the memory cap is the Dask
  worker's own `--memory-limit`.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import pickle
import resource
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Protocol

from juesuan.errors import EnvironmentProblem, ReportError
from juesuan.model import ReportData
from juesuan.pairing import ReportFiles
from juesuan.read import DEFAULT_LIMITS, InputLimits

DEFAULT_TIME_LIMIT = 300.0  # seconds; the corpus's largest report parses in a few seconds
DEFAULT_MEMORY_LIMIT = 2048  # MB of address space per worker; the corpus's largest peaks near 150 MB
DASK_CONNECT_SECONDS = 20.0


@dataclass(slots=True)
class Outcome:
    """What parsing one report gave: the report, or why it failed.

    `cacheable` is False for failures that depend on the run (a time limit, a memory cap, a
    dead worker), not on the file.
    """

    files: ReportFiles
    report: ReportData | None = None
    reason: str = ""
    page: int | None = None
    error_path: Path | None = None
    cacheable: bool = True

    @property
    def error(self) -> ReportError | None:
        """Return the failure as a ReportError (its text names the file), None when parsed."""
        if self.report is not None:
            return None
        return ReportError(self.error_path or files_label(self.files), self.reason, self.page)


def files_label(files: ReportFiles) -> Path:
    """Return a path whose name names every file of the report ("a.pdf + b.pdf" for a pair)."""
    first = files.paths[0]
    return first if len(files.paths) == 1 else first.with_name(" + ".join(p.name for p in files.paths))


def time_limit_reason(seconds: float) -> str:
    """Return the error of a report that ran past the time limit."""
    return f"took longer than {seconds:g} s; raise --time-limit"


def memory_limit_reason(mb: int) -> str:
    """Return the error of a report that needed more memory than the cap."""
    return f"needed more than {mb} MB; raise --memory-limit"


def parse_one(files: ReportFiles, limits: InputLimits = DEFAULT_LIMITS, memory_mb: int | None = None) -> Outcome:
    """Parse one report into an Outcome; a ReportError or a MemoryError becomes its failure.

    The raw extraction (every text line and grid) is dropped once the checks have run: nothing
    after the parse stage reads it, and it is most of what would be sent back and cached.
    """
    # Imported here: the readers load pdfplumber, which a fully cached rebuild never needs.
    from juesuan.pipeline import parse_report_files

    try:
        report = parse_report_files(files, limits)
    except ReportError as exc:
        return Outcome(files, reason=exc.reason, page=exc.page, error_path=exc.path)
    except MemoryError:
        reason = memory_limit_reason(memory_mb) if memory_mb else "ran out of memory; parse it with -j 2 or more and --memory-limit"
        return Outcome(files, reason=reason, cacheable=False)
    report.raw = None
    return Outcome(files, report=report)


class Executor(Protocol):
    """Parse reports somewhere; yield their outcomes in input order."""

    def map(self, groups: Sequence[ReportFiles], limits: InputLimits) -> Iterator[Outcome]:
        """Yield one outcome per group, in the order given."""
        ...

    def close(self) -> None:
        """Stop the workers (also when a run is interrupted)."""
        ...


class InProcess:
    """Parse in this process, one report after the other, with no time or memory limit."""

    def map(self, groups: Sequence[ReportFiles], limits: InputLimits) -> Iterator[Outcome]:
        """Yield one outcome per group, in the order given."""
        for group in groups:
            yield parse_one(group, limits)

    def close(self) -> None:
        """Nothing to stop."""


def _address_space_now() -> int:
    """Return this process's address space in bytes (VmSize), 0 where /proc is not there."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _cap_memory(memory_mb: int) -> None:
    """In a worker: cap its address space so a gigantic report raises MemoryError, not swap.

    The cap is what the worker already maps plus `memory_mb`: a forked worker inherits its
    parent's address space (a test runner or a host program can map gigabytes of libraries),
    which a report should not be charged for.
    """
    limit = _address_space_now() + memory_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _die_with_parent() -> None:
    """In a worker: get SIGKILL when juesuan dies, even by SIGKILL (Linux prctl PR_SET_PDEATHSIG)."""
    # Not Linux (no prctl): the worker finishes its one report and exits.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)


def _pool_context() -> Any:
    # fork: a worker starts at once with the modules already loaded (Linux); spawn elsewhere.
    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")


def _serve(conn: Connection, memory_mb: int) -> None:
    """In a worker process: parse the reports sent, one at a time, sending back each outcome.

    A worker that ran out of memory exits after answering: the next report gets a fresh one.
    """
    _die_with_parent()
    _cap_memory(memory_mb)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        files, limits = task
        try:
            result: tuple[str, Any] = ("ok", parse_one(files, limits, memory_mb))
        except BaseException as exc:  # a bug: the parent raises it, as the in-process run would
            result = ("raise", exc if _picklable(exc) else RuntimeError(traceback.format_exc()))
        try:
            conn.send(result)
        except MemoryError:
            result = ("ok", Outcome(files, reason=memory_limit_reason(memory_mb), cacheable=False))
            conn.send(result)
        if result[0] == "ok" and result[1].reason == memory_limit_reason(memory_mb):
            return


def _picklable(exc: BaseException) -> bool:
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:
        return False
    return True


@dataclass(slots=True)
class _Worker:
    process: Any
    conn: Connection
    index: int = -1  # the report it is parsing, -1 when idle
    files: ReportFiles | None = None
    deadline: float = 0.0


class LocalPool:
    """Parse up to `jobs` reports at a time in worker processes, each report under a time and memory limit.

    The parent always knows which report each worker holds, so a report that hangs is killed
    with its worker (a new worker takes the next report), a gigantic one hits the address-space
    cap (RLIMIT_AS) and raises MemoryError, and a worker that dies is that report's failure only.
    Workers parse one report after another, keeping what the readers load once (CMaps, fonts).
    """

    def __init__(self, jobs: int, time_limit: float = DEFAULT_TIME_LIMIT, memory_mb: int = DEFAULT_MEMORY_LIMIT) -> None:
        self.jobs = max(1, jobs)
        self.time_limit = time_limit
        self.memory_mb = memory_mb
        self._workers: list[_Worker] = []
        # Load the readers here, once: every forked worker then starts with them loaded.
        import juesuan.pipeline  # noqa: F401

    def _start(self) -> _Worker:
        ctx = _pool_context()
        parent, child = ctx.Pipe(duplex=True)
        process = ctx.Process(target=_serve, args=(child, self.memory_mb), daemon=True)
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self._workers.append(worker)
        return worker

    def _retire(self, worker: _Worker, kill: bool) -> None:
        if kill:
            worker.process.kill()
        worker.process.join()
        worker.conn.close()
        self._workers.remove(worker)

    def map(self, groups: Sequence[ReportFiles], limits: InputLimits) -> Iterator[Outcome]:
        """Yield one outcome per group, in the order given, whatever order the workers finish in."""
        waiting = list(enumerate(groups))[::-1]
        done: dict[int, Outcome] = {}
        following = 0
        while following < len(groups):
            while waiting:
                idle = next((w for w in self._workers if w.index < 0), None)
                if idle is None and len(self._workers) < self.jobs:
                    idle = self._start()
                if idle is None:
                    break
                idle.index, idle.files = waiting.pop()
                idle.deadline = time.monotonic() + self.time_limit
                idle.conn.send((idle.files, limits))
            busy = [w for w in self._workers if w.index >= 0]
            nearest = min(w.deadline for w in busy)
            wait([h for w in busy for h in (w.conn, w.process.sentinel)], timeout=max(0.0, nearest - time.monotonic()))
            for worker in busy:
                index = worker.index
                outcome = self._collect(worker)
                if outcome is not None:
                    done[index] = outcome
            while following in done:
                yield done.pop(following)
                following += 1

    def _collect(self, worker: _Worker) -> Outcome | None:
        """Return the outcome of a worker's report when it answered, died or ran over time; None while it works."""
        files = worker.files
        assert files is not None
        alive = worker.process.is_alive()  # before poll: a worker that exited has sent all it will
        if worker.conn.poll():
            try:
                kind, value = worker.conn.recv()
            except (EOFError, OSError):
                kind, value = "died", None
            if kind == "raise":
                self.close()
                raise value
            if kind == "ok":
                worker.index, worker.files = -1, None
                if not value.cacheable:  # out of memory: that worker exits, the next report gets a new one
                    self._retire(worker, kill=False)
                return value  # type: ignore[no-any-return]
            alive = False
        if not alive:
            self._retire(worker, kill=True)
            return Outcome(files, reason=_died_reason(worker.process.exitcode, self.memory_mb), cacheable=False)
        if time.monotonic() >= worker.deadline:
            self._retire(worker, kill=True)
            return Outcome(files, reason=time_limit_reason(self.time_limit), cacheable=False)
        return None

    def close(self) -> None:
        """Stop the workers: idle ones are told to exit, busy ones (an interrupted run) are killed."""
        for worker in list(self._workers):
            if worker.index < 0:
                with contextlib.suppress(OSError):
                    worker.conn.send(None)
            self._retire(worker, kill=worker.index >= 0)


def _died_reason(exitcode: int | None, memory_mb: int) -> str:
    how = f"signal {-exitcode}" if exitcode is not None and exitcode < 0 else f"exit code {exitcode}"
    return f"the worker parsing it died ({how}); if it needed more than {memory_mb} MB, raise --memory-limit"


def _watched(files: ReportFiles, limits: InputLimits, time_limit: float) -> Outcome:
    """On a Dask worker: parse in a thread and give up after time_limit (the thread is abandoned)."""
    box: list[Outcome] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            box.append(parse_one(files, limits))
        except BaseException as exc:  # re-raised in the task below
            failure.append(exc)

    thread = threading.Thread(target=run, name=f"juesuan-parse-{files.paths[0].name}", daemon=True)
    thread.start()
    thread.join(time_limit)
    if thread.is_alive():
        return Outcome(files, reason=time_limit_reason(time_limit), cacheable=False)
    if failure:
        raise failure[0]
    return box[0]


class DaskExecutor:
    """Parse on a Dask distributed cluster (a scheduler address, or a Client/LocalCluster given)."""

    def __init__(self, scheduler: Any, time_limit: float = DEFAULT_TIME_LIMIT) -> None:
        from distributed import Client

        self.time_limit = time_limit
        self._own = not isinstance(scheduler, Client)
        try:
            self.client = Client(scheduler, timeout=DASK_CONNECT_SECONDS) if self._own else scheduler
        except (OSError, TimeoutError, ValueError) as exc:
            raise EnvironmentProblem(
                f"error: cannot reach the Dask scheduler at {scheduler} ({exc}); start it (`dask scheduler`) or leave out --scheduler"
            ) from None

    def map(self, groups: Sequence[ReportFiles], limits: InputLimits) -> Iterator[Outcome]:
        """Yield one outcome per group, in the order given."""
        from distributed.client import FutureCancelledError
        from distributed.scheduler import KilledWorker

        # Absolute paths: a worker runs in a folder of its own (the files must be at the same paths there).
        # pure=False: the same files parsed twice are two tasks (a file may have changed on disk).
        futures = [
            self.client.submit(_watched, ReportFiles(tuple(p.absolute() for p in g.paths)), limits, self.time_limit, pure=False)
            for g in groups
        ]
        try:
            for group, future in zip(groups, futures, strict=True):
                try:
                    yield future.result()
                except (KilledWorker, FutureCancelledError) as exc:
                    yield Outcome(group, reason=f"the Dask worker parsing it died ({type(exc).__name__}); "
                                  "if it ran out of memory, raise the workers' --memory-limit", cacheable=False)
        finally:
            self.client.cancel(futures)

    def close(self) -> None:
        """Disconnect from the scheduler (a Client passed in is left open)."""
        if self._own:
            self.client.close()


def make_executor(jobs: int | None = None, time_limit: float | None = None, memory_mb: int | None = None,
                  scheduler: str | None = None) -> Executor:
    """Return the executor the command line asks for (default: a pool over every core).

    `-j 1` with no limit given runs in this process; a limit given with `-j 1` runs one worker,
    so the limit holds.
    """
    if scheduler:
        return DaskExecutor(scheduler, time_limit or DEFAULT_TIME_LIMIT)
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1 and time_limit is None and memory_mb is None:
        return InProcess()
    return LocalPool(jobs, time_limit or DEFAULT_TIME_LIMIT, memory_mb or DEFAULT_MEMORY_LIMIT)


def run_all(executor: Executor, groups: Sequence[ReportFiles], limits: InputLimits,
            on_done: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Return every outcome in input order, closing the executor even on Ctrl-C or an exception."""
    out: list[Outcome] = []
    try:
        for outcome in executor.map(groups, limits):
            out.append(outcome)
            if on_done is not None:
                on_done(outcome)
    finally:
        executor.close()
    return out
