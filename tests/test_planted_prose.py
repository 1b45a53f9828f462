"""Prose errors planted into copies of the corpus reports are found by the right rule, and only there.

The text export is edited as a file; a PDF's text layer is edited as read (one line of it), and
the rest of the pipeline runs on the edited layer. Unplanted originals give no prose error.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import juesuan.pipeline
from juesuan.model import Finding, RawReport
from juesuan.pipeline import parse_report
from juesuan.read import read_report
from planting import KINDS, plant_lines

BUREAU = "shanghai-putuo-finance-bureau-2024-final.pdf"
# Real errors of the unplanted bureau report, confirmed on p21 (see tests/test_checks.py).
REAL = {"shanghai-putuo-finance-bureau-2024-final": {("prose-share", "一般公共服务支出（类）"),
                                                     ("prose-share-sum", "一般公共预算财政拨款支出")}}
# Which kinds each report's prose offers a place for (the Fuzhou prose prints no 三公 budget).
TEXT_KINDS = ["comparison", "direction", "share", "parts"]
PDF_KINDS = ["comparison", "direction", "share", "parts", "three-public-budget"]


def prose_failures(findings: list[Finding]) -> set[tuple[str, str]]:
    return {(f.rule, f.row) for f in findings if f.rule.startswith("prose-") and f.severity in ("error", "warning")}


def test_unplanted_text_export_has_no_prose_error(fuzhou_path: Path) -> None:
    found = {k for k in prose_failures(parse_report(fuzhou_path).findings) if k[0] != "prose-sme"}
    assert found == set()


@pytest.mark.parametrize("kind", TEXT_KINDS)
def test_planted_in_text_export(tmp_path: Path, fuzhou_path: Path, kind: str) -> None:
    plant, rule = KINDS[kind]
    lines, where = plant_lines(fuzhou_path.read_text(encoding="utf-8").split("\n"), plant)
    assert where is not None, f"{kind}: no place to plant it in {fuzhou_path.name}"
    out = tmp_path / fuzhou_path.name
    out.write_text("\n".join(lines), encoding="utf-8")
    before = prose_failures(parse_report(fuzhou_path).findings)
    new = prose_failures(parse_report(out).findings) - before
    assert rule in {r for r, _ in new}, (kind, lines[where], new)


def _planted_pdf(path: Path, kind: str, monkeypatch: pytest.MonkeyPatch) -> tuple[set[tuple[str, str]], str]:
    raw: RawReport = read_report(path)
    texts, where = plant_lines([tl.text for tl in raw.lines], KINDS[kind][0])
    assert where is not None, f"{kind}: no place to plant it in {path.name}"
    raw.lines[where] = type(raw.lines[where])(texts[where], page=raw.lines[where].page, line=raw.lines[where].line)
    monkeypatch.setattr(juesuan.pipeline, "read_report", lambda *_a, **_k: raw)
    return prose_failures(parse_report(path).findings), texts[where]


@pytest.mark.corpus
@pytest.mark.parametrize("kind", PDF_KINDS)
def test_planted_in_pdf_text_layer(corpus: Path, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = corpus / BUREAU
    original = prose_failures(parse_report(path).findings)
    assert {k for k in original if k[0] != "prose-sme"} == REAL[path.stem]
    found, line = _planted_pdf(path, kind, monkeypatch)
    assert KINDS[kind][1] in {r for r, _ in found - original}, (kind, line, found - original)
