"""Source links of the report page: text export lines (#L<n>) and PDF pages with the cell boxes drawn."""

from __future__ import annotations

import re
from pathlib import Path

from juesuan.site.htmlkit import Sources
from juesuan.site.sourcepage import text_page


def _sources(tmp_path: Path, name: str, content: bytes) -> Sources:
    src = tmp_path / "reports"
    src.mkdir()
    (src / name).write_bytes(content)
    sources = Sources(tmp_path / "downloads", src)
    sources.publish({"report_id": "r", "source_file": name}, "某部门 2024年度部门决算")
    return sources


def test_text_page_numbers_every_line_and_escapes_it() -> None:
    page = text_page("第一行\n<b>二</b>\t3982.04\n", "报告", "a.txt")
    assert '<meta charset="utf-8">' in page and 'lang="zh-CN"' in page
    assert re.findall(r'<li id="L(\d+)">', page) == ["1", "2"]
    assert "&lt;b&gt;二&lt;/b&gt;\t3982.04" in page


def test_text_cell_links_to_its_line(tmp_path: Path) -> None:
    sources = _sources(tmp_path, "a.txt", "甲\n乙\n".encode())
    assert (tmp_path / "downloads" / "sources" / "a.txt.html").is_file()
    link = sources.cell_link("r", "3982.04", {"line": 2})
    assert link == '<a class="juesuan-src" href="../downloads/sources/a.txt.html#L2" title="原文第2行">3982.04</a>'
    assert sources.cite("r", [], [2, 3]) == '<a href="../downloads/sources/a.txt.html#L2">第2–3行</a>'


def test_pdf_cell_links_to_its_page_and_its_row_is_drawn_at_its_box(tmp_path: Path) -> None:
    sources = _sources(tmp_path, "b.pdf", b"%PDF-1.4\n")
    cells = [
        {"table": "03", "row": 1, "col": 3, "page": 8, "x0": 100.0, "top": 200.0, "x1": 160.0, "bottom": 216.0,
         "raw": "264.87", "item": "合计", "measure": "本年支出合计"},
        {"table": "03", "row": 2, "col": 3, "page": 8, "x0": 100.0, "top": 216.0, "x1": 160.0, "bottom": 232.0,
         "raw": "1.00", "item": "201", "measure": "本年支出合计"},
        {"table": "01", "row": 1, "col": 2, "page": 5, "x0": None, "top": None, "x1": None, "bottom": None, "raw": "9"},
    ]
    sources.publish_cell_maps({"report_id": "r"}, cells)
    link = sources.cell_link("r", "264.87", cells[0])
    assert link == '<a class="juesuan-src" href="../downloads/sources/b.pdf#page=8" title="原文第8页">264.87</a>'
    assert sources.row_map_href("r", 8, "03", 1, 3) == "../downloads/sources/b.pdf.p8.html#r-03-1-3"
    assert sources.row_map_href("r", 5, "01", 1, 2) is None  # no stored box on page 5: no diagram
    page = (tmp_path / "downloads" / "sources" / "b.pdf.p8.html").read_text(encoding="utf-8")
    row = re.search(r'<g id="r-03-1-3">(.*?)</g></g>', page)
    assert row and '<rect x="100.0" y="200.0" width="60.0" height="16.0"/>' in row.group(1)
    assert 'href="b.pdf#page=8"' in page and "不是原文图像" in page


def test_pdf_cell_map_draws_the_boxes_over_the_page_image(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = tmp_path / "c.pdf"
    c = canvas.Canvas(str(pdf), pagesize=A4)
    c.drawString(100, A4[1] - 214, "264.87")  # top-left coordinates: the box of the cell below
    c.showPage()
    c.drawString(100, 100, "page two")
    c.save()
    sources = _sources(tmp_path, "c.pdf", pdf.read_bytes())
    cell = {"table": "03", "row": 1, "col": 3, "page": 1, "x0": 98.0, "top": 202.0, "x1": 140.0, "bottom": 216.0,
            "raw": "264.87", "item": "合计", "measure": "本年支出合计"}
    sources.publish_cell_maps({"report_id": "r"}, [cell])
    out = tmp_path / "downloads" / "sources"
    png = (out / "c.pdf.p1.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (round(A4[0] * 1.5), round(A4[1] * 1.5))  # 1.5 px a point: the boxes' scale
    assert not (out / "c.pdf.p2.png").exists()  # no boxes on page 2: no image
    page = (out / "c.pdf.p1.html").read_text(encoding="utf-8")
    assert f'<image href="c.pdf.p1.png" x="0" y="0" width="{A4[0]:.1f}" height="{A4[1]:.1f}"' in page
    assert '<g id="r-03-1-3">' in page and '<rect x="98.0" y="202.0" width="42.0" height="14.0"/>' in page
    assert "原文图像" in page and "不是原文图像" not in page
    assert sources.files == [out / "c.pdf", out / "c.pdf.p1.png", out / "c.pdf.p1.html"]
