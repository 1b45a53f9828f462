"""Every published field, defined once: name, Chinese title, type, unit, description (Chinese and English).

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
    description: str  # Chinese, what readers see on the site and in datapackage.json
    unit: str = ""  # e.g. 万元; shown in titles and descriptions
    required: bool = False
    enum: tuple[str, ...] = ()
    # English description for data users abroad, published as the custom property `description_en`.
    description_en: str = ""

    def schema(self) -> dict[str, Any]:
        """Return the Table Schema descriptor of this field."""
        out: dict[str, Any] = {
            "name": self.name,
            "title": self.title + (f"（{self.unit}）" if self.unit else ""),
            "type": self.type,
            "description": self.description + (f"单位：{self.unit}。" if self.unit else ""),
        }
        if self.description_en:
            out["description_en"] = self.description_en + (f" Unit: {self.unit}." if self.unit else "")
        if self.unit:
            out["unit"] = self.unit  # custom property: the site's field tables read it from here
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
    description: str  # Chinese
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()
    stage: str = "normalize"  # which stage fills it, for the docs
    description_en: str = ""  # English, published as the custom property `description_en`

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
REPORT_ID = Field("report_id", "报告编号", "string", "报告编号：由地区、部门、年度和报告类型组成的 ASCII 短名。", description_en="Report identifier: an ASCII slug of region, department, year and kind.", required=True)
PAGE = Field("page", "页码", "integer", "读取该值的 PDF 页码（从 1 起）；文本导出输入为空。", description_en="1-based PDF page the value was read from; empty for text input.")
LINE = Field("line", "行号", "integer", "读取该值的文本导出行号（从 1 起）；PDF 输入为空。", description_en="1-based line of the text export the value was read from; empty for PDF input.")
ROW = Field("row", "行序", "integer", "该行在所属表中的印刷顺序（从 1 起）。", description_en="1-based order of the row within its table as printed.", required=True)
CODE = Field("code", "科目编码", "string", "科目编码，仅数字（3 位为类，5 位为款，7 位为项）；合计行为空。", description_en="Classification code, digits only (3-digit 类, 5-digit 款, 7-digit 项); empty on totals rows.")
LEVEL = Field("level", "科目级次", "string", "科目级次：类、款或项；合计行为“合计”。", description_en="Level of the code: 类, 款 or 项; 合计 on the totals row.", enum=("类", "款", "项", "合计"))
PARENT_CODE = Field("parent_code", "上级科目编码", "string", "上一级科目的编码（款的所属类、项的所属款）。", description_en="Code of the parent level (the 类 of a 款, the 款 of a 项).")
NAME = Field("name", "科目名称", "string", "印刷的科目名称，已去除空白。", description_en="Name of the classification item as printed, whitespace removed.")
WAN = "万元"


def _amount(name: str, title: str, description: str, description_en: str) -> Field:
    return Field(name, title, "number", description, unit=WAN, description_en=description_en)


def _function_resource(name: str, table: str, title: str, measures: list[Field]) -> Resource:
    return Resource(
        name=name,
        title=title,
        description=f"公开{table}表{title}：按支出功能分类，每个印刷行一行，每个栏目一列。",
        description_en=f"Table {table} {title}: one row per printed row, by functional classification, "
        "with one column per measure.",
        fields=(REPORT_ID, ROW, CODE, LEVEL, PARENT_CODE, NAME, *measures, PAGE, LINE),
        primary_key=("report_id", "row"),
        foreign_keys=((("report_id",), "reports", ("report_id",)), (("code",), "function_classes", ("code",))),
    )


REPORTS = Resource(
    name="reports",
    title="报告",
    description="每份已解析的报告一行：发布部门、年度和来源文件。", description_en="One row per parsed report: who published it, for which year, and from which file.",
    fields=(
        REPORT_ID,
        Field("department", "部门", "string", "报告印刷的部门名称。", description_en="Department (部门) as printed in the report.", required=True),
        Field("region", "地区", "string", "部门所在地区（省、市、区县），以报告所述为限。", description_en="Region of the department (province, city, district) as far as the report states it."),
        Field("year", "年度", "integer", "报告所属的财政年度。", description_en="Fiscal year the report covers."),
        Field(
            "kind",
            "报告类型",
            "string",
            "部门决算、单位决算、部门预算或单位预算，依据封面标题和表格标题判断。", description_en="部门决算 or 单位决算 (final accounts), 部门预算 or 单位预算 (budget), from the cover title and the table titles.",
            enum=("部门决算", "单位决算", "部门预算", "单位预算"),
        ),
        Field("kind_family", "决算或预算", "string", "决算或预算。", description_en="决算 (final accounts) or 预算 (budget).", enum=("决算", "预算")),
        Field("level", "部门或单位", "string", "部门（含所属单位）或单位（单一单位）。", description_en="部门 (a department with its units) or 单位 (one unit).", enum=("部门", "单位")),
        Field("unit", "金额单位", "string", "标准表上印刷的金额单位；本数据包中的金额一律换算为万元。", description_en="Unit printed on the standard tables; every amount in this package is converted to 万元."),
        Field("source_file", "源文件", "string", "来源报告的文件名。", description_en="File name of the source report."),
        Field("source_sha256", "源文件SHA-256", "string", "来源文件的 SHA-256 校验值，供读者核对手中的文件是否相同。", description_en="SHA-256 of the source file, so a reader can verify the copy they hold."),
        Field(
            "narrative_file",
            "情况说明文件",
            "string",
            "报告分两个文件发布时，情况说明所在的文件（与 source_file 中的表格文件合并解析）。情况说明数据的页码指此文件，表格单元格的页码指 source_file。单一文件时为空。", description_en="Where the report was published as two files: the narrative (情况说明) file, joined to the tables file named in source_file. Pages of facts refer to this file; pages of table cells to source_file. Empty otherwise.",
        ),
        Field("narrative_sha256", "情况说明文件SHA-256", "string", "情况说明文件的 SHA-256 校验值；单一文件时为空。", description_en="SHA-256 of the narrative file; empty when the report is one file."),
        Field("pages", "页数", "integer", "PDF 页数；文本导出为空。", description_en="Number of PDF pages; empty for the text export."),
        Field("parser_version", "解析器版本", "string", "解析该报告的 juesuan 版本。", description_en="Version of juesuan that parsed the report."),
        Field("input_kind", "输入格式", "string", "pdf 或 text（制表符分隔的文本导出）。", description_en="pdf or text (the tab-separated text export).", enum=("pdf", "text")),
        Field("is_template", "是否空白模板", "boolean", "文件为未填数据的空白模板时为 true。", description_en="True when the file is the blank template, with no data."),
        Field("tables_found", "已识别标准表", "string", "已识别的标准表，逗号分隔（01…09）。", description_en="Standard tables found, comma-separated (01…09)."),
        Field("tables_missing", "缺失标准表", "string", "报告中未找到的标准表，逗号分隔。", description_en="Standard tables not found in the report, comma-separated."),
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
    description="原样层：公开01–09表中每个数字单元格一行，保留印刷原文及其来源页码或行号。", description_en="The faithful layer: one row per numeric cell of standard tables 01–09, as printed, with its source page or line.",
    fields=(
        REPORT_ID,
        Field("table", "表号", "string", "标准表号 01…09（公开NN表）。", description_en="Standard table number 01…09 (公开NN表).", required=True),
        ROW,
        Field("col", "列序", "integer", "单元格在表格网格中的列序（从 1 起）。", description_en="1-based grid column of the cell.", required=True),
        Field("section", "部分", "string", "收入或支出（公开01、04表），人员经费或公用经费（公开06表，依据编码），其余为空。", description_en="收入/支出 (tables 01, 04), 人员经费/公用经费 (table 06, from the code), or empty."),
        CODE,
        Field("item", "项目", "string", "行标签，已去除空白，保留印刷的序号前缀。", description_en="Row label, whitespace removed, ordinal prefix kept as printed."),
        Field("parent", "上级项目", "string", "标签重复时，本行所细分的上级行标签（如公开04表的年初结转和结余）。", description_en="Label of the row this one is a breakdown of, where a label repeats (04 年初结转和结余)."),
        Field("measure", "栏目", "string", "栏目表头路径，已去除空白，多级表头以“/”连接。", description_en="Column header path, whitespace removed, levels joined by '/'."),
        Field("measure_id", "栏目代码", "string", "栏目的规范代码（如 total、basic、project）；无法确定时为空。", description_en="Canonical measure id of the column (e.g. total, basic, project); empty when unknown."),
        _amount("amount", "金额", "精确换算为万元的金额；印刷为空白的为空。", "Amount converted exactly to 万元; empty where printed blank."),
        Field("raw", "原文", "string", "单元格的印刷原文。", description_en="Cell text as printed."),
        Field("blank", "是否空白", "boolean", "单元格印刷为空白（而非 0.00）时为 true。", description_en="True where the cell was printed blank (as opposed to 0.00)."),
        Field("unit_printed", "原单位", "string", "表上印刷的金额单位（万元或元）。", description_en="Unit printed on the table (万元 or 元)."),
        Field("repair", "修复说明", "string", "为读取原文所作修复的技术说明（英文），如接合因单元格换行而折断的数字。", description_en="How the text was repaired to be read, e.g. digits split by cell wrapping joined."),
        PAGE,
        LINE,
        Field("x0", "左边界", "number", "单元格在页面上的左边界（PDF 点）。", description_en="Left edge of the cell on the page, PDF points."),
        Field("top", "上边界", "number", "单元格的上边界（距页面顶端的 PDF 点）。", description_en="Top edge of the cell, PDF points from the top of the page."),
        Field("x1", "右边界", "number", "单元格的右边界（PDF 点）。", description_en="Right edge of the cell, PDF points."),
        Field("bottom", "下边界", "number", "单元格的下边界（距页面顶端的 PDF 点）。", description_en="Bottom edge of the cell, PDF points from the top of the page."),
    ),
    primary_key=("report_id", "table", "row", "col"),
    foreign_keys=((("report_id",), "reports", ("report_id",)),),
)

TOTALS = Resource(
    name="totals",
    title="收支总表",
    description="公开01表（收入支出决算总表）和公开04表（财政拨款收入支出决算总表），按收支、项目和栏目展开。", description_en="Tables 01 (收入支出决算总表) and 04 (财政拨款收入支出决算总表) as side × item × measures.",
    fields=(
        REPORT_ID,
        Field("table", "表号", "string", "01 或 04。", description_en="01 or 04.", required=True, enum=("01", "04")),
        Field("side", "收支", "string", "收入或支出。", description_en="收入 or 支出.", enum=("收入", "支出")),
        ROW,
        Field("item", "项目", "string", "去除序号前缀的行标签。", description_en="Row label without its ordinal prefix."),
        Field("label", "原项目", "string", "印刷的行标签，已去除空白。", description_en="Row label as printed, whitespace removed."),
        Field("parent", "上级项目", "string", "本行所细分的上级行标签（如公开04表的年初财政拨款结转和结余）。", description_en="Label of the row this one breaks down (04 年初财政拨款结转和结余)."),
        Field("function_code", "功能分类类级编码", "string", "按功能分类列示的支出行的类级编码（201…），依据名称确定。", description_en="类 code of an expenditure-by-function line (201 …), from its name."),
        _amount("amount", "决算数", "该行金额（决算数、金额或合计）。", "Amount of the row (决算数 / 金额 / 合计)."),
        _amount("budget", "预算数", "表中印刷的预算数。", "Budget amount where the table prints one."),
        _amount("general", "一般公共预算财政拨款", "公开04表支出：一般公共预算财政拨款。", "04 支出: general public budget appropriation."),
        _amount("fund", "政府性基金预算财政拨款", "公开04表支出：政府性基金预算财政拨款。", "04 支出: government fund budget appropriation."),
        _amount("capital", "国有资本经营预算财政拨款", "公开04表支出：国有资本经营预算财政拨款。", "04 支出: state capital operations budget appropriation."),
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
        _amount("total", "本年收入合计", "该行的本年收入合计。", "Total income of the row."),
        _amount("fiscal", "财政拨款收入", "财政拨款收入。", "Fiscal appropriation income."),
        _amount("superior_subsidy", "上级补助收入", "上级补助收入。", "Subsidy from the superior unit."),
        _amount("business", "事业收入", "事业收入（开展专业业务活动取得的收入）。", "Income from public-service activities."),
        _amount("operating", "经营收入", "经营收入。", "Operating income."),
        _amount("affiliated", "附属单位上缴收入", "附属单位上缴收入。", "Remittances from affiliated units."),
        _amount("other", "其他收入", "其他收入。", "Other income."),
    ],
)

EXPENDITURE_BY_FUNCTION = _function_resource(
    "expenditure_by_function",
    "03",
    "支出决算表",
    [
        _amount("total", "本年支出合计", "该行的本年支出合计。", "Total expenditure of the row."),
        _amount("basic", "基本支出", "基本支出（人员经费和公用经费）。", "Basic expenditure (staff and running costs)."),
        _amount("project", "项目支出", "项目支出。", "Project expenditure."),
        _amount("to_superior", "上缴上级支出", "上缴上级支出。", "Remittances to the superior unit."),
        _amount("operating", "经营支出", "经营支出。", "Operating expenditure."),
        _amount("to_affiliated", "对附属单位补助支出", "对附属单位补助支出。", "Subsidies to affiliated units."),
    ],
)

GENERAL_BUDGET_EXPENDITURE = _function_resource(
    "general_budget_expenditure",
    "05",
    "一般公共预算财政拨款支出决算表",
    [
        _amount("total", "合计", "该行的一般公共预算财政拨款支出合计。", "Total general-budget appropriation expenditure of the row."),
        _amount("basic", "基本支出", "基本支出。", "Basic expenditure."),
        _amount("project", "项目支出", "项目支出。", "Project expenditure."),
    ],
)

BASIC_EXPENDITURE = Resource(
    name="basic_expenditure",
    title="一般公共预算财政拨款基本支出",
    description="公开06表，按支出经济分类列示，每行按编码标注人员经费或公用经费。", description_en="Table 06 by economic classification, each row with its 人员经费/公用经费 category taken from the code.",
    fields=(
        REPORT_ID,
        ROW,
        Field("code", "经济分类科目编码", "string", "经济分类科目编码，仅数字（3 位为类，5 位为款）；合计行为空。", description_en="Economic classification code, digits only (3-digit 类, 5-digit 款); empty on totals rows."),
        Field("level", "科目级次", "string", "类或款；印刷的合计行为“合计”。", description_en="类 or 款; 合计 on the printed totals rows.", enum=("类", "款", "合计")),
        PARENT_CODE,
        NAME,
        Field("category", "经费类别", "string", "人员经费（编码 301、303）或公用经费（302、307、310、399…）。", description_en="人员经费 (codes 301, 303) or 公用经费 (302, 307, 310, 399 …).", enum=("人员经费", "公用经费")),
        _amount("amount", "金额", "该行金额。", "Amount of the row."),
        PAGE,
        LINE,
    ),
    primary_key=("report_id", "row"),
    foreign_keys=((("report_id",), "reports", ("report_id",)), (("code",), "economic_classes", ("code",))),
)

THREE_PUBLIC = Resource(
    name="three_public",
    title="“三公”经费",
    description="公开07表：每项“三公”经费的预算数和决算数，不论表格横排还是竖排。", description_en="Table 07: each “三公” item with its budget and actual amounts, whatever the printed orientation.",
    fields=(
        REPORT_ID,
        Field("item", "项目代码", "string", "项目代码：total（合计）、overseas（因公出国（境））、vehicles（公务用车购置及运行）、vehicle_purchase（公务用车购置）、vehicle_operation（公务用车运行维护）或 reception（公务接待）。", description_en="total, overseas, vehicles, vehicle_purchase, vehicle_operation or reception.", required=True,
              enum=("total", "overseas", "vehicles", "vehicle_purchase", "vehicle_operation", "reception")),
        Field("name", "项目", "string", "项目的中文名称。", description_en="Chinese name of the item."),
        _amount("budget", "预算数", "印刷的预算数。", "Budget (预算数) where printed."),
        _amount("actual", "决算数", "实际支出（决算数）。", "Actual expenditure (决算数)."),
        PAGE,
        LINE,
    ),
    primary_key=("report_id", "item"),
    foreign_keys=((("report_id",), "reports", ("report_id",)),),
)

UNITS = Resource(
    name="units",
    title="单位构成",
    description="报告汇总的所属单位（单位构成），以及印刷的单位性质和人数。", description_en="The units whose accounts the report consolidates (单位构成), with their nature and staff where printed.",
    fields=(
        REPORT_ID,
        ROW,
        Field("name", "单位名称", "string", "印刷的单位名称。", description_en="Unit name as printed."),
        Field("nature", "单位性质", "string", "印刷的单位性质（如财政全额拨款事业单位）。", description_en="Nature of the unit (e.g. 财政全额拨款事业单位) where printed."),
        Field("staff", "在职人数", "integer", "印刷的在职人数。", description_en="Staff in post where printed."),
        Field("note", "备注", "string", "印刷的备注栏（如预算不单列，并入本级）。", description_en="Remark column where printed (e.g. 预算不单列，并入本级)."),
        PAGE,
        LINE,
    ),
    primary_key=("report_id", "row"),
    foreign_keys=((("report_id",), "reports", ("report_id",)),),
)

FUNCTION_CLASSES = Resource(
    name="function_classes",
    title="支出功能分类科目",
    description="报告中出现的支出功能分类科目（同一编码取最先印刷的名称）。", description_en="Functional classification codes met in the reports (first name printed wins).",
    fields=(
        Field("code", "科目编码", "string", "科目编码，仅数字。", description_en="Code, digits only.", required=True),
        Field("name", "科目名称", "string", "印刷的名称。", description_en="Name as printed."),
        Field("level", "科目级次", "string", "类、款或项。", description_en="类, 款 or 项.", enum=("类", "款", "项")),
        PARENT_CODE,
    ),
    primary_key=("code",),
    stage="package",
)

ECONOMIC_CLASSES = Resource(
    name="economic_classes",
    title="支出经济分类科目",
    description="报告中出现的支出经济分类科目（同一编码取最先印刷的名称）。", description_en="Economic classification codes met in the reports (first name printed wins).",
    fields=(
        Field("code", "科目编码", "string", "科目编码，仅数字。", description_en="Code, digits only.", required=True),
        Field("name", "科目名称", "string", "印刷的名称。", description_en="Name as printed."),
        Field("level", "科目级次", "string", "类或款。", description_en="类 or 款.", enum=("类", "款")),
        PARENT_CODE,
        Field("category", "经费类别", "string", "人员经费或公用经费。", description_en="人员经费 or 公用经费.", enum=("人员经费", "公用经费")),
    ),
    primary_key=("code",),
    stage="package",
)

CHECKS = Resource(
    name="checks",
    title="勾稽检查",
    description="每份报告检查的每条勾稽关系（含通过的），附应为值和实际值。", description_en="Every consistency identity checked on every report, passes included, with expected and actual values.",
    fields=(
        REPORT_ID,
        Field("seq", "序号", "integer", "该检查结果在报告内的序号（从 1 起）。", description_en="1-based order of the finding within the report.", required=True),
        Field("rule", "规则代码", "string", "稳定的规则代码（小写连字符形式，见网站的勾稽规则页）。", description_en="Stable kebab-case rule code (see the rule catalogue on the site).", required=True),
        Field("severity", "结果", "string", "pass（通过）、rounding（尾数误差，每个加数不超过 0.01）、warning（警告）、error（错误）或 not-checked（规则无法执行，原因见说明）。", description_en="pass, rounding (尾数误差 within 0.01 per addend), warning, error, or not-checked (the rule could not run; the message says why).", enum=SEVERITIES),
        Field("tables", "涉及表", "string", "涉及的表，逗号分隔（01…09）。", description_en="Tables involved, comma-separated (01…09)."),
        Field("row", "涉及行", "string", "涉及的行：科目编码或项目名称。", description_en="Row(s) involved: a code or item label."),
        Field("pages", "页码", "string", "涉及的来源页码，逗号分隔；文本导出输入为空。", description_en="Source pages involved, comma-separated; empty for text input."),
        Field("lines", "行号", "string", "涉及的文本导出行号，逗号分隔。", description_en="Source lines of the text export involved, comma-separated."),
        Field("expected", "应为", "number", "勾稽关系要求的数值，单位见 unit。", description_en="Value the identity requires, in the finding's unit."),
        Field("actual", "实际", "number", "印刷的数值，单位见 unit。", description_en="Value printed, in the finding's unit."),
        Field("difference", "差额", "number", "实际减应为（actual − expected）。", description_en="actual − expected."),
        Field("unit", "单位", "string", "应为、实际和差额的单位：金额为万元，比率为 %，个数为空。", description_en="Unit of expected, actual and difference: 万元 for amounts, % for rates, empty for counts."),
        Field("message", "说明", "string", "用中文说明检查内容及其结果。", description_en="Plain Chinese explanation of the check and its result."),
    ),
    primary_key=("report_id", "seq"),
    foreign_keys=((("report_id",), "reports", ("report_id",)),),
    stage="check",
)

FACTS = Resource(
    name="facts",
    title="情况说明数据",
    description="情况说明（第三部分）中引用的每个金额、比率和数量，每个数字一行；文字说明了增减的，推算出上年数。", description_en="Every amount, rate and count quoted in the narrative (第三部分 情况说明), one row per number, with last year's figures derived where the prose states the change.",
    fields=(
        REPORT_ID,
        Field("seq", "序号", "integer", "该数据在报告内的序号（从 1 起）。", description_en="1-based order of the fact within the report.", required=True),
        Field("section", "章节", "string", "句子所在的第三部分一级标题，如“一、收入支出决算总体情况说明”。", description_en="Top-level heading of 第三部分 the sentence sits under, e.g. 一、收入支出决算总体情况说明."),
        Field("subject", "对象", "string", "数字所指对象：收入总计、2010350 事业运行、三公、政府采购、车辆…", description_en="What the number is about: 收入总计, 2010350 事业运行, 三公, 政府采购, 车辆 …"),
        Field("metric", "指标", "string", "指标：本年决算、上年决算、增减额、增减率、占比、完成预算率、年初预算、数量、涉及资金…", description_en="Metric: 本年决算 (this year's actual), 上年决算 (last year's actual), 增减额 (change), 增减率 (rate of change), 占比 (share), 完成预算率 (share of budget spent), 年初预算 (initial budget), 数量 (count), 涉及资金 (funds involved) …"),
        Field("value", "数值", "number", "印刷的数值（带符号，减少为负），或推算值。", description_en="The number as printed (signed: decreases negative), or as derived."),
        Field("unit", "单位", "string", "单位：万元、%、个、辆、人次、批次、台（套）…", description_en="Unit as printed: 万元, %, 个, 辆, 人次, 批次, 台（套）…"),
        Field("derived", "是否推算", "boolean", "为推算值而非印刷值时为 true（上年决算 = 本年决算 − 增减额）。", description_en="True where computed rather than printed (上年决算 = 本年决算 − 增减额)."),
        PAGE,
        LINE,
        Field("sentence", "原文", "string", "读取该数字的原句。", description_en="The sentence the number was read from."),
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
    description="情况说明中带单位（万元、%、个…）或带小数、但语法无法归类为数据的数字：连同原句保留，不作猜测。", description_en="Every number with a unit (万元, %, 个 …) or with decimals that the prose grammar could not place as a fact: kept with its sentence, never guessed.",
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
    description="部门主要职责，每个列举项一行。", description_en="The department's duties (部门主要职责), one row per enumerated item.",
    fields=(
        REPORT_ID,
        Field("seq", "序号", "integer", "该项的印刷顺序（从 1 起）。", description_en="1-based order of the item as printed.", required=True),
        Field("text", "职责", "string", "印刷的职责条目，保留序号，折行已接合。", description_en="The item as printed, enumerator kept, wrapped lines joined."),
        PAGE,
        LINE,
    ),
    primary_key=("report_id", "seq"),
    foreign_keys=((("report_id",), "reports", ("report_id",)),),
)

PERFORMANCE_PROJECTS = Resource(
    name="performance_projects",
    title="绩效自评项目",
    description="每张绩效自评表一行：各项目的资金、执行情况和得分，以及部门整体绩效自评表。", description_en="One row per 绩效自评表: each project's funding, execution and score, and the 部门整体 table.",
    fields=(
        REPORT_ID,
        Field("project_seq", "项目序号", "integer", "该表在报告中的顺序（从 1 起）。", description_en="1-based order of the table in the report.", required=True),
        Field("kind", "类型", "string", "项目（项目支出绩效自评表）或部门整体（部门整体支出绩效自评表）。", description_en="项目 (project table) or 部门整体 (department-wide table).", enum=("项目", "部门整体")),
        Field("name", "项目名称", "string", "印刷的项目名称或专项名称。", description_en="项目名称 or 专项名称 as printed."),
        Field("department", "主管部门", "string", "主管部门（部门整体表为部门（单位）名称）。", description_en="主管部门 (or 部门(单位)名称 on the 部门整体 table)."),
        Field("implementer", "实施单位", "string", "印刷的实施单位。", description_en="实施单位 where printed."),
        _amount("budget_initial", "年初预算数", "年初预算数（部门整体表：年初部门预算安排金额）。", "Initial budget, 年初预算数 (部门整体 table: 年初部门预算安排金额)."),
        _amount("budget_adjustment", "年中调整金额", "年中调整金额（仅部门整体表）。", "年中调整金额 (部门整体 table only)."),
        _amount("budget_full", "全年预算数", "全年预算数（部门整体表：小计 = 年初 + 调整）。", "Full-year budget, 全年预算数 (部门整体 table: 小计 = 年初 + 调整)."),
        _amount("executed", "全年执行数", "全年执行数（部门整体表：年度拨付金额）。", "Amount executed in the year, 全年执行数 (部门整体 table: 年度拨付金额)."),
        Field("execution_rate", "执行率", "number", "印刷的执行率（部门整体表：支出实现率）。", description_en="执行率 (部门整体: 支出实现率) as printed.", unit="%"),
        _amount("balance", "结余金额", "本年度结余金额（仅部门整体表）。", "本年度结余金额 (部门整体 table only)."),
        Field("balance_rate", "资金结余率", "number", "资金结余率（仅部门整体表）。", description_en="资金结余率 (部门整体 table only).", unit="%"),
        Field("weight", "分值", "number", "资金执行部分的分值。", description_en="Points the funding block is worth."),
        Field("score", "得分", "number", "资金执行部分的得分。", description_en="Points scored on the funding block."),
        Field("total_score", "总分", "number", "自评总分。", description_en="Total self-evaluation score (总分)."),
        Field("goal", "预期目标", "string", "年度总体目标中的预期目标，折行已接合，标记已去除。", description_en="年度总体目标 — 预期目标, wrapped text joined, tags removed."),
        Field("outcome", "实际完成情况", "string", "年度总体目标中的实际完成情况，折行已接合，标记已去除。", description_en="年度总体目标 — 实际完成情况, wrapped text joined, tags removed."),
        PAGE,
        LINE,
    ),
    primary_key=("report_id", "project_seq"),
    foreign_keys=((("report_id",), "reports", ("report_id",)),),
)

PERFORMANCE_INDICATORS = Resource(
    name="performance_indicators",
    title="绩效指标",
    description="绩效自评表中每个指标一行，合并单元格下的指标级次向下填充。", description_en="One row per indicator of a 绩效自评表, levels forward-filled below merged cells.",
    fields=(
        REPORT_ID,
        Field("project_seq", "项目序号", "integer", "指标所属的绩效自评表（对应 performance_projects.project_seq）。", description_en="The table the indicator belongs to (performance_projects.project_seq).", required=True),
        Field("seq", "序号", "integer", "指标在所属表内的顺序（从 1 起）。", description_en="1-based order of the indicator within its table.", required=True),
        Field("level1", "一级指标", "string", "一级指标（产出指标、成本指标、效益指标、满意度指标…）。", description_en="Level-1 indicator (一级指标: 产出指标 output, 成本指标 cost, 效益指标 benefit, 满意度指标 satisfaction …)."),
        Field("level2", "二级指标", "string", "二级指标（数量指标、质量指标…）。", description_en="Level-2 indicator (二级指标: 数量指标 quantity, 质量指标 quality …)."),
        Field("level3", "三级指标", "string", "印刷的三级指标，已去除空白。", description_en="三级指标 as printed, whitespace removed."),
        Field("target", "年度指标值", "string", "印刷的年度指标值，保留比较符号和单位（如 ≥3 个、=100%）。", description_en="Target as printed, operator and unit kept (≥3 个, =100%)."),
        Field("actual", "实际完成值", "string", "印刷的实际完成值（折行断开的数字已接合）。", description_en="Value achieved as printed (digits split by wrapping joined)."),
        Field("weight", "指标分值", "number", "指标分值。", description_en="Points the indicator is worth."),
        Field("score", "自评得分", "number", "自评得分。", description_en="Points scored."),
        Field("deviation", "偏差原因分析及改进措施", "string", "偏差原因分析及改进措施，折行已接合。", description_en="Reason for any gap and remedy, wrapped text joined."),
        PAGE,
        LINE,
    ),
    primary_key=("report_id", "project_seq", "seq"),
    foreign_keys=(
        (("report_id",), "reports", ("report_id",)),
        (("report_id", "project_seq"), "performance_projects", ("report_id", "project_seq")),
    ),
)

_DIFFERENCE = _amount("difference", "差额", "决算数（或实际数）减预算数；任一为空时为空。", "Final (or actual) minus budget; empty where either is blank.")
_RATE = Field("rate", "执行率", "number", "决算数（或实际数）÷ 预算数 × 100，保留 2 位小数；预算数为空或为 0 时为空。", description_en="Final (or actual) / budget × 100, to 2 decimals; empty where the budget is blank or 0.", unit="%")

BUDGET_EXECUTION = Resource(
    name="budget_execution",
    title="决算报告自身的预算执行",
    description="仅依据一份决算报告：其自身的年初预算与决算数并列。来源为表07时，是表中印有预算数栏的各项“三公”经费的预算数与决算数；来源为情况说明时，是文字对某一对象引用的年初预算与本年决算（facts 表中的指标）。预算报告没有此表的行。",
    description_en="From one final-accounts report alone: its own 年初预算 (budget) beside its 决算 (actual). Source 表07 gives each “三公” item's 预算数 / 决算数 where the table prints a budget column; source 情况说明 gives the 年初预算 the narrative quotes for a subject beside its 本年决算 (the facts resource's metrics). Budget reports have no rows.",
    fields=(
        REPORT_ID,
        Field("seq", "序号", "integer", "该行在报告内的序号（从 1 起）。", description_en="1-based order of the row within the report.", required=True),
        Field("source", "来源", "string", "表07（“三公”经费表）或情况说明（文字部分）。", description_en="表07 (the “三公” table) or 情况说明 (the narrative).", required=True, enum=("表07", "情况说明")),
        Field("item", "项目代码", "string", "表07 行的“三公”项目代码（同 three_public）；情况说明的行为空。", description_en="“三公” item id for 表07 rows (as in three_public); empty for narrative rows."),
        Field("name", "项目", "string", "项目名称（表07）或情况说明所述对象。", description_en="Item name (表07) or the subject the narrative quotes (情况说明)."),
        _amount("budget", "年初预算数", "印刷（表07 预算数）或文字引用的年初预算数。", "The 年初预算 as printed (表07 预算数) or quoted."),
        _amount("actual", "决算数", "与之对应的决算数；文字未引用时为空。", "The 决算数 beside it; empty where the narrative quotes none."),
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
    description="同一部门同一年度、同一级次的预算（部门预算或单位预算）与决算（部门决算或单位决算）都已发布时的对照：按功能分类（一般公共预算支出，预算表 B05 对表05 合计）、按经济分类（基本支出，B06 对表06）和按“三公”项目（B07 对表07 决算数），附差额和执行率。",
    description_en="A department's budget (部门预算/单位预算) beside its final accounts (部门决算/单位决算) of the same year and level, where both are published: by function class (一般公共预算支出, budget table B05 vs 表05 合计), by economic class (基本支出, B06 vs 表06), and by “三公” item (B07 vs 表07 决算数), with the difference and the rate.",
    fields=(
        Field("department", "部门", "string", "决算报告印刷的部门名称。", description_en="Department as printed in the final report.", required=True),
        Field("year", "年度", "integer", "两份报告所属的财政年度。", description_en="Fiscal year of both reports."),
        Field("budget_report_id", "预算报告编号", "string", "预算报告的 report_id。", description_en="report_id of the budget report.", required=True),
        Field("final_report_id", "决算报告编号", "string", "决算报告的 report_id。", description_en="report_id of the final-accounts report.", required=True),
        Field("seq", "序号", "integer", "该行在这对报告中的序号（从 1 起）。", description_en="1-based order of the row within the pair.", required=True),
        Field("dimension", "对照口径", "string", "对照口径：function（功能分类）、economic（经济分类）或 three_public（“三公”经费）。", description_en="function, economic or three_public.", required=True,
              enum=("function", "economic", "three_public")),
        Field("code", "科目编码或项目", "string", "功能分类或经济分类编码（合计行为空），或“三公”项目代码。", description_en="Function or economic code (empty on the 合计 row), or the “三公” item id."),
        Field("name", "名称", "string", "印刷的名称（优先取决算报告）。", description_en="Name as printed (final report first)."),
        _amount("budget", "预算数", "预算报告中的金额。", "Amount in the budget report."),
        _amount("final", "决算数", "决算报告中的金额。", "Amount in the final-accounts report."),
        _DIFFERENCE,
        _RATE,
    ),
    primary_key=("budget_report_id", "final_report_id", "seq"),
    foreign_keys=((("budget_report_id",), "reports", ("report_id",)), (("final_report_id",), "reports", ("report_id",))),
)

_LIST = "逗号分隔的表号（决算 01–09，预算 B01…）。"
_LIST_EN = "Comma-separated table numbers (决算 01–09, 预算 B01 …)."

COMPLETENESS = Resource(
    name="completeness",
    title="报告完整性",
    description="每份报告一行：标准表是否齐全（或注明为空表）、空表是否说明原因、各表是否注明单位、目录是否与正文一致、情况说明与绩效是否公开、有无模板遗留、部门名称和年度是否前后一致；八项各占一份，得分 0–100。",
    description_en="One row per report: the standard tables printed (or stated empty), empty tables explained, units printed, the 目录 consistent, the 情况说明 and 绩效 present, no template leftovers, one department and year throughout; eight equal parts, scored 0–100.",
    fields=(
        REPORT_ID,
        Field("score", "完整性得分", "integer", "八项中满足的份额 × 100，四舍五入（标准表一项按齐全的比例计）。", description_en="Share of the eight parts met × 100, rounded (the tables part counts the share of tables present)."),
        Field("parts_met", "满足的项", "string", "满足的项：tables（表齐全）、empty_stated（空表有说明）、units（注明单位）、toc（目录一致）、prose（有情况说明）、performance（有绩效）、no_placeholders（无模板遗留）、consistent（名称年度一致）。", description_en="Parts met: tables, empty_stated, units, toc, prose, performance, no_placeholders, consistent."),
        Field("parts_missed", "未满足的项", "string", "未满足的项（名称同上）。", description_en="Parts not met (same names)."),
        Field("tables_expected", "应有表数", "integer", "决算为九张公开表；预算为目录所列与实际印出的预算表之并集。", description_en="9 for final accounts; for budgets the budget tables listed in the 目录 or printed."),
        Field("tables_found", "印出的表", "string", "识别到的表。" + _LIST, description_en="Tables recognized. " + _LIST_EN),
        Field("tables_stated_empty", "注明为空的表", "string", "没有金额（或未印出）但注明了原因的表。" + _LIST, description_en="Tables with no amount (or not printed) whose emptiness is explained. " + _LIST_EN),
        Field("tables_empty_unstated", "未说明的空表", "string", "没有金额、也没有说明原因的表。" + _LIST, description_en="Tables with no amount and no explanation. " + _LIST_EN),
        Field("tables_missing", "缺少的表", "string", "应有而找不到、也没有说明的表。" + _LIST, description_en="Tables expected but neither printed nor explained. " + _LIST_EN),
        Field("tables_without_unit", "未注明单位的表", "string", "没有印“单位：万元/元”的表。" + _LIST, description_en="Tables printing no unit line. " + _LIST_EN),
        Field("toc_found", "有目录", "boolean", "报告印有可读的目录。", description_en="The report prints a readable 目录."),
        Field("toc_problems", "目录问题数", "integer", "目录与正文不一致之处（toc-consistency 的错误和警告）。", description_en="Mismatches between the 目录 and the report (toc-consistency errors and warnings)."),
        Field("prose_sections", "情况说明章节数", "integer", "读到的情况说明一级章节数（预算为全部文字章节）。", description_en="Top-level 情况说明 sections read (budgets: all prose sections)."),
        Field("performance", "有绩效内容", "boolean", "报告有绩效自评表，或有以“绩效”为题的章节。", description_en="The report prints 绩效自评表 or a section headed 绩效."),
        Field("placeholders", "模板遗留数", "integer", "placeholder-text 的错误和警告数。", description_en="placeholder-text errors and warnings."),
        Field("name_year_problems", "名称年度问题数", "integer", "year-consistency 与 department-consistency 的错误和警告数。", description_en="year-consistency and department-consistency errors and warnings."),
    ),
    primary_key=("report_id",),
    foreign_keys=((("report_id",), "reports", ("report_id",)),),
    stage="check",
)


STANDARD_TABLE_CATALOGUE = Resource(
    name="standard_tables",
    title="标准表目录",
    description="模板规定的标准表，每张一行：决算的公开01–09表和预算的表B01…，附标准名称；由识别程序的表格目录生成，网站的报告页按此表列出各表。",
    description_en="The template's standard tables, one row each: final accounts' 公开01–09表 and budgets' B01 …, with their canonical names; generated from the recognizer's catalogue, and read by the site's report pages.",
    fields=(
        Field("table", "表号", "string", "表号：决算为 01…09，预算为 B01…（同 line_items 的 table）。", description_en="Table number: 01…09 for final accounts, B01… for budgets (as line_items' table).", required=True),
        Field("seq", "序号", "integer", "表在目录中的顺序（从 1 起）。", description_en="1-based order of the table in the catalogue.", required=True),
        Field("name", "表名", "string", "标准表名称。", description_en="Canonical Chinese name of the table."),
        Field("kind_family", "决算或预算", "string", "表属于决算模板还是预算模板。", description_en="Whether the table belongs to the final-accounts or the budget template.", enum=("决算", "预算")),
    ),
    primary_key=("table",),
    stage="package",
)

RULE_CATALOGUE = Resource(
    name="rules",
    title="勾稽规则目录",
    description="每条勾稽检查规则一行：规则代码、中文名称、涉及的表、不成立时的结果和中文说明；由检查程序的规则登记表生成，网站的勾稽规则页和各报告页的规则名称都读此表。",
    description_en="The rule catalogue: one row per consistency rule, with its code, Chinese title, tables read, failure severity and a Chinese explanation; generated from the checks registry, and read by the site's rule pages.",
    fields=(
        Field("code", "规则代码", "string", "稳定的规则代码（小写连字符形式），即 checks 表的 rule。", description_en="Stable kebab-case rule code, as in the checks resource's rule.", required=True),
        Field("seq", "序号", "integer", "规则在目录中的顺序（从 1 起）。", description_en="1-based order of the rule in the catalogue.", required=True),
        Field("title", "规则", "string", "规则所检查关系的中文表述。", description_en="Chinese statement of the relation the rule checks.", required=True),
        Field("tables", "涉及表", "string", "规则读取的表，逗号分隔（决算为 01…09，预算为 B01…）；只读情况说明文字的规则为空。", description_en="Tables the rule reads, comma-separated (01…09 for final accounts, B01… for budgets); empty for rules on the prose alone."),
        Field("applies_to", "适用报告", "string", "规则适用的报告：决算或预算。", description_en="Reports the rule runs on: 决算 (final accounts) or 预算 (budgets).", enum=("决算", "预算")),
        Field("severity", "不成立时", "string", "规则不成立时的结果：error（按定义必须相等的关系）或 warning（按惯例应当一致的关系）。", description_en="Result when the rule fails: error (an identity by definition) or warning (a relation by practice).", enum=SEVERITIES),
        Field("tolerance", "尾数误差容差", "number", "每个加数允许的尾数误差：差额不超过此值乘以非零加数个数时记为 rounding（尾数误差）。", unit="万元", description_en="Rounding tolerance per addend: a difference within this times the number of non-zero addends is rounding."),
        Field("explanation", "说明", "string", "规则的中文说明：检查什么、不成立时意味着什么。", description_en="Chinese explanation: what the rule checks and what a failure means."),
    ),
    primary_key=("code",),
    stage="check",
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
        COMPLETENESS,
        RULE_CATALOGUE,
        STANDARD_TABLE_CATALOGUE,
    )
}


@dataclass
class PackageInfo:
    """Top-level descriptor metadata of the published package."""

    name: str = "juesuan"
    title: str = "部门决算公开数据"
    description: str = (
        "部门决算公开报告的开放数据：公开01–09表的每个数字及其来源页码，规范化的汇总表，"
        "以及勾稽关系检查结果。金额单位一律为万元。"
    )
    description_en: str = (
        "Chinese government department final-accounts reports (部门决算公开) as open data: "
        "every number of the standard tables 公开01–09表 with its source page, canonical tables, "
        "and consistency checks (勾稽关系). All amounts in 万元."
    )
    licenses: list[dict[str, str]] = field(
        default_factory=lambda: [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "Creative Commons Attribution 4.0"}]
    )
