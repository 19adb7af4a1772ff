"""The shape of the action-plan workbook: one place for sheets, columns, headers and the word lists.

The template, the export (:mod:`.template`) and the import (:mod:`.reader`) all read this module, so a
file exported today re-imports unchanged and a column added here appears everywhere at once.

Sheets (in this order):

- ``คำอธิบาย`` (instructions): how to fill the workbook, and two cells the import checks: the office's
  area code and the fiscal year (BE) the workbook belongs to;
- ``โครงการ`` (projects), ``ตัวชี้วัด`` (indicators), ``กิจกรรม`` (activities), ``งบประมาณ`` (budget lines by
  source, planned per quarter): the header in row 1 (frozen), one record per row from row 2;
- ``รายการ`` (lists, hidden): the values of the drop-down lists (divisions, strategies, budget sources,
  directions, frequencies, yes/no, users).

Headers, sheet names and list words are written in the active language (Thai by default) and read
back in Thai or English, whatever the catalog says today: each carries its Thai spelling as a fixed
alias, so a file kept from last year still reads after a translation is reworded.

A row whose project code is ``ตัวอย่าง`` (:data:`EXAMPLE_MARK`) is the template's example: the import
skips it, whatever else the row holds.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from plans.models import BudgetSource, Indicator, Strategy


def normalise(value: Any) -> str:
    """A header, sheet name or list word compared loosely: NFC, whitespace collapsed, casefolded, no trailing ``*``."""
    text = unicodedata.normalize("NFC", "" if value is None else str(value))
    return " ".join(text.split()).rstrip("*").strip().casefold()


def spellings(label: str | Promise, *aliases: str) -> set[str]:
    """Normalised spellings of ``label`` in Thai and English, plus ``aliases``."""
    out = {normalise(a) for a in aliases}
    for language in ("th", "en"):
        with translation.override(language):
            out.add(normalise(str(label)))
    out.discard("")
    return out


# --------------------------------------------------------------------------------------------
# Word lists (drop-downs). Each item: stored value, label written in the file, fixed aliases read.
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Word:
    value: Any
    label: str | Promise
    aliases: tuple[str, ...] = ()


DIRECTIONS = [
    Word(Indicator.Direction.AT_LEAST, "≥", (">=", "=>", "gte", "มากกว่าหรือเท่ากับ", "ไม่น้อยกว่า", "at least")),
    Word(Indicator.Direction.AT_MOST, "≤", ("<=", "=<", "lte", "น้อยกว่าหรือเท่ากับ", "ไม่เกิน", "ไม่มากกว่า", "at most")),
]
FREQUENCIES = [
    Word(Indicator.Frequency.QUARTERLY, _("quarterly"), ("รายไตรมาส", "ทุกไตรมาส", "ไตรมาส")),
    Word(Indicator.Frequency.SEMIANNUAL, _("every six months"), ("รายครึ่งปี", "ทุก 6 เดือน", "ครึ่งปี", "semiannual")),
    Word(Indicator.Frequency.ANNUAL, _("annually"), ("รายปี", "ปีละครั้ง", "annual")),
]
YES_NO = [
    Word(True, _("Yes"), ("ใช่", "yes", "y", "true", "1", "✓", "/")),
    Word(False, _("No"), ("ไม่ใช่", "ไม่", "no", "n", "false", "0", "-")),
]
SOURCES = [
    Word(BudgetSource.OBEC, _("OBEC budget"), ("งบ สพฐ.", "สพฐ.", "obec")),
    Word(BudgetSource.AREA, _("area budget"), ("งบเขตพื้นที่", "งบ สพท.", "เขตพื้นที่", "area")),
    Word(BudgetSource.OTHER, _("other sources"), ("อื่น ๆ", "อื่นๆ", "งบอื่น ๆ", "other")),
]
#: Prefixes of strategy codes in the file (``กลยุทธ์ที่ 1``, ``นโยบาย สพฐ. ข้อ 2``): codes repeat across levels.
STRATEGY_PREFIXES = [
    Word(Strategy.Level.NATIONAL, _("National strategy no."), ("ยุทธศาสตร์ชาติด้านที่", "ยุทธศาสตร์ชาติ", "national strategy")),
    Word(Strategy.Level.MINISTRY, _("Ministry policy no."), (
        "นโยบาย ศธ. ข้อ", "นโยบาย ศธ.ข้อ", "นโยบาย ศธ.", "นโยบายกระทรวงศึกษาธิการ ข้อ", "นโยบายกระทรวงศึกษาธิการ", "ministry policy")),
    Word(Strategy.Level.OBEC, _("OBEC policy no."), ("นโยบาย สพฐ. ข้อ", "นโยบาย สพฐ.ข้อ", "นโยบาย สพฐ.", "obec policy")),
    Word(Strategy.Level.OFFICE, _("Strategy no."), ("กลยุทธ์ที่", "กลยุทธ์", "strategy")),
]
#: The 12 months of a fiscal year, October first, as the activity sheet's planning columns.
MONTHS = [
    Word(10, _("Oct"), ("ต.ค.", "ตุลาคม")), Word(11, _("Nov"), ("พ.ย.", "พฤศจิกายน")), Word(12, _("Dec"), ("ธ.ค.", "ธันวาคม")),
    Word(1, _("Jan"), ("ม.ค.", "มกราคม")), Word(2, _("Feb"), ("ก.พ.", "กุมภาพันธ์")), Word(3, _("Mar"), ("มี.ค.", "มีนาคม")),
    Word(4, _("Apr"), ("เม.ย.", "เมษายน")), Word(5, _("May"), ("พ.ค.", "พฤษภาคม")), Word(6, _("Jun"), ("มิ.ย.", "มิถุนายน")),
    Word(7, _("Jul"), ("ก.ค.", "กรกฎาคม")), Word(8, _("Aug"), ("ส.ค.", "สิงหาคม")), Word(9, _("Sep"), ("ก.ย.", "กันยายน")),
]
FISCAL_MONTH_ORDER = [m.value for m in MONTHS]
#: What a planned month is marked with in the activity sheet (any other non-empty mark except "-" or 0 counts too).
MONTH_MARK = "✓"
#: The project code of the template's example rows; such rows are never imported.
EXAMPLE_MARK = "ตัวอย่าง"
EXAMPLE_MARKS = {normalise(EXAMPLE_MARK), "example"}


def word_lookup(words: list[Word]) -> dict[str, Any]:
    """``{normalised spelling: stored value}`` for a word list (Thai, English and aliases)."""
    out: dict[str, Any] = {}
    for w in words:
        for s in spellings(w.label, *w.aliases):
            out.setdefault(s, w.value)
    return out


def label_of(words: list[Word], value: Any) -> str:
    """The label written in the file for a stored ``value`` ("" if none)."""
    for w in words:
        if w.value == value:
            return str(w.label)
    return ""


# --------------------------------------------------------------------------------------------
# Columns and sheets
# --------------------------------------------------------------------------------------------
#: Kinds of cells, read and written alike: text; code (text, digits kept as typed); money (baht,
#: ≥ 0, 2 decimals); number (any sign, 2 decimals); order (whole number ≥ 1); date; a word of a
#: list; strategy / strategies (prefixed codes); division (code, optionally followed by its name);
#: user (username); month (a planning mark).
KINDS = {"text", "code", "money", "number", "order", "date", "word", "strategy", "strategies", "division", "user", "month"}


@dataclass(frozen=True)
class Column:
    """One column of a data sheet.

    ``key`` names the record field; ``required`` means the header must be present and the cell
    filled (``header_required`` only the header); ``words`` the drop-down of a ``word`` column;
    ``list_name`` the column of the lists sheet its drop-down reads; ``max_length`` the model's limit.
    """

    key: str
    header: str | Promise
    kind: str
    width: float = 16
    required: bool = False
    header_required: bool = False
    help: str | Promise = ""
    aliases: tuple[str, ...] = ()
    max_length: int | None = None
    words: list[Word] | None = None
    list_name: str = ""
    month: int | None = None

    def __post_init__(self) -> None:
        assert self.kind in KINDS, self.kind

    @property
    def must_have_header(self) -> bool:
        return self.required or self.header_required

    def spellings(self) -> set[str]:
        return spellings(self.header, *self.aliases)


@dataclass(frozen=True)
class Sheet:
    key: str
    title: str | Promise
    aliases: tuple[str, ...]
    columns: list[Column] = field(default_factory=list)
    help: str | Promise = ""

    def spellings(self) -> set[str]:
        return spellings(self.title, *self.aliases)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


PROJECT_CODE = dict(kind="code", width=14, max_length=30)

PROJECTS = Sheet("projects", _("Projects"), ("โครงการ",), [
    Column("code", _("Project code"), required=True, aliases=("รหัสโครงการ",), help=_("Unique within the plan, e.g. 69-01-001; projects are matched by this code."), **PROJECT_CODE),
    Column("name", _("Project name"), "text", 48, required=True, aliases=("ชื่อโครงการ",), max_length=500),
    Column("strategy", _("Main strategy"), "strategy", 20, required=True, aliases=("กลยุทธ์หลัก",), list_name="strategies",
           help=_("A code from the drop-down: an office strategy (กลยุทธ์ที่ 1), an OBEC policy or a national strategy of the fiscal year.")),
    Column("strategies", _("Also serves (codes, comma-separated)"), "strategies", 28, aliases=("สอดคล้องกับยุทธศาสตร์/นโยบาย",),
           help=_("Other strategies or policies the project serves, separated by commas, e.g. นโยบาย สพฐ. ข้อ 1, ยุทธศาสตร์ชาติด้านที่ 3.")),
    Column("division", _("Responsible division"), "division", 30, required=True, aliases=("กลุ่มที่รับผิดชอบ",), list_name="divisions",
           help=_("The division's two-digit code, with or without its name (01 or 01 กลุ่มอำนวยการ).")),
    Column("owner", _("Project owner (username)"), "user", 20, aliases=("ผู้รับผิดชอบโครงการ (ชื่อผู้ใช้)",), list_name="users",
           help=_("The EMES username of the person who reports on the project; a member of the office's staff.")),
    Column("responsible_people", _("Responsible people"), "text", 26, aliases=("บุคลากรผู้รับผิดชอบ",), max_length=500),
    Column("budget", _("Budget (baht)"), "money", 16, header_required=True, aliases=("งบประมาณ (บาท)",),
           help=_("Required when the project has no line in the budget sheet; otherwise it may be left empty and must equal the sum of its lines.")),
    Column("start_date", _("Start date"), "date", 14, aliases=("วันเริ่มต้น",), help=_("A date within the fiscal year, BE (1/10/2568) or an Excel date.")),
    Column("end_date", _("End date"), "date", 14, aliases=("วันสิ้นสุด",), help=_("Not before the start date, within the fiscal year.")),
    Column("rationale", _("Rationale"), "text", 40, aliases=("หลักการและเหตุผล",)),
    Column("objectives", _("Objectives"), "text", 40, aliases=("วัตถุประสงค์",)),
    Column("targets_quantity", _("Targets (quantity)"), "text", 32, aliases=("เป้าหมายเชิงปริมาณ",)),
    Column("targets_quality", _("Targets (quality)"), "text", 32, aliases=("เป้าหมายเชิงคุณภาพ",)),
], help=_("One row per project."))

INDICATORS = Sheet("indicators", _("Indicators"), ("ตัวชี้วัด",), [
    Column("project", _("Project code"), header_required=True, aliases=("รหัสโครงการ",),
           help=_("The project of the indicator; leave empty for an indicator of a strategy."), **PROJECT_CODE),
    Column("strategy", _("Strategy (strategy indicators only)"), "strategy", 20, aliases=("กลยุทธ์ (ตัวชี้วัดระดับกลยุทธ์)",), list_name="office_strategies",
           help=_("For an indicator of an office strategy instead of a project: its code (กลยุทธ์ที่ 1); leave empty for a project indicator.")),
    Column("code", _("Indicator code"), "code", 12, aliases=("รหัสตัวชี้วัด",), max_length=30,
           help=_("Optional; indicators are matched by code, or by name when there is no code.")),
    Column("name", _("Indicator"), "text", 48, required=True, aliases=("ตัวชี้วัด", "ชื่อตัวชี้วัด"), max_length=500),
    Column("unit", _("Unit"), "text", 12, required=True, aliases=("หน่วยนับ",), max_length=50),
    Column("baseline", _("Baseline"), "number", 11, aliases=("ค่าฐาน",)),
    Column("target", _("Target"), "number", 11, required=True, aliases=("ค่าเป้าหมาย",)),
    Column("direction", _("Direction (≥ / ≤)"), "word", 12, aliases=("ทิศทาง (≥ / ≤)", "ทิศทาง"), words=DIRECTIONS, list_name="directions",
           help=_("≥ when the result must reach the target or more, ≤ when it must stay at or below it; empty = ≥.")),
    Column("is_percentage", _("Percentage (numerator / denominator)"), "word", 14, aliases=("เป็นร้อยละ (ตัวตั้ง/ตัวหาร)",), words=YES_NO, list_name="yes_no",
           help=_("Yes when results are reported as numerator and denominator and the actual is their percentage; empty = no.")),
    Column("frequency", _("Reporting frequency"), "word", 14, aliases=("ความถี่การรายงาน",), words=FREQUENCIES, list_name="frequencies",
           help=_("Empty = quarterly.")),
    Column("responsible", _("Responsible person"), "text", 22, aliases=("ผู้รับผิดชอบตัวชี้วัด",), max_length=300),
], help=_("One row per indicator: of a project (project code) or of an office strategy (strategy code)."))

ACTIVITIES = Sheet("activities", _("Activities"), ("กิจกรรม",), [
    Column("project", _("Project code"), required=True, aliases=("รหัสโครงการ",), **PROJECT_CODE),
    Column("order", _("No."), "order", 7, required=True, aliases=("ลำดับที่",), help=_("1, 2, 3 … within the project; activities are matched by project and number.")),
    Column("name", _("Activity"), "text", 44, required=True, aliases=("กิจกรรม", "ชื่อกิจกรรม"), max_length=500),
    *[Column(f"m{m.value}", m.label, "month", 5.5, header_required=True, aliases=m.aliases[:1], month=m.value) for m in MONTHS],
    Column("budget", _("Budget (baht)"), "money", 15, aliases=("งบประมาณ (บาท)",), help=_("Empty = 0. The activities of a project may not exceed its budget.")),
    Column("responsible", _("Responsible"), "text", 22, aliases=("ผู้รับผิดชอบกิจกรรม",), max_length=300),
], help=_("One row per activity; mark the planned months with ✓."))

BUDGET = Sheet("budget", _("Budget"), ("งบประมาณ",), [
    Column("project", _("Project code"), required=True, aliases=("รหัสโครงการ",), **PROJECT_CODE),
    Column("source", _("Budget source"), "word", 18, required=True, aliases=("แหล่งงบประมาณ",), words=SOURCES, list_name="sources"),
    Column("amount", _("Amount (baht)"), "money", 16, required=True, aliases=("จำนวนเงิน (บาท)",)),
    Column("q1", _("Planned Q1 Oct-Dec (baht)"), "money", 15, header_required=True, aliases=("แผนไตรมาส 1 ต.ค.-ธ.ค. (บาท)",)),
    Column("q2", _("Planned Q2 Jan-Mar (baht)"), "money", 15, header_required=True, aliases=("แผนไตรมาส 2 ม.ค.-มี.ค. (บาท)",)),
    Column("q3", _("Planned Q3 Apr-Jun (baht)"), "money", 15, header_required=True, aliases=("แผนไตรมาส 3 เม.ย.-มิ.ย. (บาท)",)),
    Column("q4", _("Planned Q4 Jul-Sep (baht)"), "money", 15, header_required=True, aliases=("แผนไตรมาส 4 ก.ค.-ก.ย. (บาท)",)),
], help=_("One row per project and source; the four planned quarters add up to the amount (empty = 0)."))

DATA_SHEETS = [PROJECTS, INDICATORS, ACTIVITIES, BUDGET]
INSTRUCTIONS_TITLE = _("Instructions")
INSTRUCTIONS_ALIASES = ("คำอธิบาย", "คำชี้แจง")
LISTS_TITLE = _("Lists")
#: Labels of the two cells of the instructions sheet the import checks (column A label, column B value).
AREA_CODE_LABEL = _("Area code of the office")
AREA_CODE_ALIASES = ("รหัสเขตพื้นที่",)
FISCAL_YEAR_LABEL = _("Fiscal year (BE)")
FISCAL_YEAR_ALIASES = ("ปีงบประมาณ (พ.ศ.)", "ปีงบประมาณ")
#: The identity cells are looked for in the first rows of column A.
IDENTITY_ROWS = 12
#: Rows below the header that carry drop-downs and formats in a written workbook (at least).
VALIDATED_ROWS = 1000
#: A data sheet with more rows than this is refused (a stray cell at row 1,048,576 would make the import crawl).
MAX_ROWS = 10_000


def sheet_order(key: str) -> int:
    return {"instructions": 0, **{s.key: i + 1 for i, s in enumerate(DATA_SHEETS)}}.get(key, 99)
