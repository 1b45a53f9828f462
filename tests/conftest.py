"""Shared fixtures: the bundled Fuzhou report, the corpus (skipped where absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from juesuan.model import ReportData
from juesuan.pipeline import parse_report

# Every run draws the same examples (derandomized: a red run reproduces, a green one means the
# same thing each time), with no per-example deadline and no "too slow" health checks, which
# fail on a loaded 2-core machine while the test itself is fine. HYPOTHESIS_PROFILE=explore
# draws new random examples locally, to look for failures the fixed ones miss.
_SLOW_MACHINE = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
settings.register_profile("ci", derandomize=True, deadline=None, suppress_health_check=_SLOW_MACHINE, print_blob=True)
settings.register_profile("explore", deadline=None, suppress_health_check=_SLOW_MACHINE, max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

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
