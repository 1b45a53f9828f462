"""Write a small data package for site tests, with values typed from the bundled Fuzhou report.

The columns come from `juesuan.fields.RESOURCES`, so the fixture always has the published
field names; the values are a hand-typed subset of
`reports/fuzhou-zhihui-fuzhou-center-2024-final.txt` (tables 01, 02, 03, 05, 06, 07).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from juesuan.fields import RESOURCES, PackageInfo
from juesuan.rule_catalogue import rule_rows, standard_table_rows

REPORT_ID = "fuzhou-zhihui-2024-final"
DEPARTMENT = "福州市“智慧福州”管理服务中心"

# 表01: (side, row, label, amount, text line)
TOTALS_01 = [
    ("收入", 1, "一、一般公共预算财政拨款收入", "3658.44", 113),
    ("收入", 2, "二、政府性基金预算财政拨款收入", "0.00", 114),
    ("收入", 3, "三、国有资本经营预算财政拨款收入", "0.00", 115),
    ("收入", 4, "四、上级补助收入", "0.00", 116),
    ("收入", 5, "五、事业收入", "0.00", 117),
    ("收入", 6, "六、经营收入", "0.00", 118),
    ("收入", 7, "七、附属单位上缴收入", "0.00", 119),
    ("收入", 8, "八、其他收入", "0.00", 120),
    ("收入", 27, "本年收入合计", "3658.44", 139),
    ("收入", 28, "使用非财政拨款结余(含专用结余)", "0.00", 140),
    ("收入", 29, "年初结转和结余", "394.03", 141),
    ("收入", 30, "总计", "4052.48", 142),
    ("支出", 1, "一、一般公共服务支出", "1471.59", 113),
    ("支出", 6, "六、科学技术支出", "2316.53", 118),
    ("支出", 8, "八、社会保障和就业支出", "84.87", 120),
    ("支出", 19, "十九、住房保障支出", "109.05", 131),
    ("支出", 27, "本年支出合计", "3982.04", 139),
    ("支出", 28, "结余分配", "0.00", 140),
    ("支出", 29, "年末结转和结余", "70.43", 141),
    ("支出", 30, "总计", "4052.48", 142),
]

# 表02/03/05: code, name, then the amounts in measure order.
FUNCTION_ROWS = {
    "02": """\
|合计|3658.44|3658.44|0.00|0.00|0.00|0.00|0.00
201|一般公共服务支出|1147.99|1147.99|0.00|0.00|0.00|0.00|0.00
20103|政府办公厅（室）及相关机构事务|1147.99|1147.99|0.00|0.00|0.00|0.00|0.00
2010350|事业运行|508.68|508.68|0.00|0.00|0.00|0.00|0.00
2010399|其他政府办公厅（室）及相关机构事务支出|639.31|639.31|0.00|0.00|0.00|0.00|0.00
206|科学技术支出|2316.53|2316.53|0.00|0.00|0.00|0.00|0.00
20605|科技条件与服务|2316.53|2316.53|0.00|0.00|0.00|0.00|0.00
2060503|科技条件专项|2316.53|2316.53|0.00|0.00|0.00|0.00|0.00
208|社会保障和就业支出|84.87|84.87|0.00|0.00|0.00|0.00|0.00
20805|行政事业单位养老支出|84.87|84.87|0.00|0.00|0.00|0.00|0.00
2080505|机关事业单位基本养老保险缴费支出|56.46|56.46|0.00|0.00|0.00|0.00|0.00
2080506|机关事业单位职业年金缴费支出|28.41|28.41|0.00|0.00|0.00|0.00|0.00
221|住房保障支出|109.05|109.05|0.00|0.00|0.00|0.00|0.00
22102|住房改革支出|109.05|109.05|0.00|0.00|0.00|0.00|0.00
2210201|住房公积金|51.86|51.86|0.00|0.00|0.00|0.00|0.00
2210202|提租补贴|9.49|9.49|0.00|0.00|0.00|0.00|0.00
2210203|购房补贴|47.69|47.69|0.00|0.00|0.00|0.00|0.00""",
    "03": """\
|合计|3982.04|702.61|3279.44|0.00|0.00|0.00
201|一般公共服务支出|1471.59|508.68|962.91|0.00|0.00|0.00
20103|政府办公厅（室）及相关机构事务|1471.59|508.68|962.91|0.00|0.00|0.00
2010350|事业运行|508.68|508.68|0.00|0.00|0.00|0.00
2010399|其他政府办公厅（室）及相关机构事务支出|962.91|0.00|962.91|0.00|0.00|0.00
206|科学技术支出|2316.53|0.00|2316.53|0.00|0.00|0.00
20605|科技条件与服务|2316.53|0.00|2316.53|0.00|0.00|0.00
2060503|科技条件专项|2316.53|0.00|2316.53|0.00|0.00|0.00
208|社会保障和就业支出|84.87|84.87|0.00|0.00|0.00|0.00
20805|行政事业单位养老支出|84.87|84.87|0.00|0.00|0.00|0.00
2080505|机关事业单位基本养老保险缴费支出|56.46|56.46|0.00|0.00|0.00|0.00
2080506|机关事业单位职业年金缴费支出|28.41|28.41|0.00|0.00|0.00|0.00
221|住房保障支出|109.05|109.05|0.00|0.00|0.00|0.00
22102|住房改革支出|109.05|109.05|0.00|0.00|0.00|0.00
2210201|住房公积金|51.86|51.86|0.00|0.00|0.00|0.00
2210202|提租补贴|9.49|9.49|0.00|0.00|0.00|0.00
2210203|购房补贴|47.69|47.69|0.00|0.00|0.00|0.00""",
    "05": """\
|合计|3658.44|702.61|2955.84
201|一般公共服务支出|1147.99|508.68|639.31
20103|政府办公厅（室）及相关机构事务|1147.99|508.68|639.31
2010350|事业运行|508.68|508.68|0.00
2010399|其他政府办公厅（室）及相关机构事务支出|639.31|0.00|639.31
206|科学技术支出|2316.53|0.00|2316.53
20605|科技条件与服务|2316.53|0.00|2316.53
2060503|科技条件专项|2316.53|0.00|2316.53
208|社会保障和就业支出|84.87|84.87|0.00
20805|行政事业单位养老支出|84.87|84.87|0.00
2080505|机关事业单位基本养老保险缴费支出|56.46|56.46|0.00
2080506|机关事业单位职业年金缴费支出|28.41|28.41|0.00
221|住房保障支出|109.05|109.05|0.00
22102|住房改革支出|109.05|109.05|0.00
2210201|住房公积金|51.86|51.86|0.00
2210202|提租补贴|9.49|9.49|0.00
2210203|购房补贴|47.69|47.69|0.00""",
}
FUNCTION_RESOURCE = {"02": "income_by_function", "03": "expenditure_by_function", "05": "general_budget_expenditure"}
FUNCTION_FIRST_LINE = {"02": 159, "03": 191, "05": 272}

# 表06 (subset: every non-zero row, a zero row, and the two printed totals).
BASIC_06 = """\
301|工资福利支出|670.96
30101|基本工资|118.75
30102|津贴补贴|100.02
30103|奖金|201.54
30106|伙食补助费|0.00
30107|绩效工资|68.32
30108|机关事业单位基本养老保险缴费|56.49
30109|职业年金缴费|28.41
30110|职工基本医疗保险缴费|22.52
30111|公务员医疗补助缴费|16.91
30112|其他社会保障缴费|4.28
30113|住房公积金|51.86
30199|其他工资福利支出|1.87
302|商品和服务支出|31.64
30201|办公费|1.25
30204|手续费|0.06
30207|邮电费|0.18
30211|差旅费|0.82
30214|租赁费|1.23
30216|培训费|0.37
30217|公务接待费|0.18
30228|工会经费|8.88
30229|福利费|0.01
30231|公务用车运行维护费|2.08
30299|其他商品和服务支出|16.58
|人员经费合计|670.96
|公用经费合计|31.64"""

THREE_PUBLIC = [
    ("total", "合计", "2.26", 352),
    ("overseas", "因公出国（境）费", "0.00", 353),
    ("vehicles", "公务用车购置及运行维护费", "2.08", 354),
    ("vehicle_purchase", "公务用车购置费", "0.00", 355),
    ("vehicle_operation", "公务用车运行维护费", "2.08", 356),
    ("reception", "公务接待费", "0.18", 357),
]


def _level(code: str) -> str:
    return {3: "类", 5: "款", 7: "项"}.get(len(code), "合计")


def _parent(code: str) -> str:
    return {5: code[:3], 7: code[:5]}.get(len(code), "")


def build_rows(department: str = DEPARTMENT) -> dict[str, list[dict[str, Any]]]:
    """Return the fixture rows per resource (values as CSV strings)."""
    rid = REPORT_ID
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in RESOURCES}
    rows["reports"].append(
        {
            "report_id": rid,
            "department": department,
            "region": "福建省福州市",
            "year": "2024",
            "kind": "部门决算",
            "unit": "万元",
            "source_file": "fuzhou-zhihui-fuzhou-center-2024-final.txt",
            "source_sha256": "0" * 64,
            "parser_version": "0.1.0",
            "input_kind": "text",
            "is_template": "false",
            "tables_found": "01,02,03,05,06,07",
            "tables_missing": "",
        }
    )
    items = rows["line_items"]

    def cell(table: str, row: int, col: int, section: str, code: str, item: str, measure: str,
             measure_id: str, amount: str, line: int, raw: str | None = None, repair: str = "",
             repair_code: str = "") -> None:
        items.append(
            {
                "report_id": rid, "table": table, "row": row, "col": col, "section": section, "code": code,
                "item": item, "measure": measure, "measure_id": measure_id, "amount": amount,
                "raw": raw if raw is not None else amount, "blank": "false", "unit_printed": "万元",
                "repair": repair, "repair_code": repair_code, "line": line,
            }
        )

    for side, row, label, amount, line in TOTALS_01:
        item = label.split("、", 1)[-1]
        rows["totals"].append(
            {"report_id": rid, "table": "01", "side": side, "row": row, "item": item, "label": label,
             "amount": amount, "line": line}
        )
        col = 2 if side == "收入" else 4
        cell("01", row, col, side, "", label, "决算数", "amount", amount, line)
    # 表04, one cell only: the repaired total.
    cell("04", 1, 2, "收入", "", "一、一般公共预算", "金额", "amount", "3658.44", 225, raw="3658.4 4",
         repair="joined digits split by cell wrapping: '3658.4 4'", repair_code="digits-joined")

    fields_by = {name: [f.name for f in res.fields] for name, res in RESOURCES.items()}
    for table, text in FUNCTION_ROWS.items():
        resource = FUNCTION_RESOURCE[table]
        measures = [n for n in fields_by[resource] if RESOURCES[resource].fields[fields_by[resource].index(n)].type == "number"]
        for i, line_text in enumerate(text.splitlines(), start=1):
            code, name, *amounts = line_text.split("|")
            line = FUNCTION_FIRST_LINE[table] + i - 1
            row = {"report_id": rid, "row": i, "code": code, "level": _level(code), "parent_code": _parent(code),
                   "name": name, "line": line}
            row.update(dict(zip(measures, amounts, strict=True)))
            rows[resource].append(row)
            for j, (mid, amount) in enumerate(zip(measures, amounts, strict=True)):
                title = RESOURCES[resource].fields[fields_by[resource].index(mid)].title
                # The export prints 表03's 合计 row out of line with its header (line 191): mapped
                # in order, a placement note, not a repaired number.
                placed = table == "03" and not code
                cell(table, i, 4 + j, "", code, name, title, mid, amount, line,
                     repair="cells out of line with the header; mapped in order" if placed else "",
                     repair_code="mapped-sequentially" if placed else "")
            if code:
                rows["function_classes"].append({"code": code, "name": name, "level": _level(code),
                                                 "parent_code": _parent(code)})
    rows["function_classes"] = list({r["code"]: r for r in rows["function_classes"]}.values())

    for i, line_text in enumerate(BASIC_06.splitlines(), start=1):
        code, name, amount = line_text.split("|")
        category = "公用经费" if (code[:3] not in ("301", "303") and code) or name.startswith("公用") else "人员经费"
        level = {3: "类", 5: "款"}.get(len(code), "合计")
        rows["basic_expenditure"].append(
            {"report_id": rid, "row": i, "code": code, "level": level, "parent_code": code[:3] if len(code) == 5 else "",
             "name": name, "category": category, "amount": amount, "line": 303 + i}
        )
        cell("06", i, 3, category, code, name, "金额", "amount", amount, 303 + i)
        if code:
            rows["economic_classes"].append({"code": code, "name": name, "level": level,
                                             "parent_code": code[:3] if len(code) == 5 else "", "category": category})

    for i, (item, name, actual, line) in enumerate(THREE_PUBLIC, start=1):
        rows["three_public"].append({"report_id": rid, "item": item, "name": name, "actual": actual, "line": line})
        cell("07", i, 3, "", "", name, "决算数", "actual", actual, line)

    rows["units"].append({"report_id": rid, "row": 1, "name": department, "nature": "财政全额拨款事业单位",
                          "staff": "40", "line": 70})
    rows["duties"] = [
        {"report_id": rid, "seq": 1, "text": "（一）贯彻执行国家、省和市有关智慧城市建设的法规、规章和政策。", "line": 47},
        {"report_id": rid, "seq": 2, "text": "（二）牵头开展智慧城市建设重要问题的调查研究。", "line": 49},
    ]
    sentence = ("2010350 事业运行支出508.68万元，较上年决算数增加17.03万元，增长3.46%，"
                "主要原因是人员变动。")
    section = "三、一般公共预算财政拨款支出决算情况说明"
    rows["facts"] = [
        {"report_id": rid, "seq": seq, "section": section, "subject": "2010350 事业运行", "metric": metric,
         "value": value, "unit": unit, "derived": derived, "line": 443, "sentence": sentence}
        for seq, metric, value, unit, derived in (
            (1, "本年决算", "508.68", "万元", "false"), (2, "增减额", "17.03", "万元", "false"),
            (3, "增减率", "3.46", "%", "false"), (4, "上年决算", "491.65", "万元", "true"))
    ]
    # 绩效: one project typed from the Fuzhou report (an indicator scored below its weight, with
    # its reason, whose text is made hostile), and the 部门整体 table's funding block.
    rows["performance_projects"] = [
        {"report_id": rid, "project_seq": 1, "kind": "项目", "name": "城市信息化专项资金（数字福州建设提升咨询服务）（2023 结转）",
         "budget_initial": "180.00", "budget_full": "124.00", "executed": "124.00", "execution_rate": "100.00",
         "weight": "10", "score": "10", "total_score": "86.88", "goal": "形成建设方案", "outcome": "完成 3 个子课题", "line": 601},
        {"report_id": rid, "project_seq": 2, "kind": "部门整体", "name": "部门整体", "department": department,
         "budget_initial": "1758.07", "budget_adjustment": "2976.28", "budget_full": "4734.35", "executed": "3658.45",
         "execution_rate": "77.27", "balance": "1075.90", "balance_rate": "22.7300", "weight": "10", "score": "10",
         "total_score": "100", "line": 849},
    ]
    rows["performance_indicators"] = [
        {"report_id": rid, "project_seq": 1, "seq": 1, "level1": "产出指标", "level2": "数量指标", "level3": "课题研究结题申报率",
         "target": "≥100%", "actual": "75", "weight": "50", "score": "36.88",
         "deviation": "延期至2025年4月验收<b>偏差</b>", "line": 616},
        {"report_id": rid, "project_seq": 1, "seq": 2, "level1": "满意度指标", "level2": "服务对象满意度指标",
         "level3": "课题成果使用人满意度", "target": "≥90%", "actual": "90", "weight": "40", "score": "40", "line": 625},
        {"report_id": rid, "project_seq": 2, "seq": 1, "level1": "产出指标", "level2": "数量指标", "level3": "保障系统数量",
         "target": "≥5 个", "actual": "14", "weight": "90", "score": "90", "line": 866},
    ]
    rows["checks"] = [
        {"report_id": rid, "seq": 1, "rule": "totals-01-balance", "severity": "pass", "tables": "01",
         "row": "总计", "lines": "142", "expected": "4052.48", "actual": "4052.48", "difference": "0.00",
         "message": "表01收入总计等于支出总计。"},
        {"report_id": rid, "seq": 2, "rule": "sum-01-income", "severity": "rounding", "tables": "01",
         "row": "总计", "lines": "139,141,142", "expected": "4052.47", "actual": "4052.48", "difference": "0.01",
         "message": "表01收入总计应等于本年收入合计加年初结转和结余：3658.44 + 394.03 = 4052.47，印为4052.48，差0.01万元，属尾数误差。"},
        {"report_id": rid, "seq": 3, "rule": "basic-06-vs-03", "severity": "error", "tables": "03,06",
         "row": "基本支出", "pages": "12", "lines": "", "expected": "702.61", "actual": "702.60", "difference": "-0.01",
         "message": "测试用：表06基本支出合计<应>等于表03基本支出。"},
    ]
    # The rule catalogue is generated, not typed: it is the registry the checks run.
    rows["rules"] = rule_rows()
    rows["standard_tables"] = standard_table_rows()
    return rows


def write_fixture_package(dst: Path, department: str = DEPARTMENT, with_checks: bool = True,
                          extra: dict[str, list[dict[str, Any]]] | None = None) -> Path:
    """Write the fixture package into `dst` (datapackage.json + data/*.csv) and return `dst`.

    `extra` adds rows to resources (by name), for tests of one section.
    """
    rows = build_rows(department)
    if not with_checks:
        rows.pop("checks")
    for name, more in (extra or {}).items():
        rows[name] = rows.get(name, []) + more
    (dst / "data").mkdir(parents=True, exist_ok=True)
    info = PackageInfo()
    resources = []
    for name, res in RESOURCES.items():
        if name not in rows:
            continue
        with (dst / res.path).open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=res.field_names, lineterminator="\n")
            writer.writeheader()
            for r in rows[name]:
                writer.writerow({k: r.get(k, "") for k in res.field_names})
        resources.append({"name": name, "title": res.title, "description": res.description, "path": res.path,
                          "format": "csv", "encoding": "utf-8", "schema": res.schema()})
    descriptor = {"name": info.name, "title": info.title, "description": info.description,
                  "licenses": info.licenses, "resources": resources}
    (dst / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return dst
