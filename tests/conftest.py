"""Shared fixtures: the bundled Fuzhou report, the corpus (skipped where absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from juesuan.model import ReportData
from juesuan.pipeline import parse_report

# CI runs the same examples every time (a failure there reproduces); locally they vary.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parents[1]
FUZHOU = ROOT / "reports" / "fuzhou-zhihui-fuzhou-center-2024-final.txt"
# JUESUAN_CORPUS points elsewhere (a git worktree has no ../shared beside it).
CORPUS = Path(os.environ.get("JUESUAN_CORPUS") or ROOT.parent / "shared" / "corpus")


@pytest.fixture(scope="session")
def fuzhou_path() -> Path:
    """Return the bundled example report."""
    return FUZHOU


@pytest.fixture(scope="session")
def fuzhou(fuzhou_path: Path) -> ReportData:
    """Return the bundled report parsed once per session."""
    return parse_report(fuzhou_path)


@pytest.fixture(scope="session")
def corpus() -> Path:
    """Return ../shared/corpus, skipping the test where it is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS}: these tests need ../shared/corpus beside the checkout")
    return CORPUS
