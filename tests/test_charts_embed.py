"""Every chart: stable id, standalone embed page, CSV/ZIP of the values drawn, dated copies, XLSX."""

from __future__ import annotations

import copy
import csv
import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from _site_package import REPORT_ID, build_rows
from juesuan.fields import RESOURCES, PackageInfo
from juesuan.site import charts, embed, frozen, workbooks, xlsx
from juesuan.site.build import build_site
from juesuan.site.load import load_package
from juesuan.site.pages import write_pages
from site_helpers import scratch_project

OTHER_ID = "aaa-other-dept-2024-final"  # sorts before REPORT_ID: the report order changes
DAY1, DAY2, DAY3 = "1767225600", "1767312000", "1767398400"  # 2026-01-01, -02, -03 UTC
KINDS = ("income", "expenditure", "basic", "three-public", "performance")


def write_package(dst: Path, reports: dict[str, str], bump_three_public: str | None = None) -> Path:
    """Write a package with one copy of the fixture report per id (id → department).

    `bump_three_public` names a report whose 公务接待费 is 1.00 万元 higher: one chart changed.
    """
    base = build_rows()
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in base}
    for rid, department in reports.items():
        for name, table in base.items():
            for r in table:
                if r.get("report_id") not in (None, REPORT_ID):
                    continue
                r2 = copy.deepcopy(r)
                if "report_id" in r2:
                    r2["report_id"] = rid
                elif rid != next(iter(reports)):
                    continue  # catalogue rows (no report_id) once
                if name == "reports":
                    r2["department"] = department
                if name == "three_public" and rid == bump_three_public and r2["item"] in ("reception", "total"):
                    r2["actual"] = str(Decimal(r2["actual"]) + 1)
                rows[name].append(r2)
    (dst / "data").mkdir(parents=True, exist_ok=True)
    resources = []
    for name, res in RESOURCES.items():
        if name not in rows:
            continue
        with (dst / res.path).open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=res.field_names, lineterminator="\n")
            writer.writeheader()
            for r in rows[name]:
                writer.writerow({k: r.get(k, "") for k in res.field_names})
        resources.append({"name": name, "title": res.title, "path": res.path, "format": "csv",
                          "encoding": "utf-8", "schema": res.schema()})
    info = PackageInfo()
    descriptor = {"name": info.name, "title": info.title, "licenses": info.licenses, "resources": resources}
    (dst / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    return dst


def chart_ids(page: str) -> list[str]:
    return re.findall(r'<div class="js-chart[^"]*" data-spec-id="[^"]+" id="([^"]+)"', page)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Pages written for a single-report package, with an archive, on 2026-01-01."""
    tmp = tmp_path_factory.mktemp("charts")
    package = write_package(tmp / "package", {REPORT_ID: "甲单位"})
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", DAY1)
        write_pages(package, tmp / "data", archive_dir=tmp / "archive")
    return tmp / "data"


def test_chart_ids_name_report_and_kind_not_position(tmp_path: Path, built: Path) -> None:
    alone = chart_ids((built / "reports" / f"{REPORT_ID}.md").read_text(encoding="utf-8"))
    assert alone == [f"{REPORT_ID}--{k}" for k in KINDS]
    # Another report before it in every table: the ids of this report's charts stay.
    package = write_package(tmp_path / "package", {OTHER_ID: "乙单位", REPORT_ID: "甲单位"})
    write_pages(package, tmp_path / "data")
    again = chart_ids((tmp_path / "data" / "reports" / f"{REPORT_ID}.md").read_text(encoding="utf-8"))
    other = chart_ids((tmp_path / "data" / "reports" / f"{OTHER_ID}.md").read_text(encoding="utf-8"))
    assert again == alone
    assert other == [f"{OTHER_ID}--{k}" for k in KINDS]


def test_chart_id_does_not_depend_on_drawing_order(built: Path) -> None:
    package = load_package(built.parent / "package")
    made = [charts.three_public(package.rows("three_public")), charts.income_by_source(package.rows("totals"))]
    ids = [charts.chart_id(REPORT_ID, c.key) for c in made]
    assert ids[::-1] == [charts.chart_id(REPORT_ID, c.key) for c in reversed(made)]
    assert ids == [f"{REPORT_ID}--three-public", f"{REPORT_ID}--income"]


def test_report_page_has_permalink_and_toolbar(built: Path) -> None:
    page = (built / "reports" / f"{REPORT_ID}.md").read_text(encoding="utf-8")
    for kind in KINDS:
        cid = f"{REPORT_ID}--{kind}"
        assert f'href="#{cid}"' in page
        bar = page[page.index(f'data-chart-id="{cid}"'):]
        bar = bar[: bar.index("</div>")]
        for label in ("嵌入", "数据", "图片", "引用"):
            assert f"<summary>{label}</summary>" in bar
        assert f"../v/2026-01-01/charts/{cid}.html" in bar
        assert f"../charts/{cid}.csv" in bar and f"../charts/{cid}.zip" in bar


def test_embed_page_is_standalone(built: Path) -> None:
    for page in [*(built / "charts").glob("*.html"), *(built / "v").rglob("*.html")]:
        text = page.read_text(encoding="utf-8")
        assert text.startswith("<!doctype html>")
        assert "md-" not in text and "mkdocs" not in text.lower(), page  # no Material chrome
        assert not re.findall(r"https?://", text), page  # nothing from another host
        srcs = re.findall(r'<script src="([^"]+)"', text)
        assert len(srcs) == 1 and (page.parent / srcs[0]).resolve().is_file(), srcs
        assert re.findall(r"<link[^>]*>", text) == ['<link rel="icon" href="data:,">']  # no favicon request
        assert embed.MESSAGE_TYPE in text and "postMessage" in text
        assert "来源：甲单位《甲单位2024年度部门决算》（2024年度）" in text
        assert f"reports/{REPORT_ID}.html#" in text


def _spec(page: str) -> dict[str, Any]:
    m = re.search(r'<script type="application/json" id="spec">(.*?)</script>', page, re.S)
    assert m
    return json.loads(m.group(1))[0]


def _csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_chart_csv_equals_numbers_in_figure(built: Path) -> None:
    for kind in KINDS:
        cid = f"{REPORT_ID}--{kind}"
        spec = _spec((built / "charts" / f"{cid}.html").read_text(encoding="utf-8"))
        drawn = sorted((hover, Decimal(repr(x))) for t in spec["data"] for hover, x in
                       zip(t["customdata"], t["x"], strict=True))
        rows = _csv((built / "charts" / f"{cid}.csv").read_bytes())
        assert rows[0] == embed.CSV_HEADER
        in_csv = sorted((r[0], Decimal(r[2] or "0")) for r in rows[1:])
        assert in_csv == drawn, kind
        units = {r[3] for r in rows[1:]}
        assert units == ({"%", "分"} if kind == "performance" else {"万元"}), kind


def test_three_public_csv_has_the_printed_values(built: Path) -> None:
    # 表07 of the bundled report (line 253–258): 公务接待费 2.26 … typed in _site_package from the text.
    rows = _csv((built / "charts" / f"{REPORT_ID}--three-public.csv").read_bytes())
    values = {r[0]: r[2] for r in rows[1:]}
    expected = {r["name"]: r["actual"] for r in build_rows()["three_public"] if r["item"] != "total"
                and r["item"] != "vehicles"}
    assert {k: Decimal(v) for k, v in values.items()} == {k: Decimal(v) for k, v in expected.items() if k in values}
    assert values


def test_zip_holds_csv_and_readme(built: Path) -> None:
    cid = f"{REPORT_ID}--three-public"
    with zipfile.ZipFile(built / "charts" / f"{cid}.zip") as zf:
        assert sorted(zf.namelist()) == sorted([f"{cid}.csv", "README.txt"])
        assert zf.read(f"{cid}.csv") == (built / "charts" / f"{cid}.csv").read_bytes()
        readme = zf.read("README.txt").decode("utf-8")
    for needle in ("来源：甲单位《甲单位2024年度部门决算》", "公开07表", "版本日期：2026-01-01",
                   "许可：Creative Commons", "口径", "万元"):
        assert needle in readme, needle


def _archive_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_rebuild_keeps_old_copies_and_adds_only_changed_charts(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "archive"
    reports = {OTHER_ID: "乙单位", REPORT_ID: "甲单位"}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DAY1)
    write_pages(write_package(tmp_path / "p1", reports), tmp_path / "data", archive_dir=archive)
    first = _archive_files(archive / "v")
    dated = {k for k in first if k.startswith("2026-01-01/")}
    assert len(dated) == 2 * len(KINDS) * 3  # html, csv, zip per chart

    monkeypatch.setenv("SOURCE_DATE_EPOCH", DAY2)
    write_pages(write_package(tmp_path / "p2", reports, bump_three_public=OTHER_ID), tmp_path / "data",
                archive_dir=archive)
    second = _archive_files(archive / "v")
    for name in dated:
        assert second[name] == first[name], name  # old dated copies byte-identical
    added = sorted(k for k in second if k not in first)
    cid = f"{OTHER_ID}--three-public"
    assert added == [f"2026-01-02/charts/{cid}{s}" for s in (".csv", ".html", ".zip")]
    manifest = json.loads(second["manifest.json"])
    assert [v["version"] for v in manifest[cid]] == ["2026-01-01", "2026-01-02"]
    assert [v["version"] for v in manifest[f"{REPORT_ID}--three-public"]] == ["2026-01-01"]
    # The generated site serves both copies, and the report page cites the new one.
    site = tmp_path / "data"
    assert (site / "v" / "2026-01-01" / "charts" / f"{cid}.html").read_bytes() == first[f"2026-01-01/charts/{cid}.html"]
    page = (site / "reports" / f"{OTHER_ID}.md").read_text(encoding="utf-8")
    assert f"../v/2026-01-02/charts/{cid}.html" in page
    assert f"../v/2026-01-01/charts/{REPORT_ID}--income.html" in \
        (site / "reports" / f"{REPORT_ID}.md").read_text(encoding="utf-8")

    # Same data a day later: nothing new.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DAY3)
    write_pages(write_package(tmp_path / "p3", reports, bump_three_public=OTHER_ID), tmp_path / "data",
                archive_dir=archive)
    assert _archive_files(archive / "v") == second


def test_archive_refuses_to_rewrite_a_copy(tmp_path: Path) -> None:
    archive = frozen.Archive(tmp_path)
    archive.put("2026-01-01/charts/x.csv", b"a")
    archive.put("2026-01-01/charts/x.csv", b"a")  # the same bytes again: fine
    with pytest.raises(Exception, match="never rewritten"):
        archive.put("2026-01-01/charts/x.csv", b"b")
    assert (tmp_path / "v" / "2026-01-01" / "charts" / "x.csv").read_bytes() == b"a"


def test_same_day_change_gets_its_own_version(tmp_path: Path) -> None:
    archive = frozen.Archive(tmp_path)

    def render(content: bytes) -> frozen.Render:
        return lambda version: {".csv": content + version.encode()}

    assert archive.freeze({"c": render(b"1")}, "2026-01-01") == {"c": "2026-01-01"}
    assert archive.freeze({"c": render(b"2")}, "2026-01-01") == {"c": "2026-01-01.2"}
    assert archive.freeze({"c": render(b"2")}, "2026-01-01") == {"c": "2026-01-01.2"}
    archive.save()
    again = frozen.Archive(tmp_path)  # the next build reads the saved manifest
    assert again.freeze({"c": render(b"2")}, "2026-01-02") == {"c": "2026-01-01.2"}
    assert (tmp_path / "v" / "2026-01-01" / "charts" / "c.csv").read_bytes() == b"12026-01-01"


def test_publish_date_from_source_date_epoch() -> None:
    assert frozen.publish_date({"SOURCE_DATE_EPOCH": DAY2}) == "2026-01-02"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", frozen.publish_date({}))
    with pytest.raises(Exception, match="SOURCE_DATE_EPOCH"):
        frozen.publish_date({"SOURCE_DATE_EPOCH": "yesterday"})


def test_xlsx_opens_with_numeric_amounts_equal_to_the_csv(built: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    downloads = built / "downloads"
    for path in (downloads / "juesuan-data.xlsx", downloads / "xlsx" / f"{REPORT_ID}.xlsx"):
        book = openpyxl.load_workbook(path)
        res = RESOURCES["three_public"]
        sheet = book[res.title]
        header = [c.value for c in sheet[1]]
        descriptor = json.loads((downloads / "datapackage.json").read_text(encoding="utf-8"))
        fields = next(r for r in descriptor["resources"] if r["name"] == "three_public")["schema"]["fields"]
        assert header == [f["title"] for f in fields]
        assert "决算数（万元）" in header  # the Chinese title from the field dictionary
        col = [f["name"] for f in fields].index("actual")
        values = [row[col].value for row in sheet.iter_rows(min_row=2)]
        assert values and all(isinstance(v, (int, float)) for v in values if v is not None)
        with (downloads / "three_public.csv").open(encoding="utf-8") as fh:
            expected = [Decimal(r["actual"]) for r in csv.DictReader(fh) if r["actual"]]
        assert [Decimal(str(v)) for v in values if v is not None] == expected
        assert len(book.sheetnames) >= 5


def test_report_page_links_its_workbook(built: Path) -> None:
    page = (built / "reports" / f"{REPORT_ID}.md").read_text(encoding="utf-8")
    assert f"../downloads/xlsx/{REPORT_ID}.xlsx" in page
    assert "../downloads/juesuan-data.xlsx" in page
    assert (built / "downloads" / "xlsx" / f"{REPORT_ID}.xlsx").is_file()


def test_site_rebuild_serves_old_dated_copy_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """build/site is rebuilt from scratch; the dated copies come back from site_archive/ byte for byte."""
    project = scratch_project(tmp_path / "project")
    site = project / "build" / "site"
    reports = {OTHER_ID: "乙单位", REPORT_ID: "甲单位"}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DAY1)
    build_site(project, write_package(tmp_path / "p1", reports), site)
    cid = f"{OTHER_ID}--three-public"
    old = site / "data" / "v" / "2026-01-01" / "charts" / f"{cid}.html"
    before = old.read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", DAY2)
    build_site(project, write_package(tmp_path / "p2", reports, bump_three_public=OTHER_ID), site)
    assert old.read_bytes() == before
    assert (site / "data" / "v" / "2026-01-02" / "charts" / f"{cid}.html").is_file()
    assert not (site / "data" / "v" / "2026-01-02" / "charts" / f"{REPORT_ID}--three-public.html").exists()
    assert (project / frozen.ARCHIVE_DIR / "v" / "manifest.json").is_file()


def test_xlsx_text_is_never_a_formula_and_long_sheets_split(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)  # two data rows per sheet
    rows = [["=100%", Decimal("-1.20"), True], ["+1", 7, None], ["a<b&c", Decimal("0.00"), False]]
    xlsx.write_xlsx(tmp_path / "t.xlsx", {"绩效指标": (["指标值", "金额（万元）", "是否"], rows)})
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert book.sheetnames == ["绩效指标", "绩效指标 (2)"]
    first = book["绩效指标"]
    assert first["A2"].value == "=100%" and first["A2"].data_type == "s"
    assert first["B2"].value == -1.2 and first["B2"].data_type == "n"
    assert first["C2"].value is True and first["A3"].value == "+1" and first["C3"].value is None
    second = book["绩效指标 (2)"]
    assert [c.value for c in second[1]] == ["指标值", "金额（万元）", "是否"]
    assert [c.value for c in second[2]] == ["a<b&c", 0, False]
    again = tmp_path / "u.xlsx"
    xlsx.write_xlsx(again, {"绩效指标": (["指标值", "金额（万元）", "是否"], rows)})
    assert again.read_bytes() == (tmp_path / "t.xlsx").read_bytes()  # reproducible


def test_text_alternative_is_generated_from_the_values_drawn(built: Path) -> None:
    page = (built / "reports" / f"{REPORT_ID}.md").read_text(encoding="utf-8")
    cid = f"{REPORT_ID}--three-public"
    label = re.search(rf'id="{re.escape(cid)}" role="img" aria-label="([^"]+)"', page)
    assert label, cid
    rows = _csv((built / "charts" / f"{cid}.csv").read_bytes())[1:]
    assert rows
    for category, series, value, unit in rows:
        if value:
            assert f"{category} {value}{unit}" in label.group(1)
        assert series in label.group(1)
    # The data table under the chart is still there.
    assert "juesuan-chart-data" in page[page.index(cid):]


def test_each_report_workbook_holds_its_rows_and_unchanged_ones_are_not_written_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    package = load_package(write_package(tmp_path / "package", {REPORT_ID: "甲单位", OTHER_ID: "乙单位"}))
    downloads = tmp_path / "downloads"
    first = workbooks.write_workbooks(package, downloads)
    title = RESOURCES["line_items"].title
    corpus_rows = list(openpyxl.load_workbook(downloads / xlsx.CORPUS_XLSX)[title].iter_rows(min_row=2, values_only=True))
    for rid in (REPORT_ID, OTHER_ID):
        mine = list(openpyxl.load_workbook(downloads / xlsx.report_xlsx(rid))[title].iter_rows(min_row=2, values_only=True))
        assert mine and mine == [r for r in corpus_rows if r[0] == rid]  # a blank cell keeps its column
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in first}
    zips: list[int] = []
    real = zipfile.ZipFile
    monkeypatch.setattr(zipfile, "ZipFile", lambda *a, **k: zips.append(1) or real(*a, **k))
    assert workbooks.write_workbooks(package, downloads) == first
    assert zips == [] and {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in first} == before
    # A workbook changed behind juesuan's back is written again, the others are left alone.
    target = downloads / xlsx.report_xlsx(OTHER_ID)
    target.write_bytes(b"not a workbook")
    workbooks.write_workbooks(package, downloads)
    assert zips == [1] and target.read_bytes() == before[target][0]
