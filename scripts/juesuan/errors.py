"""Errors about input files (one report fails, the batch goes on) and about the environment."""

from __future__ import annotations

from pathlib import Path


class ReportError(Exception):
    """A report that cannot be read: names the file, the page where known, and what is wrong."""

    def __init__(self, path: Path | str, reason: str, page: int | None = None) -> None:
        self.path = Path(path)
        self.reason = reason
        self.page = page
        where = f"{self.path.name}" + (f" (page {page})" if page is not None else "")
        super().__init__(f"{where}: {reason}")


class EnvironmentProblem(Exception):
    """Something outside the data is wrong (missing tool, unwritable folder); says how to fix it."""


class OutputRefused(Exception):
    """An output path juesuan will not write (a user's folder, a file, locked by another run): one line."""
