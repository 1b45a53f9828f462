"""Every published field, defined once: name, Chinese title, type, unit, description.

`datapackage.json`, the CSV headers and the field tables on the site are all generated from
`RESOURCES`. Names and the fields listed are a contract others script against: add fields
freely, never rename or drop one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from juesuan.model import SEVERITIES


@dataclass(frozen=True)
class Field:
    """One column of a published resource."""

    name: str
    title: str  # Chinese title shown to readers
    type: str  # Frictionless type: string, integer, number, boolean
    description: str
    unit: str = ""  # e.g. 万元; shown in titles and descriptions
    required: bool = False
    enum: tuple[str, ...] = ()
    # English description for data users abroad; `description` is the Chinese one readers see.
    description_en: str = ""

    def schema(self) -> dict[str, Any]:
        """Return the Table Schema descriptor of this field."""
        out: dict[str, Any] = {
            "name": self.name,
            "title": self.title + (f"（{self.unit}）" if self.unit else ""),
            "type": self.type,
            "description": self.description + (f" 单位：{self.unit}。" if self.unit else ""),
        }
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if constraints:
            out["constraints"] = constraints
        if self.type == "number":
            out["bareNumber"] = True
        return out


@dataclass(frozen=True)
class Resource:
    """One CSV of the data package."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()
    stage: str = "normalize"  # which stage fills it, for the docs

    @property
    def path(self) -> str:
        """Return the CSV path inside the package."""
        return f"data/{self.name}.csv"

    @property
    def field_names(self) -> list[str]:
        """Return the column names in order."""
        return [f.name for f in self.fields]

    def schema(self) -> dict[str, Any]:
        """Return the Table Schema of this resource."""
        out: dict[str, Any] = {
            "fields": [f.schema() for f in self.fields],
            "primaryKey": list(self.primary_key),
            "missingValues": [""],
        }
        if self.foreign_keys:
            out["foreignKeys"] = [
                {"fields": list(src), "reference": {"resource": res, "fields": list(dst)}}
                for src, res, dst in self.foreign_keys
            ]
        return out


# Shared fields -------------------------------------------------------------------------------
REPORT_ID = Field("report_id", "报告编号", "string", "Report identifier: an ASCII slug of region, department, year and kind.", required=True)
PAGE = Field("page", "页码", "integer", "1-based PDF page the value was read from; empty for text input.")
LINE = Field("line", "行号", "integer", "1-based line of the text export the value was read from; empty for PDF input.")
ROW = Field("row", "行序", "integer", "1-based order of the row within its table as printed.", required=True)
CODE = Field("code", "科目编码", "string", "Classification code, digits only (3-digit 类, 5-digit 款, 7-digit 项); empty on totals rows.")
LEVEL = Field("level", "科目级次", "string", "Level of the code: 类, 款 or 项; 合计 on the totals row.", enum=("类", "款", "项", "合计"))
PARENT_CODE = Field("parent_code", "上级科目编码", "string", "Code of the parent level (the 类 of a 款, the 款 of a 项).")
NAME = Field("name", "科目名称", "string", "Name of the classification item as printed, whitespace removed.")
WAN = "万元"


def _amount(name: str, title: str, description: str) -> Field:
    return Field(name, title, "number", description, unit=WAN)


def _function_resource(name: str, table: str, title: str, measures: list[Field]) -> Resource:
    return Resource(
        name=name,
        title=title,
        description=f"表{table}{title}: one row per printed row, by functional classification, with one column per measure.",
        fields=(REPORT_ID, ROW, CODE, LEVEL, PARENT_CODE, NAME, *measures, PAGE, LINE),
        primary_key=("report_id", "row"),
        foreign_keys=((("report_id",), "reports", ("report_id",)), (("code",), "function_classes", ("code",))),
    )


REPORTS = Resource(
    name="reports",
    title="报告",
    description="One row per parsed report: who published it, for which year, and from which file.",
    fields=(
        REPORT_ID,
        Field("department", "部门", "string", "Department (部门) as printed in the report.", required=True),
        Field("region", "地区", "string", "Region of the department (province, city, district) as far as the report states it."),
        Field("year", "年度", "integer", "Fiscal year the report covers."),
        Field(
            "kind",
            "报告类型",
            "string",
            "部门决算 or 单位决算 (final accounts), 部门预算 or 单位预算 (budget), from the cover title and the table titles.",
            enum=("部门决算", "单位决算", "部门预算", "单位预算"),
        ),
        Field("kind_family", "决算或预算", "string", "决算 (final accounts) or 预算 (budget).", enum=("决算", "预算")),
        Field("level", "部门或单位", "string", "部门 (a department with its units) or 单位 (one unit).", enum=("部门", "单位")),
        Field("unit", "金额单位", "string", "Unit printed on the standard tables; every amount in this package is converted to 万元."),
        Field("source_file", "源文件", "string", "File name of the source report."),
        Field("source_sha256", "源文件SHA-256", "string", "SHA-256 of the source file, so a reader can verify the copy they hold."),
        Field(
            "narrative_file",
            "情况说明文件",
            "string",
            "Where the report was published as two files: the narrative (情况说明) file, joined to the tables file "
            "named in source_file. Pages of facts refer to this file; pages of table cells to source_file. Empty otherwise.",
        ),
        Field("narrative_sha256", "情况说明文件SHA-256", "string", "SHA-256 of the narrative file; empty when the report is one file."),
        Field("pages", "页数", "integer", "Number of PDF pages; empty for the text export."),
        Field("parser_version", "解析器版本", "string", "Version of juesuan that parsed the report."),
        Field("input_kind", "输入格式", "string", "pdf or text (the tab-separated text export).", enum=("pdf", "text")),
        Field("is_template", "是否空白模板", "boolean", "True when the file is the blank template, with no data."),
        Field("tables_found", "已识别标准表", "string", "Standard tables found, comma-separated (01…09)."),
        Field("tables_missing", "缺失标准表", "string", "Standard tables not found in the report, comma-separated."),
        Field("unplaced_numbers", "未归类数字数", "integer",
              "情况说明中语法无法归类的数字个数（明细见 unplaced_numbers）。",
              description_en="How many numbers of the prose the grammar could not place (listed in unplaced_numbers)."),
    ),
    primary_key=("report_id",),
    stage="read",
)

LINE_ITEMS = Resource(
    name="line_items",
    title="表格单元格",
    description="The faithful layer: one row per numeric cell of standard tables 01–09, as printed, with its source page or line.",
    fields=(
        REPORT_ID,
        Field("table", "表号", "string", "Standard table number 01…09 (公开NN表).", required=True),
        ROW,
        Field("col", "列序", "integer", "1-based grid column of the cell.", required=True),
        Field("section", "部分", "string", "收入/支出 (tables 01, 04), 人员经费/公用经费 (table 06, from the code), or empty."),
        CODE,
        Field("item", "项目", "string", "Row label, whitespace removed, ordinal prefix kept as printed."),
        Field("parent", "上级项目", "string", "Label of the row this one is a breakdown of, where a label repeats (04 年初结转和结余)."),
        Field("measure", "栏目", "string", "Column header path, whitespace removed, levels joined by '/'."),
        Field("measure_id", "栏目代码", "string", "Canonical measure id of the column (e.g. total, basic, project); empty when unknown."),
        _amount("amount", "金额", "Amount converted exactly to 万元; empty where printed blank."),
        Field("raw", "原文", "string", "Cell text as printed."),
        Field("blank", "是否空白", "boolean", "True where the cell was printed blank (as opposed to 0.00)."),
        Field("unit_printed", "原单位", "string", "Unit printed on the table (万元 or 元)."),
        Field("repair", "修复说明", "string", "How the text was repaired to be read, e.g. digits split by cell wrapping joined."),
        PAGE,
        LINE,
        Field("x0", "左边界", "number", "Left edge of the cell on the page, PDF points."),
        Field("top", "上边界", "number", "Top edge of the cell, PDF points from the top of the page."),
        Field("x1", "右边界", "number", "Right edge of the cell, PDF points."),
        Field("bottom", "下边界", "number", "Bottom edge of the cell, PDF points from the top of the page."),
    ),
    primary_key=("report_id", "table", "row", "col"),
    foreign_keys=((("report_id",), "reports", ("report_id",)),),
)

TOTALS = Resource(
    name="totals",
    title="收支总表",
    description="Tables 01 (收入支出决算总表) and 04 (财政拨款收入支出决算总表) as side × item × measures.",
    fields=(
        REPORT_ID,
        Field("table", "表号", "string", "01 or 04.", required=True, enum=("01", "04")),
        Field("side", "收支", "string", "收入 or 支出.", enum=("收入", "支出")),
        ROW,
        Field("item", "项目", "string", "Row label without its ordinal prefix."),
        Field("label", "原项目", "string", "Row label as printed, whitespace removed."),
        Field("parent", "上级项目", "string", "Label of the row this one breaks down (04 年初财政拨款结转和结余)."),
        Field("function_code", "功能分类类级编码", "string", "类 code of an expenditure-by-function line (201 …), from its name."),
        _amount("amount", "决算数", "Amount of the row (决算数 / 金额 / 合计)."),
        _amount("budget", "预算数", "Budget amount where the table prints one."),
        _amount("general", "一般公共预算财政拨款", "04 支出: general public budget appropriation."),
        _amount("fund", "政府性基金预算财政拨款", "04 支出: government fund budget appropriation."),
        _amount("capital", "国有资本经营预算财政拨款", "04 支出: state capital operations budget appropriation."),
        PAGE,
        LINE,
    ),
    primary_key=("report_id", "table", "side", "row"),
    foreign_keys=((("report_id",), "reports", ("report_id",)),),
)

INCOME_BY_FUNCTION = _function_resource(
    "income_by_function",
    "02",
    "收入决算表",
    [
        _amount("total", "本年收入合计", "Total income of the row."),
        _amount("fiscal", "财政拨款收入", "Fiscal appropriation income."),
        _amount("superior_subsidy", "上级补助收入", "Subsidy from the superior unit."),
        _amount("business", "事业收入", "Income from public-service activities."),
        _amount("operating", "经营收入", "Operating income."),
        _amount("affiliated", "附属单位上缴收入", "Remittances from affiliated units."),
        _amount("other", "其他收入", "Other income."),
    ],
)

EXPENDITURE_BY_FUNCTION = _function_resource(
    "expenditure_by_function",
    "03",
    "支出决算表",
    [
        _amount("total", "本年支出合计", "Total expenditure of the row."),
        _amount("basic", "基本支出", "Basic expenditure (staff and running costs)."),
        _amount("project", "项目支出", "Project expenditure."),
        _amount("to_superior", "上缴上级支出", "Remittances to the superior unit."),
        _amount("operating", "经营支出", "Operating expenditure."),
        _amount("to_affiliated", "对附属单位补助支出", "Subsidies to affiliated units."),
    ],
)

GENERAL_BUDGET_EXPENDITURE = _function_resource(
    "general_budget_expenditure",
    "05",
    "一般公共预算财政拨款支出决算表",
    [
        _amount("total", "合计", "Total general-budget appropriation expenditure of the row."),
        _amount("basic", "基本支出", "Basic expenditure."),
        _amount("project", "项目支出", "Project expenditure."),
    ],
)

BASIC_EXPENDITURE = Resource(
    name="basic_expenditure",
    title="一般公共预算财政拨款基本支出",
    description="Table 06 by economic classification, each row with its 人员经费/公用经费 category taken from the code.",
    fields=(
        REPORT_ID,
        ROW,
        Field("code", "经济分类科目编码", "string", "Economic classification code, digits only (3-digit 类, 5-digit 款); empty on totals rows."),
        Field("level", "科目级次", "string", "类 or 款; 合计 on the printed totals rows.", enum=("类", "款", "合计")),
        PARENT_CODE,
        NAME,
        Field("category", "经费类别", "string", "人员经费 (codes 301, 303) or 公用经费 (302, 307, 310, 399 …).", enum=("人员经费", "公用经费")),
        _amount("amount", "金额", "Amount of the row."),
        PAGE,
        LINE,
    ),
    primary_key=("report_id", "row"),
    foreign_keys=((("report_id",), "reports", ("report_id",)), (("code",), "economic_classes", ("code",))),
)

THREE_PUBLIC = Resource(
    name="three_public",
    title="“三公”经费",
    description="Table 07: each “三公” item with its budget and actual amounts, whatever the printed orientation.",
    fields=(
        REPORT_ID,
        Field("item", "项目代码", "string", "total, overseas, vehicles, vehicle_purchase, vehicle_operation or reception.", required=True,
              enum=("total", "overseas", "vehicles", "vehicle_purchase", "vehicle_operation", "reception")),
        Field("name", "项目", "string", "Chinese name of the item."),
        _amount("budget", "预算数", "Budget (预算数) where printed."),
        _amount("actual", "决算数", "Actual expenditure (决算数)."),
        PAGE,
        LINE,
    ),
    primary_key=("report_id", "item"),
    foreign_keys=((("report_id",), "reports", ("report_id",)),),
)

UNITS = Resource(
    name="units",
    title="单位构成",
    description="The units whose accounts the report consolidates (单位构成), with their nature and staff where printed.",
    fields=(
        REPORT_ID,
        ROW,
        Field("name", "单位名称", "string", "Unit name as printed."),
        Field("nature", "单位性质", "string", "Nature of the unit (e.g. 财政全额拨款事业单位) where printed."),
        Field("staff", "在职人数", "integer", "Staff in post where printed."),
        Field("note", "备注", "string", "Remark column where printed (e.g. 预算不单列，并入本级)."),
        PAGE,
        LINE,
    ),
    primary_key=("report_id", "row"),
    foreign_keys=((("report_id",), "reports", ("report_id",)),),
)

FUNCTION_CLASSES = Resource(
    name="function_classes",
    title="支出功能分类科目",
    description="Functional classification codes met in the reports (first name printed wins).",
    fields=(
        Field("code", "科目编码", "string", "Code, digits only.", required=True),
        Field("name", "科目名称", "string", "Name as printed."),
        Field("level", "科目级次", "string", "类, 款 or 项.", enum=("类", "款", "项")),
        PARENT_CODE,
    ),
    primary_key=("code",),
    stage="package",
)

ECONOMIC_CLASSES = Resource(
    name="economic_classes",
    title="支出经济分类科目",
    description="Economic classification codes met in the reports (first name printed wins).",
    fields=(
        Field("code", "科目编码", "string", "Code, digits only.", required=True),
        Field("name", "科目名称", "string", "Name as printed."),
        Field("level", "科目级次", "string", "类 or 款.", enum=("类", "款")),
        PARENT_CODE,
        Field("category", "经费类别", "string", "人员经费 or 公用经费.", enum=("人员经费", "公用经费")),
    ),
    primary_key=("code",),
    stage="package",
)

CHECKS = Resource(
    name="checks",
    title="勾稽检查",
    description="Every consistency identity checked on every report, passes included, with expected and actual values.",
    fields=(
        REPORT_ID,
        Field("seq", "序号", "integer", "1-based order of the finding within the report.", required=True),
        Field("rule", "规则代码", "string", "Stable kebab-case rule code (see the rule catalogue on the site).", required=True),
        Field("severity", "结果", "string", "pass, rounding (尾数误差 within 0.01 per addend), warning, error, or not-checked (the rule could not run; the message says why).", enum=SEVERITIES),
        Field("tables", "涉及表", "string", "Tables involved, comma-separated (01…09)."),
        Field("row", "涉及行", "string", "Row(s) involved: a code or item label."),
        Field("pages", "页码", "string", "Source pages involved, comma-separated; empty for text input."),
        Field("lines", "行号", "string", "Source lines of the text export involved, comma-separated."),
        Field("expected", "应为", "number", "Value the identity requires, in the finding's unit."),
        Field("actual", "实际", "number", "Value printed, in the finding's unit."),
        Field("difference", "差额", "number", "actual − expected."),
        Field("unit", "单位", "string", "Unit of expected, actual and difference: 万元 for amounts, % for rates, empty for counts."),
        Field("message", "说明", "string", "Plain Chinese explanation of the check and its result."),
    ),
    primary_key=("report_id", "seq"),
    foreign_keys=((("report_id",), "reports", ("report_id",)),),
    stage="check",
)

FACTS = Resource(
    name="facts",
    title="情况说明数据",
    description="Every amount, rate and count quoted in the narrative (第三部分 情况说明), one row per number, "
    "with last year's figures derived where the prose states the change.",
    fields=(
        REPORT_ID,
        Field("seq", "序号", "integer", "1-based order of the fact within the report.", required=True),
        Field("section", "章节", "string", "Top-level heading of 第三部分 the sentence sits under, e.g. 一、收入支出决算总体情况说明."),
        Field("subject", "对象", "string", "What the number is about: 收入总计, 2010350 事业运行, 三公, 政府采购, 车辆 …"),
        Field("metric", "指标", "string", "本年决算, 上年决算, 增减额, 增减率, 占比, 完成预算率, 年初预算, 数量, 涉及资金 …"),
        Field("value", "数值", "number", "The number as printed (signed: decreases negative), or as derived."),
        Field("unit", "单位", "string", "万元, %, 个, 辆, 人次, 批次, 台（套）…"),
        Field("derived", "是否推算", "boolean", "True where computed rather than printed (上年决算 = 本年决算 − 增减额)."),
        PAGE,
        LINE,
        Field("sentence", "原文", "string", "The sentence the number was read from."),
        Field("comparison", "比较用语", "string",
              "句中以文字陈述的比较结论（持平、大于、小于），归一化；未陈述则为空。",
              enum=("", "持平", "大于", "小于"),
              description_en="Comparison stated in words in the sentence (持平 equal, 大于 greater, 小于 less), "
              "normalised; empty when none."),
        Field("basis", "比较基准", "string",
              "比较用语或增减所对照的数：年初预算、全年预算、调整预算、预算、上年决算、上年预算；未陈述则为空。",
              description_en="What the comparison word compares with: 年初预算, 全年预算, 调整预算, 预算, "
              "上年决算 or 上年预算; empty when none."),
        Field("base", "占比基数", "string",
              "占比的分母所指对象（如“占政府采购支出总额的”→政府采购）；仅 metric 为占比时填写，未点名则为句中总数。",
              description_en="For a share (占比): the subject it is a share of, as named after 占 or else the "
              "sentence's total; empty for other metrics."),
    ),
    primary_key=("report_id", "seq"),
    foreign_keys=((("report_id",), "reports", ("report_id",)),),
)

UNPLACED_NUMBERS = Resource(
    name="unplaced_numbers",
    title="未归类的数字",
    description="Every number with a unit (万元, %, 个 …) or with decimals that the prose grammar could not "
    "place as a fact: kept with its sentence, never guessed.",
    fields=(
        REPORT_ID,
        Field("seq", "序号", "integer", "报告内按出现顺序的序号，从 1 起。", required=True,
              description_en="1-based order of the number within the report."),
        Field("section", "章节", "string", "数字所在句子所属的一级标题。",
              description_en="Top-level heading the sentence sits under."),
        Field("text", "印刷文字", "string", "数字及其单位的印刷原样，如“0万元”。",
              description_en="The number and its unit as printed, e.g. 0万元."),
        Field("value", "数值", "number", "印刷的数值。", description_en="The number as printed."),
        Field("unit", "单位", "string", "印刷的单位；无单位的小数为空。",
              description_en="Unit as printed; empty for a decimal printed without one."),
        PAGE,
        LINE,
        Field("sentence", "原文", "string", "数字所在的句子。", description_en="The sentence the number sits in."),
    ),
    primary_key=("report_id", "seq"),
    foreign_keys=((("report_id",), "reports", ("report_id",)),),
    stage="narrative",
)

DUTIES = Resource(
    name="duties",
    title="主要职责",
    description="The department's duties (部门主要职责), one row per enumerated item.",
    fields=(
        REPORT_ID,
        Field("seq", "序号", "integer", "1-based order of the item as printed.", required=True),
        Field("text", "职责", "string", "The item as printed, enumerator kept, wrapped lines joined."),
        PAGE,
        LINE,
    ),
    primary_key=("report_id", "seq"),
    foreign_keys=((("report_id",), "reports", ("report_id",)),),
)

PERFORMANCE_PROJECTS = Resource(
    name="performance_projects",
    title="绩效自评项目",
    description="One row per 绩效自评表: each project's funding, execution and score, and the 部门整体 table.",
    fields=(
        REPORT_ID,
        Field("project_seq", "项目序号", "integer", "1-based order of the table in the report.", required=True),
        Field("kind", "类型", "string", "项目 (project table) or 部门整体 (department-wide table).", enum=("项目", "部门整体")),
        Field("name", "项目名称", "string", "项目名称 or 专项名称 as printed."),
        Field("department", "主管部门", "string", "主管部门 (or 部门(单位)名称 on the 部门整体 table)."),
        Field("implementer", "实施单位", "string", "实施单位 where printed."),
        _amount("budget_initial", "年初预算数", "年初预算数 (部门整体: 年初部门预算安排金额)."),
        _amount("budget_adjustment", "年中调整金额", "年中调整金额 (部门整体 table only)."),
        _amount("budget_full", "全年预算数", "全年预算数 (部门整体: 小计 = 年初 + 调整)."),
        _amount("executed", "全年执行数", "全年执行数 (部门整体: 年度拨付金额)."),
        Field("execution_rate", "执行率", "number", "执行率 (部门整体: 支出实现率) as printed.", unit="%"),
        _amount("balance", "结余金额", "本年度结余金额 (部门整体 table only)."),
        Field("balance_rate", "资金结余率", "number", "资金结余率 (部门整体 table only).", unit="%"),
        Field("weight", "分值", "number", "Points the funding block is worth."),
        Field("score", "得分", "number", "Points scored on the funding block."),
        Field("total_score", "总分", "number", "Total self-evaluation score (总分)."),
        Field("goal", "预期目标", "string", "年度总体目标 — 预期目标, wrapped text joined, tags removed."),
        Field("outcome", "实际完成情况", "string", "年度总体目标 — 实际完成情况, wrapped text joined, tags removed."),
        PAGE,
        LINE,
    ),
    primary_key=("report_id", "project_seq"),
    foreign_keys=((("report_id",), "reports", ("report_id",)),),
)

PERFORMANCE_INDICATORS = Resource(
    name="performance_indicators",
    title="绩效指标",
    description="One row per indicator of a 绩效自评表, levels forward-filled below merged cells.",
    fields=(
        REPORT_ID,
        Field("project_seq", "项目序号", "integer", "The table the indicator belongs to (performance_projects.project_seq).", required=True),
        Field("seq", "序号", "integer", "1-based order of the indicator within its table.", required=True),
        Field("level1", "一级指标", "string", "一级指标 (产出指标, 成本指标, 效益指标, 满意度指标 …)."),
        Field("level2", "二级指标", "string", "二级指标 (数量指标, 质量指标 …)."),
        Field("level3", "三级指标", "string", "三级指标 as printed, whitespace removed."),
        Field("target", "年度指标值", "string", "Target as printed, operator and unit kept (≥3 个, =100%)."),
        Field("actual", "实际完成值", "string", "Value achieved as printed (digits split by wrapping joined)."),
        Field("weight", "指标分值", "number", "Points the indicator is worth."),
        Field("score", "自评得分", "number", "Points scored."),
        Field("deviation", "偏差原因分析及改进措施", "string", "Reason for any gap and remedy, wrapped text joined."),
        PAGE,
        LINE,
    ),
    primary_key=("report_id", "project_seq", "seq"),
    foreign_keys=(
        (("report_id",), "reports", ("report_id",)),
        (("report_id", "project_seq"), "performance_projects", ("report_id", "project_seq")),
    ),
)

_DIFFERENCE = _amount("difference", "差额", "Final (or actual) minus budget; empty where either is blank.")
_RATE = Field("rate", "执行率", "number", "Final (or actual) / budget × 100, to 2 decimals; empty where the budget is blank or 0.", unit="%")

BUDGET_EXECUTION = Resource(
    name="budget_execution",
    title="决算报告自身的预算执行",
    description=(
        "From one final-accounts report alone: its own 年初预算 (budget) beside its 决算 (actual). Source 表07 gives "
        "each “三公” item's 预算数 / 决算数 where the table prints a budget column; source 情况说明 gives the 年初预算 "
        "the narrative quotes for a subject beside its 本年决算 (the facts resource's metrics). Budget reports have no rows."
    ),
    fields=(
        REPORT_ID,
        Field("seq", "序号", "integer", "1-based order of the row within the report.", required=True),
        Field("source", "来源", "string", "表07 (the “三公” table) or 情况说明 (the narrative).", required=True, enum=("表07", "情况说明")),
        Field("item", "项目代码", "string", "“三公” item id for 表07 rows (as in three_public); empty for narrative rows."),
        Field("name", "项目", "string", "Item name (表07) or the subject the narrative quotes (情况说明)."),
        _amount("budget", "年初预算数", "The 年初预算 as printed (表07 预算数) or quoted."),
        _amount("actual", "决算数", "The 决算数 beside it; empty where the narrative quotes none."),
        _DIFFERENCE,
        _RATE,
        PAGE,
        LINE,
    ),
    primary_key=("report_id", "seq"),
    foreign_keys=((("report_id",), "reports", ("report_id",)),),
)

BUDGET_VS_FINAL = Resource(
    name="budget_vs_final",
    title="预算与决算对照",
    description=(
        "A department's budget (部门预算/单位预算) beside its final accounts (部门决算/单位决算) of the same year and level, "
        "where both are published: by function class (一般公共预算支出, budget table B05 vs 表05 合计), by economic class "
        "(基本支出, B06 vs 表06), and by “三公” item (B07 vs 表07 决算数), with the difference and the rate."
    ),
    fields=(
        Field("department", "部门", "string", "Department as printed in the final report.", required=True),
        Field("year", "年度", "integer", "Fiscal year of both reports."),
        Field("budget_report_id", "预算报告编号", "string", "report_id of the budget report.", required=True),
        Field("final_report_id", "决算报告编号", "string", "report_id of the final-accounts report.", required=True),
        Field("seq", "序号", "integer", "1-based order of the row within the pair.", required=True),
        Field("dimension", "对照口径", "string", "function, economic or three_public.", required=True,
              enum=("function", "economic", "three_public")),
        Field("code", "科目编码或项目", "string", "Function or economic code (empty on the 合计 row), or the “三公” item id."),
        Field("name", "名称", "string", "Name as printed (final report first)."),
        _amount("budget", "预算数", "Amount in the budget report."),
        _amount("final", "决算数", "Amount in the final-accounts report."),
        _DIFFERENCE,
        _RATE,
    ),
    primary_key=("budget_report_id", "final_report_id", "seq"),
    foreign_keys=((("budget_report_id",), "reports", ("report_id",)), (("final_report_id",), "reports", ("report_id",))),
)


RESOURCES: dict[str, Resource] = {
    r.name: r
    for r in (
        REPORTS,
        LINE_ITEMS,
        TOTALS,
        INCOME_BY_FUNCTION,
        EXPENDITURE_BY_FUNCTION,
        GENERAL_BUDGET_EXPENDITURE,
        BASIC_EXPENDITURE,
        THREE_PUBLIC,
        UNITS,
        FUNCTION_CLASSES,
        ECONOMIC_CLASSES,
        CHECKS,
        FACTS,
        UNPLACED_NUMBERS,
        DUTIES,
        PERFORMANCE_PROJECTS,
        PERFORMANCE_INDICATORS,
        BUDGET_EXECUTION,
        BUDGET_VS_FINAL,
    )
}


@dataclass
class PackageInfo:
    """Top-level descriptor metadata of the published package."""

    name: str = "juesuan"
    title: str = "部门决算公开数据"
    description: str = (
        "Chinese government department final-accounts reports (部门决算公开) as open data: "
        "every number of the standard tables 公开01–09表 with its source page, canonical tables, "
        "and consistency checks (勾稽关系). All amounts in 万元."
    )
    licenses: list[dict[str, str]] = field(
        default_factory=lambda: [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "Creative Commons Attribution 4.0"}]
    )
