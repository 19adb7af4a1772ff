"""Demo data: a real office (สพป.แพร่ เขต 2) with its real schools and a generated FY 2569 plan.

``load_demo()`` fills an empty (or an already loaded) database with one office people can click
through. What is real and what is generated:

Real, read from ``data/demo/`` (copies of public files, see ``data/demo/SOURCES.md``):

- the office's area code 5402 and name สพป.แพร่ เขต 2;
- its 103 schools: 8-digit SMIS code, 10-digit ministry code, name, district, sub-district, school
  cluster, lowest/highest grade, students (``-`` in the source = unknown), and the 16 schools that
  study together with another (``เรียนรวม``: stored closed, ``merged_into`` = the host school);
- the 10 standard divisions (กลุ่ม, codes 01-10) of ``esao_groups.csv``;
- the 4 OBEC policy dimensions of ``sfmis_master_obec_policy.csv`` (``del=0`` rows; FY 2565-era
  text used as the FY 2569 frame), stored as shared strategies (``office=None``, level ``obec``).

Generated (deterministic, ``random.Random(2569)``; clearly fake, do not quote as facts):

- the director's name, the letter prefix placeholder ``ศธ 04xxx`` (address and phone left blank:
  not verified); e-mail addresses under ``emes-demo.invalid`` for the office, the users and four
  schools in five (the fifth has none, so its reminder letters are listed for printing);
- 5 office strategies (กลยุทธ์) with goals (เป้าประสงค์) shaped like real ESAO plans;
- 40 projects (codes ``69-<division>-<nnn>``) with budgets of 20,000-800,000 baht (multiples of
  1,000), 1-3 indicators each, and their Q1-Q4 quarterly reports, indicator results and
  disbursements (baht, per quarter; a project's total never exceeds its budget);
- the demo users, all with the password :data:`DEMO_PASSWORD`.

Re-running is idempotent: rows are found by their natural keys (area code, SMIS code, division
code, strategy code, project code, username, ...) and updated to the generated values; for the
generated projects, indicators / reports / results that the generator no longer produces are
removed, so the demo projects return to exactly the generated state.
"""
from __future__ import annotations

import csv
import datetime as dt
import math
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from pathlib import Path
from typing import TextIO
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.db.models import Count, Sum

from emes.calendar.services import generate_calendar  # the monitoring calendar of FY 2569 and 2570 (issue 7)
from emes.db import analyze
from emes.fiscal import FiscalYear, Quarter, WorkingCalendar, report_due_date
from emes.models import Division, Membership, Office, Profile, Role, School
from emes.services import ensure_office_admin_group
from inspections.demo import load_inspection_demo  # rounds 1/2569 (closed) and 1/2570 (open), issue 8
from literacy.models import LiteracyRound
from plans.models import (
    ActionPlan,
    Activity,
    BudgetLine,
    BudgetSource,
    Indicator,
    IndicatorResult,
    PlanTransition,
    Project,
    QuarterlyReport,
    ReportDisbursement,
    ReportTransition,
    Strategy,
)
from plans.policies import load_shared_policies
from plans.services import plan_snapshot

#: Folder of the real public files the demo reads (shipped with the repository).
DATA_DIR: Path = Path(settings.BASE_DIR) / "data" / "demo"
#: The demo fiscal year (BE) and the seed of every generated value.
DEMO_FISCAL_YEAR = 2569
SEED = 2569
#: The password of every demo account (printed by ``manage.py load_demo``).
DEMO_PASSWORD = "emes-demo-2569"
AREA_CODE = "5402"
BANGKOK = ZoneInfo("Asia/Bangkok")


# --------------------------------------------------------------------------------------------
# Summary
# --------------------------------------------------------------------------------------------
@dataclass
class DemoSummary:
    """Row counts of the demo office after loading (the same after every run).

    Money is in baht. ``reports_by_status`` maps a ``QuarterlyReport.Status`` value to its count;
    ``timeliness`` maps quarter (1-4) to counts of ``on_time`` / ``late`` (submitted after the due
    date) / ``missing`` (no report or a draft never submitted).
    """

    office: str
    divisions: int
    schools: int
    schools_closed: int
    obec_policies: int
    office_strategies: int
    projects: int
    indicators: int
    users: int
    memberships: int
    reports: int
    indicator_results: int
    budget_total: Decimal
    disbursed_total: Decimal
    reports_by_status: dict[str, int] = field(default_factory=dict)
    timeliness: dict[int, dict[str, int]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """The summary as human-readable lines (Thai office name, English labels)."""
        out = [
            f"Office: {self.office}",
            f"Divisions: {self.divisions}",
            f"Schools: {self.schools} ({self.schools_closed} merged into another school, stored closed)",
            f"Strategies FY {DEMO_FISCAL_YEAR}: {self.obec_policies} OBEC policies (shared), {self.office_strategies} office strategies",
            f"Projects: {self.projects}, indicators: {self.indicators}",
            f"Budget: {self.budget_total:,.2f} baht; disbursed (all report rows): {self.disbursed_total:,.2f} baht",
            f"Quarterly reports: {self.reports} ({', '.join(f'{k} {v}' for k, v in sorted(self.reports_by_status.items()))})",
            f"Indicator results: {self.indicator_results}",
            f"Users: {self.users}, memberships: {self.memberships}",
        ]
        for q, counts in sorted(self.timeliness.items()):
            out.append(f"Q{q}/{DEMO_FISCAL_YEAR}: on time {counts['on_time']}, late {counts['late']}, missing {counts['missing']}")
        return out


# --------------------------------------------------------------------------------------------
# Fixed generated content
# --------------------------------------------------------------------------------------------
OFFICE_DEFAULTS = {
    "name": "สพป.แพร่ เขต 2",
    "type": Office.Type.PRIMARY,
    "province": "แพร่",
    "address": "",  # not verified: left blank on purpose
    "phone": "",
    "director_name": "นายสมชาย ตัวอย่าง",  # generated
    "director_position": "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาแพร่ เขต 2",
    "letter_prefix": "ศธ 04xxx",  # placeholder: the real prefix is not verified
    "email": "plan@emes-demo.invalid",  # generated
}

#: Office strategies (กลยุทธ์): code, OBEC policy code served, name, goal (เป้าประสงค์). Generated,
#: worded after real ESAO plans (``esao_action_plan_excerpts.txt`` [A], [E]).
OFFICE_STRATEGIES = [
    ("1", "1", "ด้านความปลอดภัย: จัดการศึกษาเพื่อสร้างความปลอดภัยให้แก่ผู้เรียน ครูและบุคลากรทางการศึกษา",
     "ผู้เรียน ครูและบุคลากรทางการศึกษาได้รับการดูแลช่วยเหลือ ปลอดภัยจากภัยคุกคามทุกรูปแบบ และมีสุขภาวะที่ดี"),
    ("2", "2", "ด้านโอกาส: เพิ่มโอกาสและลดความเหลื่อมล้ำในการเข้าถึงการศึกษาขั้นพื้นฐานที่มีคุณภาพ",
     "ประชากรวัยเรียนทุกคนได้รับโอกาสในการศึกษาขั้นพื้นฐานอย่างทั่วถึง มีคุณภาพ และเสมอภาค"),
    ("3", "3", "ด้านคุณภาพผู้เรียน: ยกระดับคุณภาพการจัดการศึกษาให้ผู้เรียนมีทักษะที่จำเป็นในศตวรรษที่ 21",
     "ผู้เรียนอ่านออกเขียนได้ มีความรู้ ทักษะและสมรรถนะตามหลักสูตร และมีผลสัมฤทธิ์ทางการเรียนสูงขึ้น"),
    ("4", "3", "ด้านคุณภาพครู: พัฒนาครูและบุคลากรทางการศึกษาให้มีสมรรถนะตามมาตรฐานวิชาชีพ",
     "ครูและบุคลากรทางการศึกษามีสมรรถนะตรงตามสายงาน มีวัฒนธรรมการทำงานที่มุ่งเน้นผลสัมฤทธิ์ มีขวัญและกำลังใจในการปฏิบัติงาน"),
    ("5", "4", "ด้านประสิทธิภาพ: พัฒนาระบบการบริหารจัดการโดยใช้เขตพื้นที่การศึกษาเป็นฐาน",
     "สำนักงานเขตพื้นที่การศึกษาและสถานศึกษามีระบบการบริหารจัดการที่มีคุณภาพตามหลักธรรมาภิบาล"),
]


@dataclass(frozen=True)
class IndicatorTemplate:
    """A generated indicator: ``kind`` says when it is reported.

    ``count`` cumulative count reported every quarter; ``rate`` a percentage/score reported every
    quarter; ``semester`` reported in Q2 and Q4; ``annual`` reported in Q4 only.
    """

    name: str
    unit: str
    target: Decimal
    direction: str = "gte"
    kind: str = "rate"
    baseline: Decimal | None = None


def _i(name: str, unit: str, target: float, direction: str = "gte", kind: str = "rate", baseline: float | None = None) -> IndicatorTemplate:
    return IndicatorTemplate(name, unit, Decimal(str(target)), direction, kind, None if baseline is None else Decimal(str(baseline)))


#: (division code, office strategy code, project name, objective, indicators). All generated.
PROJECTS: list[tuple[str, str, str, str, list[IndicatorTemplate]]] = [
    # กลยุทธ์ที่ 1 ด้านความปลอดภัย
    ("03", "1", "โครงการสถานศึกษาปลอดภัย (MOE Safety Center)", "เพื่อให้สถานศึกษามีระบบป้องกันและแก้ไขปัญหาความไม่ปลอดภัยและรายงานเหตุผ่านระบบ MOE Safety Center", [
        _i("ร้อยละของสถานศึกษาที่มีแผนเผชิญเหตุและรายงานผ่านระบบ MOE Safety Center", "ร้อยละ", 100, baseline=92),
        _i("จำนวนโรงเรียนที่ได้รับการติดตามมาตรการความปลอดภัย", "โรงเรียน", 80, kind="count"),
    ]),
    ("03", "1", "โครงการพัฒนาระบบการดูแลช่วยเหลือนักเรียน", "เพื่อให้โรงเรียนดำเนินการระบบดูแลช่วยเหลือนักเรียนครบทุกขั้นตอนและคัดกรองนักเรียนกลุ่มเสี่ยง", [
        _i("ร้อยละของโรงเรียนที่ดำเนินการระบบดูแลช่วยเหลือนักเรียนครบ 5 ขั้นตอน", "ร้อยละ", 100, baseline=95),
        _i("ร้อยละของนักเรียนกลุ่มเสี่ยงที่ได้รับการดูแลช่วยเหลือ", "ร้อยละ", 95, kind="semester"),
    ]),
    ("03", "1", "โครงการป้องกันและแก้ไขปัญหายาเสพติดในสถานศึกษา (สถานศึกษาสีขาว)", "เพื่อป้องกันและแก้ไขปัญหายาเสพติดและอบายมุขในสถานศึกษา", [
        _i("จำนวนโรงเรียนที่ผ่านการประเมินสถานศึกษาสีขาว ปลอดยาเสพติดและอบายมุข", "โรงเรียน", 30, kind="annual"),
        _i("ร้อยละของนักเรียนที่เกี่ยวข้องกับยาเสพติด", "ร้อยละ", 1, "lte", kind="semester", baseline=1.5),
    ]),
    ("03", "1", "โครงการส่งเสริมสุขภาวะและโภชนาการนักเรียน", "เพื่อให้นักเรียนได้รับอาหารกลางวันที่มีคุณค่าทางโภชนาการและมีภาวะโภชนาการสมวัย", [
        _i("ร้อยละของนักเรียนที่มีภาวะทุพโภชนาการ", "ร้อยละ", 7, "lte", kind="semester", baseline=8.4),
        _i("ร้อยละของโรงเรียนที่จัดรายการอาหารกลางวันผ่านระบบ Thai School Lunch", "ร้อยละ", 100, baseline=96),
    ]),
    ("03", "1", "โครงการส่งเสริมทักษะการว่ายน้ำเพื่อเอาชีวิตรอด", "เพื่อป้องกันการจมน้ำของเด็กวัยเรียน", [
        _i("ร้อยละของนักเรียนชั้น ป.1-3 ที่ผ่านการฝึกทักษะการเอาชีวิตรอดทางน้ำ", "ร้อยละ", 80, kind="annual", baseline=64),
    ]),
    ("01", "1", "โครงการสำนักงานเขตพื้นที่การศึกษาปลอดภัยและเป็นมิตรกับสิ่งแวดล้อม", "เพื่อให้สำนักงานเขตพื้นที่การศึกษามีความปลอดภัยและเป็นสำนักงานสีเขียว", [
        _i("จำนวนครั้งของการซ้อมแผนป้องกันและระงับอัคคีภัย", "ครั้ง", 2, kind="count"),
        _i("ร้อยละของบุคลากรที่ผ่านการอบรมความปลอดภัยในสำนักงาน", "ร้อยละ", 90),
    ]),
    # กลยุทธ์ที่ 2 ด้านโอกาส
    ("03", "2", "โครงการส่งเสริมโอกาสทางการศึกษาและป้องกันการออกกลางคัน", "เพื่อลดจำนวนนักเรียนออกกลางคันและช่วยเหลือนักเรียนยากจน", [
        _i("จำนวนนักเรียนออกกลางคัน", "คน", 3, "lte", kind="annual", baseline=5),
        _i("ร้อยละของนักเรียนยากจนพิเศษที่ได้รับทุนเสมอภาค", "ร้อยละ", 100, kind="semester"),
    ]),
    ("03", "2", "โครงการรับนักเรียนและติดตามเด็กตกหล่น ปีการศึกษา 2569", "เพื่อให้ประชากรวัยเรียนในเขตพื้นที่ได้เข้าเรียนครบทุกคน", [
        _i("ร้อยละของประชากรวัยเรียนที่ได้เข้าเรียน", "ร้อยละ", 99, kind="annual", baseline=98.2),
        _i("จำนวนเด็กตกหล่นที่ติดตามกลับเข้าสู่ระบบการศึกษา", "คน", 10, kind="count"),
    ]),
    ("03", "2", "โครงการจัดการศึกษาพิเศษและการเรียนรวม", "เพื่อให้นักเรียนที่มีความต้องการจำเป็นพิเศษได้รับการพัฒนาตามศักยภาพ", [
        _i("ร้อยละของนักเรียนที่มีความต้องการจำเป็นพิเศษที่มีแผนการจัดการศึกษาเฉพาะบุคคล (IEP)", "ร้อยละ", 100, baseline=90),
    ]),
    ("02", "2", "โครงการพัฒนาโรงเรียนคุณภาพประจำตำบล", "เพื่อพัฒนาโรงเรียนคุณภาพให้เป็นโรงเรียนหลักที่รองรับนักเรียนจากโรงเรียนขนาดเล็ก", [
        _i("จำนวนโรงเรียนคุณภาพที่ผ่านเกณฑ์การประเมิน", "โรงเรียน", 9, kind="annual"),
        _i("ร้อยละของผู้ปกครองที่พึงพอใจต่อการจัดการศึกษาของโรงเรียนคุณภาพ", "ร้อยละ", 85, kind="annual"),
    ]),
    ("07", "2", "โครงการพัฒนาการจัดการเรียนการสอนทางไกลผ่านดาวเทียม (DLTV)", "เพื่อให้โรงเรียนขนาดเล็กจัดการเรียนการสอนผ่าน DLTV ได้อย่างมีคุณภาพ", [
        _i("ร้อยละของโรงเรียน DLTV ที่จัดการเรียนการสอนได้ครบตามตาราง", "ร้อยละ", 95, baseline=88),
        _i("จำนวนโรงเรียนที่ได้รับการซ่อมบำรุงอุปกรณ์ DLTV", "โรงเรียน", 25, kind="count"),
    ]),
    ("03", "2", "โครงการส่งเสริมทักษะอาชีพในโรงเรียนขยายโอกาสทางการศึกษา", "เพื่อให้นักเรียนโรงเรียนขยายโอกาสมีทักษะอาชีพและการมีงานทำ", [
        _i("จำนวนโรงเรียนขยายโอกาสที่จัดกิจกรรมทักษะอาชีพ", "โรงเรียน", 30, kind="count"),
    ]),
    ("05", "2", "โครงการพัฒนาการจัดการศึกษาปฐมวัย", "เพื่อให้เด็กปฐมวัยมีพัฒนาการสมวัยทุกด้าน", [
        _i("ร้อยละของเด็กปฐมวัยที่มีพัฒนาการ สมรรถนะ และคุณลักษณะที่ดีที่สมวัยทุกด้าน", "ร้อยละ", 90, kind="semester", baseline=86.5),
    ]),
    # กลยุทธ์ที่ 3 ด้านคุณภาพผู้เรียน
    ("05", "3", "โครงการยกระดับผลสัมฤทธิ์ทางการเรียน", "เพื่อยกระดับผลการทดสอบระดับชาติขั้นพื้นฐาน (O-NET) ของนักเรียน ป.6 และ ม.3", [
        _i("ร้อยละของนักเรียนที่มีคะแนน O-NET แต่ละวิชาผ่านเกณฑ์ร้อยละ 50 ขึ้นไป", "ร้อยละ", 30, kind="annual", baseline=26.4),
        _i("จำนวนโรงเรียนที่จัดทำแผนยกระดับผลสัมฤทธิ์ทางการเรียน", "โรงเรียน", 87, kind="count"),
    ]),
    ("05", "3", "โครงการส่งเสริมการอ่านออกเขียนได้ ป.1-3", "เพื่อให้นักเรียนชั้น ป.1-3 อ่านออกเขียนได้ และแก้ปัญหานักเรียนที่อ่านไม่ออกเขียนไม่ได้", [
        _i("ร้อยละของนักเรียนชั้น ป.1-3 ที่อ่านออกเขียนได้", "ร้อยละ", 90, kind="semester", baseline=85.2),
        _i("ร้อยละของนักเรียนที่อ่านไม่ออก", "ร้อยละ", 5, "lte", kind="semester", baseline=7.8),
    ]),
    ("05", "3", "โครงการประเมินความสามารถด้านการอ่าน (RT) และคุณภาพผู้เรียน (NT)", "เพื่อดำเนินการประเมิน RT ชั้น ป.1 และ NT ชั้น ป.3 และนำผลไปพัฒนาผู้เรียน", [
        _i("ร้อยละของนักเรียนชั้น ป.1 ที่มีผลการประเมิน RT ผ่านเกณฑ์ร้อยละ 50 ขึ้นไป", "ร้อยละ", 81, kind="annual", baseline=78),
        _i("ร้อยละของนักเรียนชั้น ป.3 ที่มีผลการประเมิน NT คณิตศาสตร์และภาษาไทยผ่านเกณฑ์ร้อยละ 50 ขึ้นไป", "ร้อยละ", 55, kind="annual", baseline=52),
    ]),
    ("05", "3", "โครงการนิเทศ ติดตาม และประเมินผลการจัดการศึกษา", "เพื่อนิเทศ ติดตาม ช่วยเหลือโรงเรียนในการจัดการเรียนการสอนอย่างต่อเนื่อง", [
        _i("จำนวนโรงเรียนที่ได้รับการนิเทศ ติดตาม", "โรงเรียน", 87, kind="count"),
        _i("จำนวนครั้งของการนิเทศแบบกลุ่มโรงเรียน", "ครั้ง", 18, kind="count"),
        _i("ร้อยละของโรงเรียนที่พึงพอใจต่อการนิเทศ", "ร้อยละ", 85, kind="semester"),
    ]),
    ("05", "3", "โครงการพัฒนาหลักสูตรสถานศึกษาฐานสมรรถนะ", "เพื่อให้โรงเรียนพัฒนาหลักสูตรสถานศึกษาและจัดการเรียนรู้ฐานสมรรถนะ", [
        _i("ร้อยละของโรงเรียนที่ใช้หลักสูตรสถานศึกษาฐานสมรรถนะ", "ร้อยละ", 80, baseline=55),
    ]),
    ("05", "3", "โครงการพัฒนาทักษะการคิดวิเคราะห์ตามแนวการประเมิน PISA", "เพื่อพัฒนาสมรรถนะการอ่าน คณิตศาสตร์ และวิทยาศาสตร์ของนักเรียนตามแนว PISA", [
        _i("ร้อยละของนักเรียนที่ผ่านการทดสอบตามแนว PISA ร้อยละ 50 ขึ้นไป", "ร้อยละ", 50, kind="annual", baseline=41),
        _i("จำนวนครูที่ผ่านการอบรมการสร้างข้อสอบแนว PISA", "คน", 90, kind="count"),
    ]),
    ("05", "3", "โครงการส่งเสริมการจัดการเรียนรู้เชิงรุก (Active Learning)", "เพื่อให้ครูจัดการเรียนรู้เชิงรุกและผู้เรียนได้ลงมือปฏิบัติ", [
        _i("ร้อยละของครูที่จัดการเรียนรู้เชิงรุก", "ร้อยละ", 80, kind="semester", baseline=70),
    ]),
    ("03", "3", "โครงการส่งเสริมคุณธรรม จริยธรรม และค่านิยมที่พึงประสงค์ (โรงเรียนคุณธรรม)", "เพื่อปลูกฝังคุณธรรม จริยธรรม และค่านิยมที่พึงประสงค์แก่นักเรียน", [
        _i("จำนวนโรงเรียนที่ผ่านการประเมินโรงเรียนคุณธรรม", "โรงเรียน", 20, kind="annual"),
    ]),
    ("03", "3", "โครงการจัดงานศิลปหัตถกรรมนักเรียน ระดับเขตพื้นที่การศึกษา", "เพื่อเป็นเวทีแสดงความสามารถของนักเรียนและคัดเลือกตัวแทนเข้าแข่งขันระดับภาค", [
        _i("จำนวนนักเรียนที่เข้าร่วมการแข่งขัน", "คน", 800, kind="count"),
        _i("ร้อยละของผลงานที่ได้รับรางวัลระดับเหรียญทอง", "ร้อยละ", 60, kind="annual"),
    ]),
    ("07", "3", "โครงการส่งเสริมการใช้เทคโนโลยีดิจิทัลเพื่อการเรียนรู้", "เพื่อให้ครูและนักเรียนใช้แพลตฟอร์มการเรียนรู้ดิจิทัลในการจัดการเรียนรู้", [
        _i("ร้อยละของครูที่ใช้แพลตฟอร์มการเรียนรู้ดิจิทัลในการจัดการเรียนรู้", "ร้อยละ", 80, baseline=62),
        _i("จำนวนครูที่ผ่านการอบรมการใช้เทคโนโลยีดิจิทัล", "คน", 150, kind="count"),
    ]),
    ("05", "3", "โครงการพัฒนาการจัดการเรียนรู้ภาษาอังกฤษเพื่อการสื่อสาร", "เพื่อพัฒนาทักษะการสื่อสารภาษาอังกฤษของนักเรียน", [
        _i("ร้อยละของนักเรียนชั้น ป.6 ที่ผ่านการประเมินภาษาอังกฤษระดับ A1", "ร้อยละ", 60, kind="annual", baseline=51),
    ]),
    ("05", "3", "โครงการส่งเสริมการเรียนรู้วิทยาการคำนวณและ Coding", "เพื่อพัฒนาครูให้จัดการเรียนรู้วิทยาการคำนวณและ Coding ได้", [
        _i("จำนวนครูที่ผ่านการอบรมการจัดการเรียนรู้ Coding", "คน", 120, kind="count"),
        _i("จำนวนโรงเรียนที่จัดกิจกรรม Coding ครบทุกระดับชั้น", "โรงเรียน", 40, kind="annual"),
    ]),
    # กลยุทธ์ที่ 4 ด้านคุณภาพครู
    ("08", "4", "โครงการพัฒนาครูด้วยกระบวนการชุมชนการเรียนรู้ทางวิชาชีพ (PLC)", "เพื่อให้ครูพัฒนาการจัดการเรียนรู้ร่วมกันผ่านกระบวนการ PLC", [
        _i("ร้อยละของโรงเรียนที่ดำเนินการ PLC อย่างต่อเนื่อง", "ร้อยละ", 90, kind="semester", baseline=82),
        _i("จำนวนครูที่เข้าร่วมกิจกรรม PLC", "คน", 600, kind="count"),
    ]),
    ("08", "4", "โครงการพัฒนาครูตามมาตรฐานตำแหน่งและวิทยฐานะ (ว PA)", "เพื่อให้ครูจัดทำข้อตกลงในการพัฒนางานและพัฒนาตนเองตามมาตรฐานตำแหน่ง", [
        _i("ร้อยละของครูที่จัดทำข้อตกลงในการพัฒนางาน (PA)", "ร้อยละ", 100, baseline=97),
    ]),
    ("08", "4", "โครงการพัฒนาผู้บริหารสถานศึกษาสู่การเป็นผู้นำทางวิชาการ", "เพื่อพัฒนาสมรรถนะการบริหารวิชาการของผู้บริหารสถานศึกษา", [
        _i("จำนวนผู้บริหารสถานศึกษาที่ผ่านการพัฒนา", "คน", 80, kind="count"),
    ]),
    ("08", "4", "โครงการพัฒนาครูผู้ช่วยและครูบรรจุใหม่", "เพื่อเตรียมความพร้อมและพัฒนาอย่างเข้มข้นครูผู้ช่วยตามหลักเกณฑ์ ก.ค.ศ.", [
        _i("ร้อยละของครูผู้ช่วยที่ผ่านการประเมินเตรียมความพร้อมและพัฒนาอย่างเข้มข้น", "ร้อยละ", 100, kind="annual"),
        _i("จำนวนครูพี่เลี้ยงที่ผ่านการอบรม", "คน", 40, kind="count"),
    ]),
    ("04", "4", "โครงการเสริมสร้างขวัญและกำลังใจครูและบุคลากรทางการศึกษา", "เพื่อยกย่องเชิดชูเกียรติครูและบุคลากรทางการศึกษาที่มีผลงานดีเด่น", [
        _i("จำนวนครูและบุคลากรที่ได้รับการยกย่องเชิดชูเกียรติ", "คน", 30, kind="count"),
    ]),
    ("04", "4", "โครงการบริหารอัตรากำลังครูให้เหมาะสมกับสถานศึกษา", "เพื่อจัดสรรอัตรากำลังครูให้โรงเรียนมีครูครบชั้นเรียน", [
        _i("ร้อยละของโรงเรียนที่มีครูครบชั้นเรียน", "ร้อยละ", 70, kind="semester", baseline=61),
    ]),
    ("09", "4", "โครงการส่งเสริมวินัยและป้องกันการกระทำผิดวินัยของข้าราชการครู", "เพื่อส่งเสริมให้ข้าราชการครูและบุคลากรทางการศึกษารักษาวินัยและจรรยาบรรณวิชาชีพ", [
        _i("จำนวนเรื่องร้องเรียนการกระทำผิดวินัย", "ครั้ง", 3, "lte", kind="count", baseline=5),
        _i("ร้อยละของบุคลากรที่ผ่านการอบรมวินัยและจรรยาบรรณ", "ร้อยละ", 90),
    ]),
    # กลยุทธ์ที่ 5 ด้านประสิทธิภาพ
    ("02", "5", "โครงการจัดทำแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2569", "เพื่อจัดทำแผนปฏิบัติการประจำปีที่สอดคล้องกับนโยบายและบริบทของเขตพื้นที่", [
        _i("ร้อยละของโครงการที่ดำเนินการตามแผนปฏิบัติการ", "ร้อยละ", 90, kind="semester"),
    ]),
    ("02", "5", "โครงการติดตาม ประเมินผล และรายงานผลการดำเนินงาน", "เพื่อติดตาม ประเมินผล และรายงานผลการดำเนินงานตามแผนปฏิบัติการต่อ สพฐ.", [
        _i("ร้อยละของโครงการที่รายงานผลการดำเนินงานภายในกำหนด", "ร้อยละ", 90, baseline=84),
        _i("จำนวนครั้งของการรายงานผลต่อ สพฐ.", "ครั้ง", 4, kind="count"),
    ]),
    ("06", "5", "โครงการเร่งรัดการเบิกจ่ายงบประมาณ", "เพื่อให้การเบิกจ่ายงบประมาณเป็นไปตามเป้าหมายของรัฐบาล", [
        _i("ร้อยละการเบิกจ่ายงบประมาณภาพรวม", "ร้อยละ", 90, kind="count"),
    ]),
    ("10", "5", "โครงการตรวจสอบภายในและพัฒนาระบบควบคุมภายใน", "เพื่อตรวจสอบการบริหารการเงินและพัสดุของสถานศึกษาตามแผนการตรวจสอบ", [
        _i("จำนวนหน่วยรับตรวจที่ได้รับการตรวจสอบ", "โรงเรียน", 30, kind="count"),
    ]),
    ("01", "5", "โครงการประเมินคุณธรรมและความโปร่งใสในการดำเนินงาน (ITA Online)", "เพื่อยกระดับผลการประเมินคุณธรรมและความโปร่งใสของสำนักงานเขตพื้นที่การศึกษา", [
        _i("คะแนนผลการประเมิน ITA Online", "คะแนน", 90, kind="annual", baseline=87.3),
    ]),
    ("07", "5", "โครงการพัฒนาระบบสารสนเทศและฐานข้อมูลทางการศึกษา", "เพื่อให้ข้อมูลนักเรียนรายบุคคล (DMC) และข้อมูลสถานศึกษาถูกต้อง ครบถ้วน ทันเวลา", [
        _i("ร้อยละของโรงเรียนที่รายงานข้อมูลนักเรียนรายบุคคล (DMC) ครบถ้วนตามกำหนด", "ร้อยละ", 100, kind="semester", baseline=98),
    ]),
    ("05", "5", "โครงการพัฒนาระบบการประกันคุณภาพการศึกษาภายในสถานศึกษา", "เพื่อให้โรงเรียนดำเนินการประกันคุณภาพภายในและจัดทำรายงานการประเมินตนเอง", [
        _i("ร้อยละของโรงเรียนที่ส่งรายงานการประเมินตนเอง (SAR) ภายในกำหนด", "ร้อยละ", 100, kind="semester"),
    ]),
    ("01", "5", "โครงการพัฒนาองค์กรสู่สำนักงานเขตพื้นที่การศึกษาคุณภาพ", "เพื่อพัฒนาการให้บริการของสำนักงานเขตพื้นที่การศึกษาให้ผู้รับบริการพึงพอใจ", [
        _i("ร้อยละความพึงพอใจของผู้รับบริการ", "ร้อยละ", 85, kind="semester", baseline=82),
    ]),
]


@dataclass(frozen=True)
class UserSpec:
    username: str
    first_name: str
    last_name: str
    role: str | None  # None: no membership (the superuser)
    division: str | None = None  # division code
    is_staff: bool = False
    is_superuser: bool = False


#: Demo accounts (generated names; the surnames are deliberately "example"-like words).
USERS: list[UserSpec] = [
    UserSpec("admin", "ผู้ดูแลระบบ", "ตัวอย่าง", None, is_staff=True, is_superuser=True),
    UserSpec("director", "สมชาย", "ตัวอย่าง", Role.DIRECTOR, is_staff=True),
    UserSpec("planner", "วิไลวรรณ", "สาธิตผล", Role.PLAN_OFFICER, "02", is_staff=True),
    UserSpec("viewer", "ประเสริฐ", "ทดลองดี", Role.VIEWER),
    UserSpec("head01", "กาญจนา", "จำลองศรี", Role.DIVISION_HEAD, "02"),
    UserSpec("head02", "สุรพล", "ตัวอย่างดี", Role.DIVISION_HEAD, "03"),
    UserSpec("head03", "มาลัย", "สาธิตกุล", Role.DIVISION_HEAD, "05"),
    UserSpec("head04", "ธนพล", "ทดสอบวงศ์", Role.DIVISION_HEAD, "08"),
    UserSpec("owner01", "ปิยะนุช", "ตัวอย่างงาม", Role.PROJECT_OWNER, "02"),
    UserSpec("owner02", "อนุชา", "สาธิตเจริญ", Role.PROJECT_OWNER, "03"),
    UserSpec("owner03", "รัตนา", "ทดลองสุข", Role.PROJECT_OWNER, "03"),
    UserSpec("owner04", "ชัยวัฒน์", "จำลองทอง", Role.PROJECT_OWNER, "05"),
    UserSpec("owner05", "สุดารัตน์", "ตัวอย่างศรี", Role.PROJECT_OWNER, "05"),
    UserSpec("owner06", "วีระพงษ์", "สาธิตพันธ์", Role.PROJECT_OWNER, "08"),
    UserSpec("owner07", "นงลักษณ์", "ทดสอบดี", Role.PROJECT_OWNER, "01"),
    UserSpec("owner08", "อำนาจ", "จำลองสุข", Role.PROJECT_OWNER, "07"),
]

#: Which owners own a division's projects (round-robin within the division).
OWNERS_BY_DIVISION = {
    "01": ["owner07"], "02": ["owner01"], "03": ["owner02", "owner03"], "04": ["owner06"],
    "05": ["owner04", "owner05"], "06": ["owner08"], "07": ["owner08"], "08": ["owner06"],
    "09": ["owner07"], "10": ["owner08"],
}

OUTCOME_STEPS = [
    "จัดประชุมชี้แจงแนวทางการดำเนินงานแก่ผู้บริหารสถานศึกษาและครูผู้รับผิดชอบ",
    "จัดอบรมเชิงปฏิบัติการให้ครูผู้รับผิดชอบ",
    "ลงพื้นที่ติดตามการดำเนินงานของโรงเรียนใน{cluster}",
    "รวบรวมข้อมูลจากโรงเรียนและจัดทำสรุปผลการดำเนินงาน",
    "แต่งตั้งคณะทำงานและจัดทำปฏิทินการดำเนินงาน",
    "ประสานความร่วมมือกับหน่วยงานและภาคีเครือข่ายในพื้นที่",
]
PROBLEMS = [
    "",
    "",
    "ได้รับการจัดสรรงบประมาณล่าช้า ทำให้ต้องปรับช่วงเวลาดำเนินกิจกรรม",
    "ช่วงเวลาดำเนินกิจกรรมตรงกับกิจกรรมอื่นของสถานศึกษา ครูเข้าร่วมไม่ครบ",
    "โรงเรียนขนาดเล็กมีครูไม่ครบชั้น ไม่สามารถส่งครูเข้าร่วมกิจกรรมได้ทุกครั้ง",
    "โรงเรียนในพื้นที่อำเภอวังชิ้นอยู่ห่างไกล การเดินทางไปนิเทศติดตามใช้เวลามาก",
    "ข้อมูลที่โรงเรียนรายงานไม่ครบถ้วน ต้องติดตามหลายครั้ง",
]
SUGGESTIONS = [
    "",
    "ควรจัดสรรงบประมาณให้ทันตั้งแต่ไตรมาสแรก",
    "ควรบูรณาการกิจกรรมกับโครงการอื่นเพื่อลดภาระของโรงเรียน",
    "ควรใช้การประชุมออนไลน์สำหรับโรงเรียนที่อยู่ห่างไกล",
    "ควรติดตามและให้ข้อมูลย้อนกลับแก่โรงเรียนอย่างต่อเนื่อง",
]

#: Typos of the sfmis source text fixed in the stored OBEC policy goal (the CSV is kept verbatim).


# --------------------------------------------------------------------------------------------
# Reading the real files
# --------------------------------------------------------------------------------------------
def _read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _clean(text: str) -> str:
    return " ".join((text or "").split())


def read_divisions() -> list[dict[str, str]]:
    """The coded rows of ``esao_groups.csv``: ``[{code, name, short_name}]`` (10 rows, codes 01-10)."""
    rows = []
    for row in _read_csv("esao_groups.csv"):
        code = row["code_in_source"].strip()
        if not code:
            continue  # the private-education group has no standard code
        rows.append({"code": code, "name": _clean(row["group_name_th"]), "short_name": _clean(row["short_name_seen"])})
    return rows


def read_schools(area_code: str = AREA_CODE) -> list[dict]:
    """The schools of ``school_codes_phrae2.csv`` joined with ``spp_phrae2_schools_detail.csv``.

    Returns ``School`` field dicts keyed like the model. The office's own row (SMIS code
    ``<area>0000``) is skipped if present; ``students_total`` is ``None`` when the source has no
    number (``-``); a ``เรียนรวม`` school is closed with ``merged_into`` = its host school.
    """
    detail = {r["school_code_8_smis"].strip(): r for r in _read_csv("spp_phrae2_schools_detail.csv")}
    out = []
    for row in _read_csv("school_codes_phrae2.csv"):
        code = row["รหัสโรงเรียน"].strip()
        if not code.startswith(area_code) or code == f"{area_code}0000":
            continue
        d = detail.get(code, {})
        students = (d.get("students_total") or "").strip().replace(",", "")
        merged = (d.get("school_status") or "").strip() == "เรียนรวม"
        out.append({
            "smis_code": code,
            "moe_code": (d.get("school_id_10") or "").strip(),
            "name": _clean(row["ชื่อโรงเรียน"]),
            "district": _clean(d.get("district", "")),
            "subdistrict": _clean(d.get("subdistrict", "")),
            "cluster": _clean(row["กลุ่มโรงเรียน"]),
            "lowest_grade": _clean(d.get("lowest_grade", "")),
            "highest_grade": _clean(d.get("highest_grade", "")),
            "school_type": _clean(d.get("school_type", "")),
            "postcode": _clean(d.get("postcode", "")),
            "students_total": int(students) if students.isdigit() else None,
            "is_open": not merged,
            "merged_into": _clean(d.get("merged_into", "")) if merged else "",
        })
    return out




# --------------------------------------------------------------------------------------------
# The generated plan (pure: depends only on the seed and the constants above)
# --------------------------------------------------------------------------------------------
@dataclass
class ReportSpec:
    quarter: int
    status: str
    implementation: str
    progress: int
    budget_disbursed: Decimal
    submitted_at: dt.datetime | None
    outcomes: str
    problems: str
    suggestions: str
    results: dict[int, Decimal]  # indicator index -> actual


@dataclass
class ProjectSpec:
    code: str
    name: str
    division: str
    strategy: str
    owner: str
    budget: Decimal
    objectives: str
    indicators: list[IndicatorTemplate]
    profile: str
    reports: list[ReportSpec]


#: Per quarter: how many projects have no report row, a draft never submitted, a late report, a returned report.
QUARTER_MIX = {1: (2, 1, 6, 1), 2: (2, 1, 5, 2), 3: (3, 1, 5, 1), 4: (3, 2, 4, 1)}
#: Status weights (approved, accepted, submitted) of counted reports by quarter: older quarters are further reviewed.
STATUS_WEIGHTS = {1: (70, 20, 10), 2: (50, 30, 20), 3: (30, 40, 30), 4: (10, 30, 60)}
#: Typical cumulative disbursement (share of the budget) at the end of Q1..Q4, by profile.
DISBURSEMENT = {
    "normal": (0.20, 0.45, 0.70, 0.90),
    "late_start": (0.0, 0.25, 0.55, 0.88),
    "early": (0.30, 0.70, 0.95, 0.97),
    "cancelled": (0.05, 0.05, 0.05, 0.05),
    "postponed": (0.0, 0.0, 0.30, 0.60),
}


def _money(value: float) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("1"), rounding=ROUND_DOWN)


def _at(rng: random.Random, day: dt.date) -> dt.datetime:
    minutes = rng.randrange(8 * 60 + 30, 16 * 60 + 30)
    return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=BANGKOK)


def _progress_path(profile: str, rng: random.Random) -> list[tuple[str, int]]:
    """(implementation status, cumulative progress %) for Q1..Q4."""
    ip = "in_progress"
    if profile == "late_start":
        return [("not_started", 0), (ip, rng.randint(15, 35)), (ip, rng.randint(50, 75)), ("completed", 100)]
    if profile == "early":
        return [(ip, rng.randint(25, 45)), (ip, rng.randint(60, 80)), ("completed", 100), ("completed", 100)]
    if profile == "cancelled":
        return [(ip, 10), ("cancelled", 10), ("cancelled", 10), ("cancelled", 10)]
    if profile == "postponed":
        return [("not_started", 0), ("postponed", 0), (ip, rng.randint(25, 35)), (ip, rng.randint(65, 75))]
    q1, q2, q3 = rng.randint(10, 30), rng.randint(35, 55), rng.randint(60, 80)
    q4 = ("completed", 100) if rng.random() < 0.85 else (ip, rng.randint(85, 95))
    return [(ip, q1), (ip, q2), (ip, q3), q4]


def _final_actual(ind: IndicatorTemplate, met: bool, rng: random.Random) -> Decimal:
    """The year-end actual of ``ind``: meeting the target or not, rounded to the unit."""
    t = float(ind.target)
    integer = ind.unit in ("โรงเรียน", "คน", "ครั้ง")
    cap = 100.0 if ind.unit in ("ร้อยละ", "คะแนน") else (87.0 if ind.unit == "โรงเรียน" else None)
    if ind.direction == "gte":
        v = t * rng.uniform(1.0, 1.1) if met else t * rng.uniform(0.78, 0.97)
    else:
        v = t * rng.uniform(0.3, 1.0) if met else t * rng.uniform(1.2, 1.8)
    if cap is not None:
        v = min(v, cap)
    if integer:
        value = Decimal(math.ceil(v) if (ind.direction == "lte" and not met) else math.floor(v))
    else:
        value = Decimal(f"{v:.2f}")
    is_met = value >= ind.target if ind.direction == "gte" else value <= ind.target
    if is_met != met:  # rounding pushed it over the line: put it just on the intended side
        step = Decimal("1") if integer else Decimal("0.01")
        value = ind.target if met else (ind.target - step if ind.direction == "gte" else ind.target + step)
    return max(value, Decimal("0"))


def _actual_at(ind: IndicatorTemplate, final: Decimal, quarter: int, progress: int, rng: random.Random) -> Decimal:
    """The value reported in ``quarter`` on the way to ``final`` (counts grow, rates drift)."""
    if quarter == 4:
        return final
    integer = ind.unit in ("โรงเรียน", "คน", "ครั้ง")
    if ind.kind == "count":
        share = min(1.0, max(0.0, progress / 100 + rng.uniform(-0.05, 0.05)))
        v = float(final) * share
        return Decimal(int(v)) if integer else Decimal(f"{v:.2f}")
    start = float(ind.baseline) if ind.baseline is not None else float(final) * (0.85 if ind.direction == "gte" else 1.2)
    v = start + (float(final) - start) * (quarter / 4) + rng.uniform(-1, 1) * abs(float(final) - start) * 0.1
    return Decimal(round(v)) if integer else Decimal(f"{max(v, 0):.2f}")


def _reported_in(ind: IndicatorTemplate, quarter: int) -> bool:
    return {"annual": quarter == 4, "semester": quarter in (2, 4)}.get(ind.kind, True)


def build_plan(clusters: list[str] | None = None) -> list[ProjectSpec]:
    """Generate the 40 demo projects with their Q1-Q4 reports (pure and deterministic).

    ``clusters`` are school cluster names quoted in outcome texts. Budgets and disbursements are
    in baht; ``submitted_at`` is an aware datetime in Asia/Bangkok relative to
    ``report_due_date(Quarter(2569, q))`` (Thai public holidays; no office holidays).
    """
    rng = random.Random(SEED)
    clusters = clusters or ["กลุ่มโรงเรียน"]
    cal = WorkingCalendar()
    n = len(PROJECTS)
    # Profiles: one cancelled, one postponed, ~15% starting late, ~15% finishing early.
    order = list(range(n))
    rng.shuffle(order)
    profiles = ["normal"] * n
    profiles[order[0]] = "cancelled"
    profiles[order[1]] = "postponed"
    for i in order[2:8]:
        profiles[i] = "late_start"
    for i in order[8:14]:
        profiles[i] = "early"

    seq: Counter[str] = Counter()
    specs: list[ProjectSpec] = []
    for idx, (div, strategy, name, objective, indicators) in enumerate(PROJECTS):
        seq[div] += 1
        owners = OWNERS_BY_DIVISION[div]
        budget = Decimal(round(math.exp(rng.uniform(math.log(20_000), math.log(800_000))) / 1000) * 1000)
        specs.append(ProjectSpec(
            code=f"{DEMO_FISCAL_YEAR % 100:02d}-{div}-{seq[div]:03d}", name=name, division=div, strategy=strategy,
            owner=owners[(seq[div] - 1) % len(owners)], budget=budget, objectives=objective,
            indicators=indicators, profile=profiles[idx], reports=[],
        ))

    # Indicators never reported, and whether each indicator meets its target at year end.
    all_inds = [
        (p, j) for p, s in enumerate(specs) if s.profile not in ("cancelled", "postponed")
        for j, ind in enumerate(s.indicators) if ind.direction == "gte"  # every ≤ indicator shows results
    ]
    never = set(rng.sample(all_inds, 4))
    met = {(p, j): rng.random() < 0.7 for p, s in enumerate(specs) for j in range(len(s.indicators))}

    # Per-project paths (progress, cumulative disbursement).
    paths = {}
    for p, s in enumerate(specs):
        steps = _progress_path(s.profile, rng)
        base = DISBURSEMENT[s.profile]
        cum, last = [], 0.0
        for q in range(4):
            if q and base[q] == base[q - 1]:
                f = last  # nothing more disbursed (cancelled / not yet started)
            elif base[q] == 0.0:
                f = 0.0
            else:
                f = min(max(base[q] + rng.uniform(-0.06, 0.06), last), 1.0)
            cum.append(f)
            last = f
        paths[p] = (steps, cum)
    finals = {(p, j): _final_actual(ind, met[(p, j)], rng) for p, s in enumerate(specs) for j, ind in enumerate(s.indicators)}

    special = [p for p, s in enumerate(specs) if s.profile in ("cancelled", "postponed")]
    for q in (1, 2, 3, 4):
        due = report_due_date(Quarter(DEMO_FISCAL_YEAR, q))
        n_missing, n_draft, n_late, n_returned = QUARTER_MIX[q]
        pool = [p for p in range(n) if p not in special]
        rng.shuffle(pool)
        missing = set(pool[:n_missing])
        draft = set(pool[n_missing:n_missing + n_draft])
        late = set(pool[n_missing + n_draft:n_missing + n_draft + n_late])
        returned = set(rng.sample(sorted(set(range(n)) - missing - draft), n_returned))
        for p, s in enumerate(specs):
            steps, cum = paths[p]
            impl, progress = steps[q - 1]
            amount = _money(float(s.budget) * cum[q - 1]) - (_money(float(s.budget) * cum[q - 2]) if q > 1 else 0)
            if p in missing:
                continue
            if p in draft:
                status, submitted = "draft", None
            else:
                if p in late:
                    day = cal.add_working_days(due, rng.choice([1, 1, 2, 2, 3, 4, 5, 7, 10]))
                else:
                    day = cal.subtract_working_days(due, rng.choice([0, 1, 1, 2, 3, 4]))
                submitted = _at(rng, day)
                if p in returned:
                    status = "returned"
                else:
                    status = rng.choices(["approved", "accepted", "submitted"], weights=STATUS_WEIGHTS[q])[0]
            results = {}
            if impl not in ("not_started", "postponed") and not (impl == "cancelled" and q > 1):
                for j, ind in enumerate(s.indicators):
                    if (p, j) in never or not _reported_in(ind, q) or (s.profile == "cancelled" and q > 1):
                        continue
                    results[j] = _actual_at(ind, finals[(p, j)], q, progress, rng)
            outcomes, problems, suggestions = _texts(impl, progress, q, clusters, rng)
            s.reports.append(ReportSpec(q, status, impl, progress, amount, submitted, outcomes, problems, suggestions, results))
    return specs


def _texts(impl: str, progress: int, q: int, clusters: list[str], rng: random.Random) -> tuple[str, str, str]:
    if impl == "not_started":
        return ("อยู่ระหว่างเตรียมการและรอการจัดสรรงบประมาณ", "ได้รับการจัดสรรงบประมาณล่าช้า", "")
    if impl == "postponed":
        return ("เลื่อนการดำเนินงานไปไตรมาสถัดไป",
                "กิจกรรมหลักต้องเลื่อนออกไปเนื่องจากช่วงเวลาตรงกับการประเมินระดับชาติ", "ควรปรับแผนการดำเนินงานให้สอดคล้องกับปฏิทินของ สพฐ.")
    if impl == "cancelled":
        return ("ยกเลิกการดำเนินงาน และโอนงบประมาณที่เหลือไปสมทบโครงการอื่นตามมติคณะกรรมการ",
                "มีโครงการลักษณะเดียวกันที่ได้รับจัดสรรงบประมาณจาก สพฐ. โดยตรง", "")
    steps = rng.sample(OUTCOME_STEPS, 2)
    cluster = rng.choice(clusters)
    done = "ดำเนินการครบทุกกิจกรรมตามแผน" if impl == "completed" else f"ดำเนินการแล้วร้อยละ {progress} ของแผน"
    outcome = f"ไตรมาสที่ {q}: {done} ได้แก่ " + " และ".join(x.format(cluster=cluster) for x in steps)
    return outcome, rng.choice(PROBLEMS), rng.choice(SUGGESTIONS)


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------
def load_demo(*, stdout: TextIO | None = None) -> DemoSummary:
    """Create or update the demo office, its schools, FY 2569 plan, reports and users.

    Idempotent (natural keys + ``update_or_create``; the generated values depend only on
    ``random.Random(2569)``), all in one transaction. Prints the summary to ``stdout`` if given.
    """

    fy = DEMO_FISCAL_YEAR
    with transaction.atomic():
        office, _ = Office.objects.update_or_create(area_code=AREA_CODE, defaults=OFFICE_DEFAULTS)

        divisions = {}
        for row in read_divisions():
            divisions[row["code"]], _ = Division.objects.update_or_create(
                office=office, code=row["code"], defaults={"name": row["name"], "short_name": row["short_name"]}
            )

        schools = read_schools()
        for i, row in enumerate(schools):
            # Generated addresses so reminder letters can be e-mailed; every fifth school has none, to
            # show the letters that are printed and sent by post instead.
            email = "" if i % 5 == 4 else f"school{row['smis_code']}@emes-demo.invalid"
            School.objects.update_or_create(smis_code=row["smis_code"], defaults={"office": office, "email": email, **row})

        load_shared_policies(fy)
        obec = {s.code: s for s in Strategy.objects.filter(office=None, fiscal_year=fy, level=Strategy.Level.OBEC)}
        strategies = {}
        for code, parent, name, goal in OFFICE_STRATEGIES:
            strategies[code], _ = Strategy.objects.update_or_create(
                office=office, fiscal_year=fy, level=Strategy.Level.OFFICE, code=code,
                defaults={"name": name, "goal": goal, "parent": obec.get(parent)},
            )

        users = _load_users(office, divisions)
        _load_school_account(office, users["planner"])

        clusters = sorted({s["cluster"] for s in schools if s["cluster"]})
        for spec in build_plan(clusters):
            project, _ = Project.objects.update_or_create(
                office=office, fiscal_year=fy, code=spec.code,
                defaults={
                    "name": spec.name, "strategy": strategies[spec.strategy], "division": divisions[spec.division],
                    "owner": users[spec.owner], "budget": spec.budget, "objectives": spec.objectives,
                },
            )
            _load_project_details(project, spec)  # budget lines first: report disbursements split by them
            indicators = []
            for ind in spec.indicators:
                obj, _ = Indicator.objects.update_or_create(
                    project=project, name=ind.name,
                    defaults={"unit": ind.unit, "baseline": ind.baseline, "target": ind.target, "direction": ind.direction},
                )
                indicators.append(obj)
            project.indicators.exclude(pk__in=[i.pk for i in indicators]).delete()
            for r in spec.reports:
                report, _ = QuarterlyReport.objects.update_or_create(
                    project=project, quarter=r.quarter,
                    defaults={
                        "status": r.status, "implementation": r.implementation, "progress": r.progress,
                        "budget_disbursed": r.budget_disbursed, "outcomes": r.outcomes, "problems": r.problems,
                        "suggestions": r.suggestions, "submitted_at": r.submitted_at,
                    },
                )
                for j, actual in r.results.items():
                    IndicatorResult.objects.update_or_create(report=report, indicator=indicators[j], defaults={"actual": actual})
                report.results.exclude(indicator__in=[indicators[j] for j in r.results]).delete()
                _load_report_history(report, r, project, users)
            project.reports.exclude(quarter__in=[r.quarter for r in spec.reports]).delete()

        _load_approved_plan(office, fy, users)
        _load_literacy_round(office, users)

        load_inspection_demo(office, users)

        for year in (fy, fy + 1):
            generate_calendar(office, year)
        summary = summarize(office)
        analyze()  # the whole database, once committed: the first pages are planned on real statistics (emes.db)
    if stdout is not None:
        for line in summary.lines():
            stdout.write(line + "\n")
    return summary


#: Generated activities of every demo project: name, planned calendar months, share of the budget.
ACTIVITY_TEMPLATES = [
    ("ประชุมคณะทำงาน วางแผนและจัดทำรายละเอียดการดำเนินงาน", [10, 11], Decimal("0.10")),
    ("ดำเนินกิจกรรมหลักตามวัตถุประสงค์ของโครงการ", [12, 1, 2, 3, 4, 5, 6], Decimal("0.75")),
    ("นิเทศ ติดตาม ประเมินผล และสรุปรายงานผลการดำเนินงาน", [7, 8, 9], Decimal("0.15")),
]


def quarterly_phasing(amount: Decimal) -> list[Decimal]:
    """Split ``amount`` (baht) over Q1-Q4 equally, the remainder in Q4 (OBEC's phasing, excerpt [D] of
    ``data/02_action_plan/esao_action_plan_excerpts.txt``)."""
    quarter = (amount / 4).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return [quarter, quarter, quarter, amount - 3 * quarter]


def _load_project_details(project, spec: ProjectSpec) -> None:
    """Budget lines, activities, period and texts of a demo project (generated, deterministic).

    Projects of 300,000 baht or more are 70 % OBEC budget and 30 % area budget; smaller ones are
    area budget only. Activities take 10 / 75 / 15 % of the budget.
    """

    fy = FiscalYear(DEMO_FISCAL_YEAR)
    if spec.budget >= 300_000:
        obec = (spec.budget * Decimal("0.7")).quantize(Decimal("1000"))
        lines = {BudgetSource.OBEC: obec, BudgetSource.AREA: spec.budget - obec}
    else:
        lines = {BudgetSource.AREA: spec.budget}
    for source, amount in lines.items():
        q1, q2, q3, q4 = quarterly_phasing(amount)
        BudgetLine.objects.update_or_create(project=project, source=source, defaults={"amount": amount, "q1": q1, "q2": q2, "q3": q3, "q4": q4})
    project.budget_lines.exclude(source__in=list(lines)).delete()
    spent = Decimal("0")
    for order, (name, months, share) in enumerate(ACTIVITY_TEMPLATES, start=1):
        budget = (spec.budget * share).quantize(Decimal("1")) if order < len(ACTIVITY_TEMPLATES) else spec.budget - spent
        spent += budget
        Activity.objects.update_or_create(project=project, order=order, defaults={"name": name, "months": months, "budget": budget})
    project.activities.exclude(order__in=range(1, len(ACTIVITY_TEMPLATES) + 1)).delete()
    project.start_date, project.end_date = fy.start, fy.end
    project.rationale = f"เพื่อให้การดำเนินงานตามกลยุทธ์ที่ {spec.strategy} ของสำนักงานเขตพื้นที่การศึกษาบรรลุเป้าประสงค์ จึงจัดทำ{spec.name}"
    project.targets_quantity = "โรงเรียนในสังกัดทุกโรงเรียนเข้าร่วมกิจกรรมตามแผน"
    project.targets_quality = "การดำเนินงานบรรลุตามตัวชี้วัดของโครงการ"
    project.save(update_fields=["start_date", "end_date", "rationale", "targets_quantity", "targets_quality"])


def _load_report_history(report, spec: ReportSpec, project, users: dict) -> None:
    """Disbursement by source (split like the project's budget lines) and the recorded workflow of a demo report.

    Generated: the owner submits at ``submitted_at``; the plan officer accepts or returns one
    working day later; the director approves two working days later.
    """

    lines = list(project.budget_lines.order_by("source"))
    total = report.budget_disbursed
    shares, given = {}, Decimal("0")
    for i, line in enumerate(lines):
        amount = total - given if i == len(lines) - 1 else (total * line.amount / project.budget).quantize(Decimal("0.01"))
        shares[line.source] = amount
        given += amount
    for source, amount in shares.items():
        ReportDisbursement.objects.update_or_create(report=report, source=source, defaults={"amount": amount})
    report.disbursements.exclude(source__in=list(shares)).delete()
    if report.transitions.exists() or spec.submitted_at is None:
        return
    cal = WorkingCalendar()
    owner = project.owner
    steps = [("draft", "submitted", owner, "", spec.submitted_at)]
    reviewed = dt.datetime.combine(cal.add_working_days(spec.submitted_at.date(), 1), dt.time(10, 0), spec.submitted_at.tzinfo)
    if spec.status == "returned":
        steps.append(("submitted", "returned", users["planner"], "กรุณาระบุผลการดำเนินงานตามตัวชี้วัดให้ครบถ้วน และแนบหลักฐานการเบิกจ่าย", reviewed))
    if spec.status in ("accepted", "approved"):
        steps.append(("submitted", "accepted", users["planner"], "", reviewed))
    if spec.status == "approved":
        approved = dt.datetime.combine(cal.add_working_days(reviewed.date(), 2), dt.time(14, 0), reviewed.tzinfo)
        steps.append(("accepted", "approved", users["director"], "", approved))
    for old, new, who, comment, at in steps:
        t = ReportTransition.objects.create(report=report, from_status=old, to_status=new, by=who, comment=comment)
        ReportTransition.objects.filter(pk=t.pk).update(at=at)  # ``at`` is auto_now_add: the story's time


def _load_literacy_round(office: Office, users: dict) -> None:
    """Round 2 of academic year 2569, open from 2 Nov 2026 to 26 Feb 2027 (generated dates, semester 2)."""

    bkk = ZoneInfo("Asia/Bangkok")
    LiteracyRound.objects.update_or_create(
        office=office, academic_year=2569, number=2,
        defaults={
            "grades": ["p1", "p2", "p3"], "status": LiteracyRound.Status.OPEN, "created_by": users["planner"],
            "opens_at": dt.datetime(2026, 11, 2, 8, 30, tzinfo=bkk), "closes_at": dt.datetime(2027, 2, 26, 16, 30, tzinfo=bkk),
        },
    )


def _load_approved_plan(office: Office, fiscal_year: int, users: dict) -> None:
    """Version 1 of the demo plan, approved by the director on 15 Oct 2025 (generated), with its history."""

    bkk = ZoneInfo("Asia/Bangkok")
    approved_at = dt.datetime(2025, 10, 15, 10, 30, tzinfo=bkk)
    plan, _ = ActionPlan.objects.update_or_create(
        office=office, fiscal_year=fiscal_year, version=1,
        defaults={
            "status": ActionPlan.Status.APPROVED, "created_by": users["planner"], "approved_by": users["director"],
            "approved_at": approved_at, "snapshot": plan_snapshot(office, fiscal_year),
        },
    )
    # The demo's history: created and submitted by the plan officer, approved by the director.
    if not plan.transitions.exists():
        for old, new, who, comment, at in [
            ("", "draft", "planner", "", dt.datetime(2025, 10, 1, 9, 0, tzinfo=bkk)),
            ("draft", "submitted", "planner", "เสนอแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2569 เพื่อพิจารณาอนุมัติ", dt.datetime(2025, 10, 8, 14, 0, tzinfo=bkk)),
            ("submitted", "approved", "director", "อนุมัติ", approved_at),
        ]:
            t = PlanTransition.objects.create(plan=plan, from_status=old, to_status=new, by=users[who], comment=comment)
            PlanTransition.objects.filter(pk=t.pk).update(at=at)  # ``at`` is auto_now_add: set the story's dates after


def _load_users(office: Office, divisions: dict[str, Division]) -> dict:
    """Create/update the demo users and their memberships; returns ``{username: User}``.

    All share one password hash of :data:`DEMO_PASSWORD` (one hash per run instead of one per user);
    a stored hash is kept when it already verifies, so re-running changes nothing.
    """
    User = get_user_model()
    verified: str | None = None
    fresh: str | None = None
    admin_group = ensure_office_admin_group()
    out = {}
    for spec in USERS:
        user, _ = User.objects.update_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name, "last_name": spec.last_name, "email": f"{spec.username}@emes-demo.invalid",
                "is_staff": spec.is_staff, "is_superuser": spec.is_superuser, "is_active": True,
            },
        )
        if user.password and (user.password == verified or check_password(DEMO_PASSWORD, user.password)):
            verified = user.password
        else:
            fresh = fresh or make_password(DEMO_PASSWORD)
            user.password = fresh
            user.save(update_fields=["password"])
        if spec.role:
            Membership.objects.update_or_create(
                user=user, office=office, role=spec.role,
                defaults={"division": divisions.get(spec.division) if spec.division else None, "school": None},
            )
            Membership.objects.filter(user=user, office=office).exclude(role=spec.role).delete()
        if spec.is_staff and not spec.is_superuser:
            user.groups.add(admin_group)  # the director and the plan officer work in the admin
        out[spec.username] = user
    return out


#: The demo's school account: the school's own login, as the plan officer would generate it.
DEMO_SCHOOL_CODE = "54020001"


def _load_school_account(office: Office, planner) -> None:
    """A school account for บ้านน้ำริน (54020001) with the demo password, already changed.

    Real school accounts come from the school-accounts page with a one-time password that must be
    changed at the first login; the demo's is usable at once so the school's home page can be seen.
    """
    User = get_user_model()
    school = School.objects.get(smis_code=DEMO_SCHOOL_CODE)
    user, created = User.objects.get_or_create(username=DEMO_SCHOOL_CODE, defaults={"first_name": f"โรงเรียน{school.name}"})
    if created or not check_password(DEMO_PASSWORD, user.password):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, office=office, role=Role.SCHOOL, school=school)
    Profile.objects.update_or_create(user=user, defaults={"must_change_password": False})


def summarize(office: Office) -> DemoSummary:
    """Counts of the demo rows of ``office`` for FY 2569 (see :class:`DemoSummary`)."""

    fy = DEMO_FISCAL_YEAR
    projects = Project.objects.filter(office=office, fiscal_year=fy)
    reports = QuarterlyReport.objects.filter(project__in=projects)
    timeliness = {}
    n_projects = projects.count()
    for q in (1, 2, 3, 4):
        due = report_due_date(Quarter(fy, q))
        submitted = [r.submitted_at for r in reports.filter(quarter=q, submitted_at__isnull=False)]
        late = sum(1 for at in submitted if at.astimezone(BANGKOK).date() > due)
        timeliness[q] = {"on_time": len(submitted) - late, "late": late, "missing": n_projects - len(submitted)}
    usernames = [u.username for u in USERS]
    return DemoSummary(
        office=f"{office.area_code} {office.name}",
        divisions=office.divisions.count(),
        schools=office.schools.count(),
        schools_closed=office.schools.filter(is_open=False).count(),
        obec_policies=Strategy.objects.filter(office=None, fiscal_year=fy, level=Strategy.Level.OBEC).count(),
        office_strategies=Strategy.objects.filter(office=office, fiscal_year=fy, level=Strategy.Level.OFFICE).count(),
        projects=n_projects,
        indicators=Indicator.objects.filter(project__in=projects).count(),
        users=get_user_model().objects.filter(username__in=usernames).count(),
        memberships=Membership.objects.filter(office=office, user__username__in=usernames).count(),
        reports=reports.count(),
        indicator_results=IndicatorResult.objects.filter(report__in=reports).count(),
        budget_total=projects.aggregate(s=Sum("budget"))["s"] or Decimal("0"),
        disbursed_total=reports.aggregate(s=Sum("budget_disbursed"))["s"] or Decimal("0"),
        reports_by_status=dict(reports.values_list("status").annotate(n=Count("id")).order_by("status")),
        timeliness=timeliness,
    )
