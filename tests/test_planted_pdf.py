"""Errors planted into a re-rendered copy of a corpus PDF (tests/pdf_rerender.py) are found by the
right rule, the reader included; the unplanted re-rendering keeps the original's findings.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from juesuan.model import Finding
from juesuan.pipeline import parse_report
from juesuan.read import read_report
from pdf_rerender import rerender
from planting import KINDS

BUREAU = "shanghai-putuo-finance-bureau-2024-final.pdf"
PDF_KINDS = ["placeholder", "alternatives", "empty-reason", "doubled-punctuation", "year", "completion-rate"]


def failures(findings: list[Finding]) -> set[tuple[str, str]]:
    return {(f.rule, f.row) for f in findings if f.severity in ("error", "warning")}


def once(plant: Callable[[str], str]) -> Callable[[str], str]:
    """Return the edit applied to the first line it changes only."""
    done: list[bool] = []

    def edit(text: str) -> str:
        if done:
            return text
        new = plant(text)
        if new != text:
            done.append(True)
        return new

    return edit


@pytest.fixture(scope="module")
def original(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str]]:
    out, _ = rerender(read_report(corpus / BUREAU), tmp_path_factory.mktemp("pdf") / "plain.pdf")
    data = parse_report(out)
    assert sorted(data.tables) == [f"{n:02d}" for n in range(1, 10)]
    return failures(data.findings)


@pytest.mark.corpus
def test_rerendering_keeps_the_findings(corpus: Path, original: set[tuple[str, str]]) -> None:
    assert original == failures(parse_report(corpus / BUREAU).findings)


@pytest.mark.corpus
@pytest.mark.parametrize("kind", PDF_KINDS)
def test_planted_in_a_rerendered_pdf(corpus: Path, tmp_path: Path, original: set[tuple[str, str]], kind: str) -> None:
    plant, rule = KINDS[kind]
    out, changed = rerender(read_report(corpus / BUREAU), tmp_path / f"{kind}.pdf", once(plant))
    assert changed == 1, f"{kind}: no place to plant it in {BUREAU}"
    new = failures(parse_report(out).findings) - original
    assert rule in {r for r, _ in new}, (kind, new)
