"""The Excel workbook of a round's summary: sheets office, clusters, districts, schools.

One row per group, grade and skill (the grades together as the last grade, "ทุกชั้น"): students
assessed, the four counts and their shares (% of assessed, two decimals, as numbers). Every text cell
goes through ``plans.workbook.template.write_cell``, so a school or cluster name starting with = + - @ stays
text, never a formula (OWASP "CSV Injection"). Headers in the active language.
"""
from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from emes.models import Grade
from emes.thai import be_datetime
from emes.output.excel import PERCENT_FORMAT, sheet_title, write_cell, write_header

from .models import Skill
from .summary import ALL_GRADES, GroupSummary, RoundSummary

def _grade_label(grade: str) -> str:
    return _("All grades") if grade == ALL_GRADES else str(Grade(grade).label)


def _value_headers() -> list[tuple[str, int, str]]:
    levels = [_("Very good"), _("Good"), _("Fair"), _("Needs improvement")]
    return ([(_("Grade"), 10, "text"), (_("Skill"), 30, "text"), (_("Students assessed"), 11, "int")]
            + [(label, 10, "int") for label in levels]
            + [(_("%(level)s (%%)") % {"level": label}, 11, "pct") for label in levels]
            + [(_("Very good + good (%)"), 12, "pct")])


def _put(ws, row: int, col: int, value: Any, kind: str) -> None:
    cell = ws.cell(row=row, column=col)
    if value is None or value == "":
        return
    if kind == "pct":
        cell.value, cell.number_format = float(value), PERCENT_FORMAT
    elif kind == "int":
        cell.value = int(value)
    else:
        write_cell(cell, str(value))


def _group_rows(group: GroupSummary, grades: list[str]) -> list[list[Any]]:
    rows = []
    for g in [*group.ordered_grades(grades), group.all_grades]:
        for skill, _label, counts in g.skill_rows():
            rows.append([_grade_label(g.grade), str(Skill(skill).label), g.assessed, *counts.counts, *counts.percents,
                         counts.top_pct])
    return rows


def _sheet(ws, lead: list[tuple[str, int, str]],
           groups: list[tuple[list[Any], GroupSummary]], grades: list[str], heading: str) -> None:
    write_cell(ws["A1"], heading)
    ws["A1"].font = Font(bold=True, size=13)
    headers = lead + _value_headers()
    write_header(ws, 3, headers)
    ws.freeze_panes = ws.cell(row=4, column=len(lead) + 3)
    row = 4
    for lead_values, group in groups:
        for values in _group_rows(group, grades):
            for col, (value, (_t, _w, kind)) in enumerate(zip([*lead_values, *values], headers), start=1):
                _put(ws, row, col, value, kind)
            row += 1


def write_summary_workbook(summary: RoundSummary) -> bytes:
    """The .xlsx bytes of ``summary`` (``literacy.summary.round_summary``)."""
    rnd = summary.round
    wb = Workbook()
    taken: set[str] = set()
    heading = _("Literacy assessment, academic year %(year)s, round %(number)s — %(office)s") % {
        "year": rnd.academic_year, "number": rnd.number, "office": summary.office.name}
    schools_col = (_("Schools submitted"), 10, "int")
    office_ws = wb.active
    office_ws.title = sheet_title(_("Office"), taken)
    _sheet(office_ws, [schools_col], [([summary.office_total.schools], summary.office_total)],
           summary.grades, heading)
    write_cell(office_ws["A2"], _("Submitted %(n)s of %(total)s schools · exported %(at)s · shares are of the students assessed") % {
        "n": summary.submitted, "total": summary.expected, "at": be_datetime(timezone.now())})
    _sheet(wb.create_sheet(sheet_title(_("Clusters"), taken)), [(_("Cluster"), 28, "text"), schools_col],
           [([g.key or _("(no cluster)"), g.schools], g) for g in summary.clusters], summary.grades, heading)
    _sheet(wb.create_sheet(sheet_title(_("Districts"), taken)), [(_("District"), 20, "text"), schools_col],
           [([g.key or _("(no district)"), g.schools], g) for g in summary.districts], summary.grades, heading)
    school_lead = [(_("SMIS code"), 11, "text"), (_("School"), 34, "text"), (_("Cluster"), 22, "text"),
                   (_("District"), 16, "text"), (_("Flagged"), 9, "text")]
    _sheet(wb.create_sheet(sheet_title(_("Schools"), taken)), school_lead,
           [([r.school.smis_code, r.school.name, r.school.cluster, r.school.district, _("Yes") if r.flagged_skills else ""],
             r.summary) for r in summary.schools if r.summary is not None], summary.grades, heading)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
