"""The whole corpus end to end: one package from text and PDF reports, valid, and a strict site."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from frictionless import Package, system

from juesuan.cli import main
from juesuan.site.build import build_site
from site_helpers import scratch_project

PDFS = [
    "shanghai-putuo-finance-bureau-2024-final",
    "shanghai-putuo-social-work-dept-2024-final",
    "shanghai-putuo-template-2024-final",
]


@pytest.fixture(scope="module")
def package(corpus: Path, fuzhou_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus") / "pkg"
    files = [str(fuzhou_path)] + [str(corpus / f"{stem}.pdf") for stem in PDFS]
    assert main(["data", *files, "--out", str(out)]) == 0
    return out


def test_corpus_package_validates(package: Path) -> None:
    with system.use_context(trusted=True):
        report = Package(str(package / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = list(csv.DictReader((package / "data" / "reports.csv").open(encoding="utf-8")))
    assert {r["report_id"]: (r["input_kind"], r["is_template"]) for r in rows} == {
        "fuzhou-zhihui-fuzhou-center-2024-final": ("text", "false"),
        "shanghai-putuo-finance-bureau-2024-final": ("pdf", "false"),
        "shanghai-putuo-social-work-dept-2024-final": ("pdf", "false"),
        "shanghai-putuo-template-2024-final": ("pdf", "true"),
    }


def test_corpus_site_builds_strictly(package: Path, tmp_path: Path) -> None:
    project = scratch_project(tmp_path / "project")
    site = project / "build" / "site"
    build_site(project, package, site)
    pages = site / "data" / "reports"
    for stem in ["fuzhou-zhihui-fuzhou-center-2024-final", *PDFS]:
        assert (pages / f"{stem}.html").is_file(), stem
    finance = (pages / "shanghai-putuo-finance-bureau-2024-final.html").read_text(encoding="utf-8")
    assert "2946.25" in finance and "上海市普陀区财政局" in finance
