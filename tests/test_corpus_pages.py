"""The corpus pages: home table, department pages, comparisons; the rule catalogue; the site reads only the package.

Expected amounts come from the hand-verified truth files (the 决算 key figures, the budgets'
printed 支出合计) and from the text export's own line, never from parser output.
"""

from __future__ import annotations

import ast
import html
import json
import re
from decimal import Decimal
from pathlib import Path

import plotly.graph_objects as go
import pytest

from juesuan.checks import RULES
from juesuan.cli import main
from juesuan.site.build import build_site
from juesuan.site.corpus_pages import corpus_pages, home_snippet
from juesuan.site.corpus_summary import department_slug, summarize
from juesuan.site.load import Package, load_package
from site_helpers import ROOT, build_fixture_site, scratch_project

TRUTH = ROOT / "tests" / "truth"
FINALS = ["shanghai-putuo-finance-bureau-2024-final", "shanghai-putuo-social-work-dept-2024-final",
          "shanghai-putuo-template-2024-final"]
_CELL = re.compile(r"<t[dh][^>]*>(.*?)</t[dh]>", re.S)


def _rows(table_html: str) -> list[list[str]]:
    """Return the text of every body row's cells."""
    body = table_html.split("<tbody>", 1)[1]
    return [[html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in _CELL.findall(tr)]
            for tr in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def _home_table(site: Path) -> str:
    text = (site / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<table data-corpus-table>.*?</table>', text, re.S)
    assert found, "no corpus table on the home page"
    return found.group(0)


def _wan(printed: str, unit: str) -> Decimal:
    """Return a printed amount in 万元, exactly."""
    value = Decimal(printed.replace(",", ""))
    return value / 10000 if unit == "元" else value


def _expected_expenditure(corpus: Path) -> dict[str, Decimal]:
    """Return 支出合计 per source file, typed by hand (truth files) or printed on the text export's line."""
    out: dict[str, Decimal] = {}
    for path in (corpus / "truth").glob("*.cells.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        out[data["file"]] = Decimal(data["key_figures"]["01.本年支出合计"])
    social = json.loads((TRUTH / "shanghai-putuo-social-work-dept-2024-final.cells.json").read_text(encoding="utf-8"))
    out[social["file"]] = Decimal(social["key_figures"]["01.本年支出合计"])
    for path in (TRUTH / "budgets").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        for fig in data["figures"]:
            if fig["key"] == "expenditure_total":
                out[data["file"]] = _wan(fig["printed"], fig["unit"])
    line = next(x for x in (corpus / "fuzhou-zhihui-fuzhou-center-2024-final.txt").read_text(encoding="utf-8").splitlines()
                if x.startswith("本年收入合计\t"))
    cells = line.split("\t")
    out["fuzhou-zhihui-fuzhou-center-2024-final.txt"] = Decimal(cells[cells.index("本年支出合计") + 1])
    return out


@pytest.fixture(scope="module")
def corpus_package(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus-pages") / "pkg"
    files = [corpus / "fuzhou-zhihui-fuzhou-center-2024-final.txt", *(corpus / f"{s}.pdf" for s in FINALS),
             *sorted((corpus / "budgets").glob("*.pdf"))]
    assert main(["data", *map(str, files), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def corpus_site(corpus_package: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = scratch_project(tmp_path_factory.mktemp("corpus-site") / "project")
    site = project / "build" / "site"
    build_site(project, corpus_package, site)
    return site


def test_home_table_has_one_row_per_report_with_its_expenditure(corpus: Path, corpus_package: Path, corpus_site: Path) -> None:
    package = load_package(corpus_package)
    reports = {r["report_id"]: r for r in package.rows("reports")}
    rows = _home_table(corpus_site).split("<tbody>", 1)[1]
    links = re.findall(r'href="data/reports/([^"]+)\.html"', rows)
    assert sorted(links) == sorted(reports)
    expected = _expected_expenditure(corpus)
    by_link = dict(zip(links, _rows(_home_table(corpus_site)), strict=True))
    checked = 0
    for rid, cells in by_link.items():
        source = reports[rid]["source_file"]
        if reports[rid]["is_template"]:
            assert cells[3] == "空白模板" and cells[5] == "—"
            continue
        assert source in expected, f"no hand-typed 支出合计 for {source}"
        assert Decimal(cells[5]) == expected[source], rid
        checked += 1
    assert checked == len(reports) - 1 == 12


def test_department_pages_group_years_and_kinds(corpus_package: Path, corpus_site: Path) -> None:
    slug = department_slug("上海市普陀区", "上海市普陀区财政局")
    page = corpus_site / "data" / "departments" / f"{slug}.html"
    assert page.is_file(), sorted(p.name for p in page.parent.iterdir())
    text = page.read_text(encoding="utf-8")
    # Its 2024 决算 and 2025 预算, each linked; budget and final charted side by side.
    assert 'href="../reports/shanghai-putuo-finance-bureau-2024-final.html"' in text
    assert 'href="../reports/sh-putuo-finance-2025-dept-budget.html"' in text
    assert 'data-spec-id="chart-' + slug + '-totals-by-year"' in text
    assert '"name":"预算"' in text and '"name":"决算"' in text
    # One page per department: the 部门预算 and 单位预算 of the 区政府办公室 share one.
    names = [p.stem for p in (corpus_site / "data" / "departments").glob("*.html") if p.stem != "index"]
    package = load_package(corpus_package)
    departments = {(r["region"], r["department"]) for r in package.rows("reports") if not r["is_template"]}
    assert sorted(names) == sorted(department_slug(*d) for d in departments)
    # 福州 1; 江苏 政协、人大、省委办公厅 3; 普陀 财政局、区府办、司法局、万里街道、社会工作部 5.
    assert len(names) == 9


def test_department_slugs_are_stable_and_collision_safe(corpus_package: Path) -> None:
    full = load_package(corpus_package)
    alone = Package.from_rows(full.path, full.descriptor,
                              {name: [r for r in full.rows(name) if r.get("report_id", "shanghai-putuo-finance-bureau-2024-final")
                                      == "shanghai-putuo-finance-bureau-2024-final"] for name in full.names()})
    slug = department_slug("上海市普陀区", "上海市普陀区财政局")
    # Adding every other report does not move the department's URL.
    assert f"departments/{slug}.md" in corpus_pages(alone)
    assert f"departments/{slug}.md" in corpus_pages(full)
    assert re.fullmatch(r"shanghaishiputuoqucaizhengju-[0-9a-f]{6}", slug)
    # Homophones (same pinyin) and the same name in another region get URLs of their own.
    assert department_slug("上海市普陀区", "上海市普陀区材政局") != slug
    assert department_slug("上海市", "上海市普陀区财政局") != slug


def test_comparison_page_ranks_by_expenditure(corpus: Path, corpus_site: Path) -> None:
    compare = corpus_site / "data" / "compare"
    final = next(compare.glob("shanghaishiputuoqu-*-2024-final.html")).read_text(encoding="utf-8")
    social = json.loads((TRUTH / "shanghai-putuo-social-work-dept-2024-final.cells.json").read_text(encoding="utf-8"))["key_figures"]
    finance = json.loads((corpus / "truth" / "shanghai-putuo-finance-bureau-2024-final.cells.json")
                         .read_text(encoding="utf-8"))["key_figures"]
    section = final.split('id="expenditure"', 1)[1].split("<h2", 1)[0]
    table = re.search(r"<table>.*?</table>", section, re.S)
    assert table
    assert _rows(table.group(0)) == [["1", "上海市普陀区财政局", "部门", finance["01.本年支出合计"]],
                                     ["2", "中共上海市普陀区委社会工作部", "部门", social["01.本年支出合计"]]]
    # 人员经费占比 from 表06's printed 人员经费合计 / 公用经费合计.
    shares = final.split('id="personnel-share"', 1)[1].split("<h2", 1)[0]
    for figures in (finance, social):
        p, c = Decimal(figures["06.人员经费合计"]), Decimal(figures["06.公用经费合计"])
        assert f"{(p / (p + c) * 100).quantize(Decimal('0.01'))}%" in shares
    assert "“单位”报告只含一个单位" in final and "金额单位一律为万元" in final
    # The 2025 budgets compare among themselves: the 区政府办公室's two reports above the 财政局.
    budget = next(compare.glob("shanghaishiputuoqu-*-2025-budget.html")).read_text(encoding="utf-8")
    ranked = _rows(re.search(r"<table>.*?</table>", budget.split('id="expenditure"', 1)[1], re.S).group(0))  # type: ignore[union-attr]
    assert [r[1] for r in ranked] == ["上海市普陀区人民政府办公室", "上海市普陀区人民政府办公室", "上海市普陀区财政局"]
    assert sorted(r[2] for r in ranked[:2]) == ["单位", "部门"]


def test_single_report_site_has_the_corpus_pages(tmp_path: Path) -> None:
    site = build_fixture_site(tmp_path)
    rows = _rows(_home_table(site))
    assert len(rows) == 1 and rows[0][5] == "3982.04"  # 表01 本年支出合计, typed from the text export
    assert len(list((site / "data" / "departments").glob("*.html"))) == 2  # index + one department
    assert len(list((site / "data" / "compare").glob("*.html"))) == 2
    assert (site / "data" / "assets").is_dir() and "corpus.js" in (site / "index.html").read_text(encoding="utf-8")


def test_a_thousand_reports_keep_the_home_page_light(tmp_path: Path) -> None:
    """The home table grows by one row per report; the charts draw at most MAX_BARS bars."""
    from _site_package import write_fixture_package
    from juesuan.site.corpus_charts import MAX_BARS

    one = load_package(write_fixture_package(tmp_path / "pkg"))
    tables: dict[str, list[dict[str, object]]] = {}
    for name in one.names():
        rows = one.rows(name)
        if rows and "report_id" in rows[0]:
            tables[name] = [{**r, "report_id": f"r{i}", **({"department": f"部门{i}"} if name == "reports" else {})}
                            for i in range(1000) for r in rows]
        else:
            tables[name] = rows
    summaries = summarize(Package.from_rows(one.path, one.descriptor, tables))
    assert len({s.dept_slug for s in summaries}) == 1000
    home = home_snippet(summaries)
    table = home.split('<table data-corpus-table>', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == 1001  # header + one per report
    assert len(home.encode()) < 1000 * 1200  # about 1 kB a row, charts included
    specs = re.findall(r'<script type="application/json" id="[^"]+">(.*?)</script>', home)
    assert len(specs) == 3
    for spec in specs:
        figure = json.loads(spec)[0]
        go.Figure(figure)  # Plotly's validation: the unvalidated specs hold only real properties
        for trace in figure["data"]:
            assert trace["type"] == "bar" and trace["orientation"] == "h" and len(trace["y"]) <= MAX_BARS


def test_department_page_puts_budget_beside_final(tmp_path: Path) -> None:
    """A department with a budget and a final of the same year: both in the chart, the pair's totals in a table."""
    from _site_package import DEPARTMENT, REPORT_ID, write_fixture_package

    one = load_package(write_fixture_package(tmp_path / "pkg"))
    tables = {name: one.rows(name) for name in one.names()}
    budget_id = "fuzhou-zhihui-2024-budget"
    tables["reports"] = [*one.rows("reports"), {**one.rows("reports")[0], "report_id": budget_id, "kind": "部门预算",
                                                "kind_family": "预算", "tables_found": "B03"}]
    tables["line_items"] = [*one.rows("line_items"), *(
        {"report_id": budget_id, "table": "B03", "row": 1, "col": c, "code": "", "item": "合计", "measure_id": m,
         "amount": Decimal(v), "section": ""} for c, m, v in ((2, "total", "4100.5"), (3, "basic", "800"), (4, "project", "3300.5")))]
    tables["budget_vs_final"] = [{"department": DEPARTMENT, "year": 2024, "budget_report_id": budget_id, "final_report_id": REPORT_ID,
                                  "seq": 1, "dimension": "function", "code": "", "name": "合计", "budget": Decimal("3700.00"),
                                  "final": Decimal("3658.44"), "difference": Decimal("-41.56"), "rate": Decimal("98.88")}]
    pages = corpus_pages(Package.from_rows(one.path, one.descriptor, tables))
    page = next(text for path, text in pages.items() if path.startswith("departments/") and "index" not in path)
    assert "## 预算与决算对照" in page and "98.88%" in page and "-41.56" in page
    spec = json.loads(re.search(r'-totals-by-year">(.*?)</script>', page, re.S).group(1))[0]  # type: ignore[union-attr]
    assert {t["name"]: t["x"] for t in spec["data"]} == {"决算": [3982.04], "预算": [4100.5]}


def test_rules_resource_is_the_registry() -> None:
    rows = {r["code"]: r for r in load_package(ROOT / "datapackage").rows("rules")}
    assert list(rows) == list(RULES)
    for code, rule in RULES.items():
        row = rows[code]
        assert row["title"] == rule.title and row["severity"] == rule.failure
        assert row["applies_to"] == ("预算" if rule.tables.startswith("B") else "决算")
        assert rule.title.rstrip("。") in row["explanation"] and re.search(r"[\u4e00-\u9fff]", row["explanation"])


def test_standard_tables_resource_is_the_catalogue() -> None:
    from juesuan.catalog import STANDARD_TABLES
    from juesuan.catalog_budget import BUDGET_TABLES

    rows = load_package(ROOT / "datapackage").rows("standard_tables")
    assert [(r["table"], r["name"], r["kind_family"]) for r in rows] == (
        [(n, t.name, "决算") for n, t in STANDARD_TABLES.items()] + [(n, t.name, "预算") for n, t in BUDGET_TABLES.items()])


def test_site_modules_read_only_the_package() -> None:
    """site/ never imports the checks registry, the field dictionary or the table catalogues: it reads them from the package."""
    for path in (ROOT / "scripts" / "juesuan" / "site").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        bad = {m for m in imported if m.split(".")[:2] in (["juesuan", "checks"], ["juesuan", "fields"], ["juesuan", "catalog"],
                                                            ["juesuan", "catalog_budget"])}
        assert not bad, f"{path.name} imports {sorted(bad)}"
