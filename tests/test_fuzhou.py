"""Per-document test of the bundled Fuzhou text export: printed values typed in by hand.

Every expected value below was read off the report (reports/fuzhou-…-final.txt), not
copied from the parser's output. Each table is compared as a whole, so a cell missing,
extra or wrong fails the test.
"""

from __future__ import annotations

from decimal import Decimal as D

from juesuan.model import ReportData

ZERO = D("0.00")

T01_INCOME = {
    "一、一般公共预算财政拨款收入": "3658.44",
    "二、政府性基金预算财政拨款收入": "0.00",
    "三、国有资本经营预算财政拨款收入": "0.00",
    "四、上级补助收入": "0.00",
    "五、事业收入": "0.00",
    "六、经营收入": "0.00",
    "七、附属单位上缴收入": "0.00",
    "八、其他收入": "0.00",
    "本年收入合计": "3658.44",
    "使用非财政拨款结余(含专用结余)": "0.00",
    "年初结转和结余": "394.03",
    "总计": "4052.48",
}
# 表01 支出 side: function 类 lines; all not listed here print 0.00.
T01_CLASSES = [
    "一、一般公共服务支出", "二、外交支出", "三、国防支出", "四、公共安全支出", "五、教育支出",
    "六、科学技术支出", "七、文化旅游体育与传媒支出", "八、社会保障和就业支出", "九、卫生健康支出",
    "十、节能环保支出", "十一、城乡社区支出", "十二、农林水支出", "十三、交通运输支出",
    "十四、资源勘探工业信息等支出", "十五、商业服务业等支出", "十六、金融支出", "十七、援助其他地区支出",
    "十八、自然资源海洋气象等支出", "十九、住房保障支出", "二十、粮油物资储备支出",
    "二十一、国有资本经营预算支出", "二十二、灾害防治及应急管理支出", "二十三、其他支出",
    "二十四、债务还本支出", "二十五、债务付息支出", "二十六、抗疫特别国债安排的支出",
]  # fmt: skip
T01_EXPENDITURE_NONZERO = {
    "一、一般公共服务支出": "1471.59",
    "六、科学技术支出": "2316.53",
    "八、社会保障和就业支出": "84.87",
    "十九、住房保障支出": "109.05",
    "本年支出合计": "3982.04",
    "结余分配": "0.00",
    "年末结转和结余": "70.43",
    "总计": "4052.48",
}


def cells(data: ReportData, table: str) -> dict[tuple[str, ...], D | None]:
    """Return {(section, parent, code, item, measure_id): amount} of one table."""
    out: dict[tuple[str, ...], D | None] = {}
    for i in data.line_items:
        if i.table == table:
            key = (i.section, i.parent, i.code, i.item, i.measure_id)
            assert key not in out, f"duplicate cell {key}"
            out[key] = i.amount
    return out


def test_metadata(fuzhou: ReportData) -> None:
    meta = fuzhou.meta
    assert meta.department == "福州市“智慧福州”管理服务中心"
    assert meta.region == "福州市"
    assert meta.year == 2024
    assert meta.kind == "部门决算"
    assert meta.unit == "万元"
    assert meta.report_id == "fuzhou-zhihui-fuzhou-center-2024-final"
    assert meta.input_kind == "text" and meta.pages is None
    assert sorted(fuzhou.tables) == [f"{n:02d}" for n in range(1, 10)]
    assert fuzhou.missing_tables == []


def test_table_01_every_line(fuzhou: ReportData) -> None:
    expected = {("收入", "", "", k, "amount"): D(v) for k, v in T01_INCOME.items()}
    for label in [*T01_CLASSES, "本年支出合计", "结余分配", "年末结转和结余", "总计"]:
        expected[("支出", "", "", label, "amount")] = D(T01_EXPENDITURE_NONZERO.get(label, "0.00"))
    assert cells(fuzhou, "01") == expected


def test_table_04_every_line(fuzhou: ReportData) -> None:
    expected: dict[tuple[str, ...], D | None] = {}
    income = [
        ("", "一、一般公共预算", "3658.44"),
        ("", "二、政府性基金预算", "0.00"),
        ("", "三、国有资本经营预算", "0.00"),
        ("", "本年收入合计", "3658.44"),
        ("", "年初结转和结余", "35.43"),
        ("年初结转和结余", "一般公共预算", "35.43"),
        ("年初结转和结余", "政府性基金预算", "0.00"),
        ("年初结转和结余", "国有资本经营预算", "0.00"),
        ("", "总计", "3693.88"),
    ]
    for parent, label, value in income:
        expected[("收入", parent, "", label, "amount")] = D(value)
    nonzero = {
        "一、一般公共服务支出": ("1147.99", "1147.99"),
        "六、科学技术支出": ("2316.53", "2316.53"),
        "八、社会保障和就业支出": ("84.87", "84.87"),
        "十九、住房保障支出": ("109.05", "109.05"),
        "本年支出合计": ("3658.44", "3658.44"),
        "年末财政拨款结转和结余": ("35.43", "35.43"),
    }
    # 表04 prints 十四 as 资源勘探信息等支出 (01 says 资源勘探工业信息等支出).
    labels = [x.replace("资源勘探工业信息等支出", "资源勘探信息等支出") for x in T01_CLASSES]
    for label in [*labels, "本年支出合计", "年末财政拨款结转和结余"]:
        total, general = nonzero.get(label, ("0.00", "0.00"))
        for measure, value in (("amount", total), ("general", general), ("fund", "0.00"), ("capital", "0.00")):
            expected[("支出", "", "", label, measure)] = D(value)
    # 总计 prints 国有资本经营预算财政拨款 blank.
    for measure, value in (("amount", "3693.88"), ("general", "3693.88"), ("fund", "0.00"), ("capital", None)):
        expected[("支出", "", "", "总计", measure)] = None if value is None else D(value)
    assert cells(fuzhou, "04") == expected


def test_table_04_wrapped_digits_are_joined_and_recorded(fuzhou: ReportData) -> None:
    repaired = {(i.item, i.raw, i.amount) for i in fuzhou.line_items if i.table == "04" and "wrapping" in i.repair}
    assert repaired == {
        ("一、一般公共预算", "3658.4 4", D("3658.44")),
        ("一、一般公共服务支出", "1147.9 9", D("1147.99")),
        ("六、科学技术支出", "2316.5 3", D("2316.53")),
    }
    blank = [i for i in fuzhou.line_items if i.table == "04" and i.blank]
    assert [(i.item, i.measure_id) for i in blank] == [("总计", "capital")]
    # Only these three numbers were broken by the layout (lines 223, 228): only they carry the code.
    joined = {(i.line, i.raw) for i in fuzhou.line_items if "digits-joined" in i.repair_code.split(",")}
    assert joined == {(223, "3658.4 4"), (223, "1147.9 9"), (228, "2316.5 3")}


def test_line_191_printed_intact_is_placed_not_repaired(fuzhou: ReportData) -> None:
    """表03's 合计 row (line 191) prints 3982.04 whole, out of line with its header: mapped in order."""
    row = [i for i in fuzhou.line_items if i.line == 191]
    assert row and {i.repair_code for i in row} == {"mapped-sequentially"}
    assert any(i.raw == "3982.04" and i.measure_id == "total" for i in row)


# (code, name, values…) as printed; 02's first twelve rows print six amounts (其他收入 dropped
# by the export), the five 221 rows print all seven.
T02 = [
    ("", "合计", "3658.44", "3658.44"),
    ("201", "一般公共服务支出", "1147.99", "1147.99"),
    ("20103", "政府办公厅（室）及相关机构事务", "1147.99", "1147.99"),
    ("2010350", "事业运行", "508.68", "508.68"),
    ("2010399", "其他政府办公厅（室）及相关机构事务支出", "639.31", "639.31"),
    ("206", "科学技术支出", "2316.53", "2316.53"),
    ("20605", "科技条件与服务", "2316.53", "2316.53"),
    ("2060503", "科技条件专项", "2316.53", "2316.53"),
    ("208", "社会保障和就业支出", "84.87", "84.87"),
    ("20805", "行政事业单位养老支出", "84.87", "84.87"),
    ("2080505", "机关事业单位基本养老保险缴费支出", "56.46", "56.46"),
    ("2080506", "机关事业单位职业年金缴费支出", "28.41", "28.41"),
    ("221", "住房保障支出", "109.05", "109.05"),
    ("22102", "住房改革支出", "109.05", "109.05"),
    ("2210201", "住房公积金", "51.86", "51.86"),
    ("2210202", "提租补贴", "9.49", "9.49"),
    ("2210203", "购房补贴", "47.69", "47.69"),
]


def test_table_02_every_row(fuzhou: ReportData) -> None:
    expected: dict[tuple[str, ...], D | None] = {}
    for code, name, total, fiscal in T02:
        measures = ["total", "fiscal", "superior_subsidy", "business", "operating", "affiliated"]
        if code.startswith("221"):
            measures.append("other")
        for m in measures:
            expected[("", "", code, name, m)] = D({"total": total, "fiscal": fiscal}.get(m, "0.00"))
    assert cells(fuzhou, "02") == expected


T03 = [
    ("", "合计", "3982.04", "702.61", "3279.44"),
    ("201", "一般公共服务支出", "1471.59", "508.68", "962.91"),
    ("20103", "政府办公厅（室）及相关机构事务", "1471.59", "508.68", "962.91"),
    ("2010350", "事业运行", "508.68", "508.68", "0.00"),
    ("2010399", "其他政府办公厅（室）及相关机构事务支出", "962.91", "0.00", "962.91"),
    ("206", "科学技术支出", "2316.53", "0.00", "2316.53"),
    ("20605", "科技条件与服务", "2316.53", "0.00", "2316.53"),
    ("2060503", "科技条件专项", "2316.53", "0.00", "2316.53"),
    ("208", "社会保障和就业支出", "84.87", "84.87", "0.00"),
    ("20805", "行政事业单位养老支出", "84.87", "84.87", "0.00"),
    ("2080505", "机关事业单位基本养老保险缴费支出", "56.46", "56.46", "0.00"),
    ("2080506", "机关事业单位职业年金缴费支出", "28.41", "28.41", "0.00"),
    ("221", "住房保障支出", "109.05", "109.05", "0.00"),
    ("22102", "住房改革支出", "109.05", "109.05", "0.00"),
    ("2210201", "住房公积金", "51.86", "51.86", "0.00"),
    ("2210202", "提租补贴", "9.49", "9.49", "0.00"),
    ("2210203", "购房补贴", "47.69", "47.69", "0.00"),
]


def test_table_03_every_row(fuzhou: ReportData) -> None:
    expected: dict[tuple[str, ...], D | None] = {}
    for code, name, total, basic, project in T03:
        values = {"total": total, "basic": basic, "project": project}
        for m in ("total", "basic", "project", "to_superior", "operating", "to_affiliated"):
            expected[("", "", code, name, m)] = D(values.get(m, "0.00"))
    assert cells(fuzhou, "03") == expected


T05 = [
    ("", "合计", "3658.44", "702.61", "2955.84"),
    ("201", "一般公共服务支出", "1147.99", "508.68", "639.31"),
    ("20103", "政府办公厅（室）及相关机构事务", "1147.99", "508.68", "639.31"),
    ("2010350", "事业运行", "508.68", "508.68", "0.00"),
    ("2010399", "其他政府办公厅（室）及相关机构事务支出", "639.31", "0.00", "639.31"),
    ("206", "科学技术支出", "2316.53", "0.00", "2316.53"),
    ("20605", "科技条件与服务", "2316.53", "0.00", "2316.53"),
    ("2060503", "科技条件专项", "2316.53", "0.00", "2316.53"),
    ("208", "社会保障和就业支出", "84.87", "84.87", "0.00"),
    ("20805", "行政事业单位养老支出", "84.87", "84.87", "0.00"),
    ("2080505", "机关事业单位基本养老保险缴费支出", "56.46", "56.46", "0.00"),
    ("2080506", "机关事业单位职业年金缴费支出", "28.41", "28.41", "0.00"),
    ("221", "住房保障支出", "109.05", "109.05", "0.00"),
    ("22102", "住房改革支出", "109.05", "109.05", "0.00"),
    ("2210201", "住房公积金", "51.86", "51.86", "0.00"),
    ("2210202", "提租补贴", "9.49", "9.49", "0.00"),
    ("2210203", "购房补贴", "47.69", "47.69", "0.00"),
]


def test_table_05_every_row(fuzhou: ReportData) -> None:
    expected = {}
    for code, name, total, basic, project in T05:
        for m, v in (("total", total), ("basic", basic), ("project", project)):
            expected[("", "", code, name, m)] = D(v)
    assert cells(fuzhou, "05") == expected


T06_NONZERO = {
    "301": "670.96", "30101": "118.75", "30102": "100.02", "30103": "201.54", "30107": "68.32",
    "30108": "56.49", "30109": "28.41", "30110": "22.52", "30111": "16.91", "30112": "4.28",
    "30113": "51.86", "30199": "1.87",
    "302": "31.64", "30201": "1.25", "30204": "0.06", "30207": "0.18", "30211": "0.82", "30214": "1.23",
    "30216": "0.37", "30217": "0.18", "30228": "8.88", "30229": "0.01", "30231": "2.08", "30299": "16.58",
}  # fmt: skip


def test_table_06_rows_and_totals(fuzhou: ReportData) -> None:
    coded = {i.code: i for i in fuzhou.line_items if i.table == "06" and i.code}
    assert len(coded) == 89  # 27 + 31 + 31 printed rows with a code
    for code, item in coded.items():
        assert item.amount == D(T06_NONZERO.get(code, "0.00")), code
        assert item.section == ("人员经费" if code[:3] in ("301", "303") else "公用经费"), code
    assert coded["30231"].item == "公务用车运行维护费"
    totals = {i.item: (i.section, i.amount) for i in fuzhou.line_items if i.table == "06" and not i.code}
    assert totals == {"人员经费合计": ("人员经费", D("670.96")), "公用经费合计": ("公用经费", D("31.64"))}
    basic = {r["code"] or r["name"]: r for r in fuzhou.resources["basic_expenditure"]}
    assert basic["公用经费合计"]["amount"] == D("31.64")
    assert basic["30231"]["category"] == "公用经费" and basic["30231"]["parent_code"] == "302"


def test_table_07_three_public(fuzhou: ReportData) -> None:
    rows = {r["item"]: r for r in fuzhou.resources["three_public"]}
    assert {k: (r.get("budget"), r["actual"]) for k, r in rows.items()} == {
        "total": (None, D("2.26")),
        "overseas": (None, D("0.00")),
        "vehicles": (None, D("2.08")),
        "vehicle_purchase": (None, D("0.00")),
        "vehicle_operation": (None, D("2.08")),
        "reception": (None, D("0.18")),
    }
    assert rows["total"]["line"] == 352


def test_tables_08_09_print_zeros(fuzhou: ReportData) -> None:
    t08 = [i for i in fuzhou.line_items if i.table == "08"]
    t09 = [i for i in fuzhou.line_items if i.table == "09"]
    assert len(t08) == 12 and len(t09) == 6
    assert all(i.amount == ZERO and not i.blank for i in t08 + t09)
    assert {i.measure_id for i in t08} == {"opening", "income", "total", "basic", "project", "closing"}
    assert not fuzhou.tables["08"].empty  # printed 0.00 is data, not an empty table


def test_canonical_totals_and_function_rows(fuzhou: ReportData) -> None:
    totals = {(r["table"], r["side"], r["item"], r["parent"]): r for r in fuzhou.resources["totals"]}
    assert totals[("01", "收入", "本年收入合计", "")]["amount"] == D("3658.44")
    assert totals[("01", "支出", "科学技术支出", "")]["function_code"] == "206"
    assert totals[("04", "支出", "总计", "")]["capital"] is None
    assert totals[("04", "收入", "一般公共预算", "年初结转和结余")]["amount"] == D("35.43")
    exp = {r["code"]: r for r in fuzhou.resources["expenditure_by_function"]}
    assert exp["2010399"]["level"] == "项" and exp["2010399"]["parent_code"] == "20103"
    assert exp[""]["level"] == "合计" and exp[""]["project"] == D("3279.44")
    gb = {r["code"]: r for r in fuzhou.resources["general_budget_expenditure"]}
    assert gb["2060503"]["total"] == D("2316.53")
    income = {r["code"]: r for r in fuzhou.resources["income_by_function"]}
    assert income["201"].get("other") is None and income["221"]["other"] == ZERO


def test_every_cell_has_its_source_line(fuzhou: ReportData) -> None:
    assert len(fuzhou.line_items) == 542
    assert all(i.line is not None and i.page is None for i in fuzhou.line_items)
    first = next(i for i in fuzhou.line_items if i.table == "05" and i.code == "2060503" and i.measure_id == "total")
    assert first.line == 279 and first.raw == "2316.53"
