"""The GitHub Pages workflow lints clean with actionlint and builds for the Pages address."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from site_helpers import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"
# actionlint is installed into the virtualenv beside python (pyproject's test extra).
ACTIONLINT = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which("actionlint")

pytestmark = pytest.mark.skipif(ACTIONLINT is None, reason="actionlint not installed (pip install -e '.[test]')")


def _lint(folder: Path) -> subprocess.CompletedProcess[str]:
    files = sorted(str(p) for p in (folder / ".github" / "workflows").glob("*.yml"))
    return subprocess.run([str(ACTIONLINT), "-no-color", *files], cwd=folder, capture_output=True, text=True)


def test_workflows_lint_clean() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    """The linter really reads the file: a step output that does not exist is an error."""
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    text = WORKFLOW.read_text(encoding="utf-8").replace("steps.pages.outputs.base_url", "steps.pagez.outputs.base_url")
    (tmp_path / ".github" / "workflows" / "pages.yml").write_text(text, encoding="utf-8")
    result = _lint(tmp_path)
    assert result.returncode != 0 and "pagez" in result.stdout


def test_pages_workflow_publishes_for_the_pages_address() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "uses: actions/configure-pages@" in text
    assert "JUESUAN_SITE_URL: ${{ steps.pages.outputs.base_url }}/" in text
    assert "run: make publish" in text  # make publish refuses to build without JUESUAN_SITE_URL
    assert "uses: actions/upload-pages-artifact@" in text and "path: build/site" in text
    assert "uses: actions/deploy-pages@" in text
