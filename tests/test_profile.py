"""Department profile: units, duties and work summary, typed by hand from the Fuzhou report."""

from __future__ import annotations

from pathlib import Path

from juesuan.model import RawReport, TextLine
from juesuan.profile import extract_profile
from juesuan.read import read_report

FUZHOU = Path(__file__).resolve().parents[1] / "reports" / "fuzhou-zhihui-fuzhou-center-2024-final.txt"


def test_fuzhou_units_duties_summary() -> None:
    units, duties, summary = extract_profile(read_report(FUZHOU), "fuzhou")
    assert [(u["row"], u["name"], u["nature"], u["staff"], u["line"]) for u in units] == [
        (1, "福州市“智慧福州”管理服务中心（本级）", "财政全额拨款事业单位", 29, 70),
        (2, "福州市市民卡综合数据交换中心", "财政全额拨款事业单位", 6, 71),
    ]
    assert [d["line"] for d in duties] == [47, 49, 51, 53, 55, 57, 59, 61, 63]
    assert duties[0]["text"].startswith("（一）贯彻执行国家、省和市有关智慧城市建设的法规")
    assert duties[8]["text"] == "(九) 承办市委、市政府交办的其他事项。"
    assert summary.startswith("2024年，福州市“智慧福州”管理服务中心部门主要任务是：")
    # Lines 79/81 are one paragraph cut by a page break: joined back.
    assert "陆续上线17项便民惠企应用服务，目进一步优化便民服务质量。" in summary
    assert "(一) 不断提升数字化政务服务水平\n一是持续拓展" in summary
    assert summary.endswith("及时研究整改措施进行反馈。") and "第二部分" not in summary


def test_prose_units_and_paragraph_duties() -> None:
    lines = [TextLine(t, page=4) for t in (
        "一、主要职能", "某局的主要职责是：统筹指导甲工作；指导乙工作。", "二、部门决算单位构成",
        "序号 单位名称 备注", "1 某局（本级）", "2 某局财政所 预算不单列，并入本级", "第二部分",
    )]
    raw = RawReport(source_file=Path("x"), source_sha256="", input_kind="pdf", pages=4, tables=[], lines=lines)
    units, duties, summary = extract_profile(raw, "x")
    assert [(u["name"], u["note"], u["staff"]) for u in units] == [
        ("某局（本级）", "", None), ("某局财政所", "预算不单列，并入本级", None)]
    assert [d["text"] for d in duties] == ["统筹指导甲工作；", "指导乙工作。"]
    assert summary == ""


def test_odd_input_never_raises() -> None:
    warnings: list[str] = []
    raw = RawReport(source_file=Path("x"), source_sha256="", input_kind="pdf", pages=0, tables=[], lines=[])
    assert extract_profile(raw, "x", warnings) == ([], [], "")
    assert warnings == ["no units table (单位名称 header) found"]
