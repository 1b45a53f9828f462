"""Progress bars on the long steps and a summary at the end, on a terminal only.

Off a terminal (a pipe, CI, a test) nothing is shown: the run prints only its one-line
messages. Stage times are kept either way, so the summary can be shown or measured.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

STAGE_TITLES = {"parse": "parsing reports", "package": "writing the data package",
                "pages": "writing the pages", "mkdocs": "building the site (mkdocs)",
                "search": "indexing for search (pagefind)"}


@dataclass
class Run:
    """What one command did: stage times, reports read, cached and failed; shows them on a terminal."""

    show: bool = field(default_factory=lambda: sys.stderr.isatty())
    times: dict[str, float] = field(default_factory=dict)
    read: int = 0
    cached: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    _progress: Any = None

    def _bars(self) -> Any:
        if self._progress is None:
            from rich import progress as bar
            from rich.console import Console

            self._progress = bar.Progress(
                bar.SpinnerColumn(), bar.TextColumn("{task.description}"), bar.BarColumn(), bar.MofNCompleteColumn(),
                bar.TimeElapsedColumn(), console=Console(stderr=True),
            )
            self._progress.start()
        return self._progress

    @contextmanager
    def stage(self, name: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
        """Time a stage, with a bar of `total` steps (a spinner when None); yield advance(n)."""
        start = time.perf_counter()
        advance: Callable[[int], None] = _nothing
        task = None
        if self.show:
            bars = self._bars()
            task = bars.add_task(STAGE_TITLES.get(name, name), total=total)

            def advance(n: int = 1) -> None:
                bars.advance(task, n)

        try:
            yield advance
        finally:
            self.times[name] = self.times.get(name, 0.0) + time.perf_counter() - start
            if task is not None:
                bars.update(task, completed=total if total is not None else 1, total=total if total is not None else 1)

    def finish(self) -> None:
        """Stop the bars and, on a terminal, print the summary table."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
        if not self.show:
            if os.environ.get("JUESUAN_TIMINGS") == "1":  # for logs and benchmarks: one line a stage
                for stage, seconds in self.times.items():
                    print(f"juesuan: time: {STAGE_TITLES.get(stage, stage)}: {seconds:.1f} s", file=sys.stderr)
            return
        from rich.console import Console
        from rich.table import Table

        table = Table(title="juesuan", show_header=True)
        table.add_column("")
        table.add_column("", justify="right")
        table.add_row("reports read", str(self.read))
        table.add_row("from the cache", str(self.cached))
        table.add_row("failed", str(len(self.failed)))
        for name, reason in self.failed:
            table.add_row(f"  {name}", reason)
        for stage, seconds in self.times.items():
            table.add_row(f"time: {STAGE_TITLES.get(stage, stage)}", f"{seconds:.1f} s")
        Console(stderr=True).print(table)


def _nothing(_n: int = 1) -> None:
    pass
