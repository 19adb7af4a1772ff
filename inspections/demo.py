"""Demo inspection rounds of the demo office: round 1/2569 (closed, answered, with recommendations) and
round 1/2570 (forms dispatched in November 2026, open for the demo school and divisions to answer).

What is real and what is generated (issue 8; ``data/04_inspection_budget/inspection_policy_excerpts.txt``):
only fragments of real inspection issues exist in the shared data, no complete list. The issue titles
below quote those fragments — the FY 2561 indicator 9.1 "ร้อยละของนักเรียนชั้น ป.1 อ่านออก เขียนได้"
(target 100 %), the FY 2565 focus "ปักหมุด นำนักเรียนไทยกลับสู่ห้องเรียน ...", the FY 2567-68 slogan
"เรียนดี มีความสุข" (ลดภาระครู นักเรียน ผู้ปกครอง). Every other indicator, every date, answer,
recommendation and follow-up is GENERATED for the demo and says so ("ข้อมูลสาธิต").

Every row is written through ``inspections.services`` by the person who acts (the plan officer builds and
dispatches, the schools' accounts and the division heads answer, the heads follow up, the plan officer
verifies), each at its moment of the story under the demo's clock (``demo.clock.at``): the services stamp
"now", so the six standards and the timeliness of answers are judged by the real rules. Called once by
``demo.loader.load_demo`` (a fresh load): ``load_inspection_demo(office, users, at=...)``; ``at`` is the
demo's clock (this app does not import the demo, which sits above it).
"""
from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable
from contextlib import AbstractContextManager
from decimal import Decimal
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw
from django.core.files.uploadedfile import SimpleUploadedFile

from emes.fiscal import WorkingCalendar
from emes.models import Division, Office, School

from . import services
from .models import AnswerKind, FormDispatch, InspectionRound, Question

BKK = ZoneInfo("Asia/Bangkok")
GENERATED = "(ข้อมูลสาธิต)"

#: (code, title, description, division codes, indicators: (text, unit, target, target_text, kind)).
ISSUES = [
    ("1", "การอ่านออกเขียนได้ของนักเรียนชั้น ป.1",
     "ตัวชี้วัดที่ 9.1 ของระบบตรวจ ติดตามและประเมินผล สป.ศธ. ปีงบประมาณ 2561 (ข้อมูลจริง); ตัวชี้วัดอื่นของประเด็นนี้เป็นข้อมูลสาธิต",
     ["05"], [
         ("ร้อยละของนักเรียนชั้น ป.1 อ่านออก เขียนได้", "ร้อยละ", Decimal("100"), "", AnswerKind.NUMBER),
         (f"จำนวนนักเรียนชั้น ป.1 ที่ยังอ่านไม่ออกเขียนไม่ได้ {GENERATED}", "คน", None, "", AnswerKind.NUMBER),
     ]),
    ("2", "ปักหมุด นำนักเรียนไทยกลับสู่ห้องเรียน ค้นหาและติดตามเด็กตกหล่นและออกกลางคันกลับเข้าสู่ระบบการศึกษา",
     "ประเด็นหลักที่ รมว.ศธ. มอบให้ตรวจราชการ ปีงบประมาณ 2565 (ข้อมูลจริง); ตัวชี้วัดเป็นข้อมูลสาธิต",
     ["03"], [
         (f"จำนวนเด็กตกหล่นและออกกลางคันที่ติดตามกลับเข้าสู่ระบบการศึกษาได้ {GENERATED}", "คน", None, "ทุกคนที่ค้นพบ", AnswerKind.NUMBER),
         (f"สถานศึกษามีระบบติดตามนักเรียนที่ขาดเรียนต่อเนื่อง {GENERATED}", "", None, "มี", AnswerKind.YES_NO),
     ]),
    ("3", "เรียนดี มีความสุข: ลดภาระครู นักเรียน และผู้ปกครอง",
     "นโยบาย ศธ. ปีงบประมาณ 2567-2568 (ข้อมูลจริง); ตัวชี้วัดเป็นข้อมูลสาธิต",
     ["02", "05"], [
         (f"สถานศึกษามีมาตรการลดภาระงานที่ไม่เกี่ยวข้องกับการสอนของครู {GENERATED}", "", None, "มี", AnswerKind.YES_NO),
         (f"ปัญหา อุปสรรค และข้อเสนอแนะในการดำเนินงาน {GENERATED}", "", None, "", AnswerKind.TEXT),
     ]),
]

RECOMMENDATIONS = [
    ("1", "ควรเร่งพัฒนานักเรียนชั้น ป.1 ที่ยังอ่านไม่ออกเขียนไม่ได้เป็นรายบุคคล และรายงานความก้าวหน้าทุกภาคเรียน " + GENERATED, ["05"], dt.date(2026, 6, 30)),
    ("2", "ควรจัดทำฐานข้อมูลเด็กตกหล่นและออกกลางคันร่วมกับหน่วยงานในพื้นที่ และติดตามเป็นรายเดือน " + GENERATED, ["03"], dt.date(2026, 9, 30)),
    ("3", "ควรลดการขอข้อมูลซ้ำซ้อนจากสถานศึกษา โดยใช้ข้อมูลจากระบบสารสนเทศที่มีอยู่ " + GENERATED, ["02"], None),
]


def _at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=BKK)


def _demo_png() -> bytes:
    """A small generated image standing in for a photo of evidence."""
    img = Image.new("RGB", (480, 200), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle([4, 4, 475, 195], outline="navy", width=3)
    draw.text((24, 80), "EMES demo evidence (generated)", fill="navy")
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()



Clock = Callable[[dt.datetime], AbstractContextManager]


def _build_round(r: InspectionRound, planner, divisions: dict[str, Division], clock: Clock, *, prepared: dt.datetime, built: dt.datetime) -> None:
    """Issues and indicators typed by the plan officer at ``prepared``, the form built at ``built``."""
    with clock(prepared):
        for code, title, description, div_codes, indicators in ISSUES:
            issue = services.add_issue(r, by=planner, code=code, title=title, description=description,
                                       divisions=[divisions[c] for c in div_codes])
            for text, unit, target, target_text, kind in indicators:
                services.add_indicator(issue, by=planner, text=text, unit=unit, target=target, target_text=target_text, answer_kind=kind)
    with clock(built):
        services.build_form(r, by=planner)
        services.add_question(r, by=planner, text="ร่องรอยหลักฐานประกอบ (ถ้ามี)", kind=AnswerKind.FILE, required=False)


def _answers(r: InspectionRound, rng: random.Random) -> dict[str, str]:
    """A unit's typed answers (``q<id>`` → text, as the form posts them). Generated."""
    data = {}
    for q in Question.objects.filter(round=r).order_by("order"):
        if q.kind == AnswerKind.NUMBER:
            data[f"q{q.pk}"] = str(rng.randint(78, 100) if q.unit == "ร้อยละ" else rng.randint(0, 6))
        elif q.kind == AnswerKind.YES_NO:
            data[f"q{q.pk}"] = "yes" if rng.random() < 0.8 else "no"
        elif q.kind == AnswerKind.TEXT:
            data[f"q{q.pk}"] = rng.choice([
                "ครูมีภาระงานธุรการมาก ขอให้ลดการรายงานซ้ำซ้อน " + GENERATED,
                "นักเรียนบางส่วนย้ายตามผู้ปกครอง ติดตามได้ยาก " + GENERATED,
                "ดำเนินการตามแผน ไม่มีปัญหาอุปสรรค " + GENERATED,
            ])
    return data


def _answerer(d: FormDispatch, users: dict, school_accounts: dict[int, object]):
    """Who answers a dispatch: the school's account, or the head of the division (head01: 02, head02: 03, head03: 05)."""
    if d.school_id:
        return school_accounts[d.school_id]
    return {"02": users["head01"], "03": users["head02"], "05": users["head03"]}[d.division.code]


def load_inspection_demo(office: Office, users: dict, *, school_accounts: dict[int, object], at: Clock) -> list[InspectionRound]:
    """Rounds 1/2569 (closed, answered, with recommendations) and 1/2570 (open) of the demo office; see the module docstring.

    ``users``: the demo users by username (planner, head01-head03); ``school_accounts``: each open school's
    account by school id; ``at``: the demo's clock (a context manager taking an aware datetime). Returns the rounds.
    """
    planner = users["planner"]
    rng = random.Random(2569)
    divisions = {d.code: d for d in Division.objects.filter(office=office)}
    schools = list(School.objects.filter(office=office).open().order_by("smis_code")[:8])

    # Round 1/2569: the February 2026 round, closed. Units were told only 5 working days before the
    # visit: the plan officer saves the schedule despite the standard, which the round records.
    with at(_at(dt.date(2025, 11, 20))):
        r1 = services.create_round(office, by=planner, fiscal_year=2569, number=1, confirm=True, data={
            "kind": InspectionRound.Kind.REGULAR, "title": f"ตรวจราชการกรณีปกติ รอบที่ 1 ประจำปีงบประมาณ พ.ศ. 2569 {GENERATED}",
            "plan_sent_on": dt.date(2025, 12, 1), "coordination_meeting_on": dt.date(2025, 12, 15),
            "units_notified_on": dt.date(2026, 2, 9), "visit_starts_on": dt.date(2026, 2, 16), "visit_ends_on": dt.date(2026, 2, 18),
            "summary_meeting_on": dt.date(2026, 9, 15), "inspectors": f"คณะผู้ตรวจราชการกระทรวงศึกษาธิการ {GENERATED}",
        })
    _build_round(r1, planner, divisions, at, prepared=_at(dt.date(2025, 11, 20), 10, 30), built=_at(dt.date(2026, 1, 15)))
    sent = dt.date(2026, 1, 19)
    with at(_at(sent)):
        dispatches = services.dispatch_forms(r1, by=planner, divisions=[divisions[c] for c in ("02", "03", "05")], schools=schools)
    units = sorted(dispatches, key=lambda d: (d.school_id is not None, d.division.code if d.division_id else "", d.school.smis_code if d.school_id else ""))
    cal = WorkingCalendar.for_office(office)
    answered = []
    for i, d in enumerate(units):
        if d.division_id and d.division.code == "03":
            continue  # never answered
        day = cal.add_working_days(d.due_on, 3) if i == len(units) - 1 else cal.add_working_days(sent, rng.randint(5, 25))
        answered.append((_at(day, 14), d))
    for moment, d in sorted(answered, key=lambda a: a[0]):
        with at(moment):
            services.submit_answers(d, _answers(r1, rng), by=_answerer(d, users, school_accounts))

    issues = {i.code: i for i in r1.issues.all()}
    recs = []
    with at(_at(dt.date(2026, 3, 2))):
        for issue_code, text, div_codes, due_on in RECOMMENDATIONS:
            recs.append(services.add_recommendation(r1, by=planner, text=text, issue=issues[issue_code],
                                                    divisions=[divisions[c] for c in div_codes], due_on=due_on))
    with at(_at(dt.date(2026, 3, 20))):
        services.close_round(r1, by=planner)
    # Recommendation 1: acted on with evidence by the head of division 05, done, verified closed by the plan officer.
    head03 = users["head03"]
    with at(_at(dt.date(2026, 4, 20))):
        services.add_follow_up(recs[1], by=users["head02"], text="ประสานองค์กรปกครองส่วนท้องถิ่นเพื่อรวบรวมรายชื่อเด็กในพื้นที่ " + GENERATED)
    with at(_at(dt.date(2026, 5, 15))):
        photo = SimpleUploadedFile("ภาพกิจกรรมค่ายอ่านเขียน.png", _demo_png(), content_type="image/png")
        services.add_follow_up(recs[0], by=head03, file=photo,
                               text="จัดค่ายพัฒนาการอ่านเขียนให้นักเรียน ป.1 ที่อ่านไม่ออก 12 โรงเรียน " + GENERATED)
    with at(_at(dt.date(2026, 6, 25))):
        services.mark_done(recs[0], by=head03)
    with at(_at(dt.date(2026, 7, 10))):
        services.verify_closed(recs[0], by=planner, comment="ตรวจสอบร่องรอยหลักฐานแล้ว " + GENERATED)

    # Round 1/2570: the February 2027 round; issues copied from 1/2569, open recommendations carried,
    # forms dispatched on 16 November 2026; a few schools have answered.
    with at(_at(dt.date(2026, 10, 20))):
        r2 = services.create_round(office, by=planner, fiscal_year=2570, number=1, confirm=True, data={
            "kind": InspectionRound.Kind.REGULAR, "title": f"ตรวจราชการกรณีปกติ รอบที่ 1 ประจำปีงบประมาณ พ.ศ. 2570 {GENERATED}",
            "plan_sent_on": dt.date(2026, 11, 2), "coordination_meeting_on": dt.date(2026, 11, 16),
            "visit_starts_on": dt.date(2027, 2, 15), "visit_ends_on": dt.date(2027, 2, 17), "summary_meeting_on": dt.date(2027, 9, 14),
            "inspectors": f"คณะผู้ตรวจราชการกระทรวงศึกษาธิการ {GENERATED}",
        })
        services.copy_issues(r1, r2, by=planner)
    with at(_at(dt.date(2026, 11, 13))):
        services.build_form(r2, by=planner)
        services.add_question(r2, by=planner, text="ร่องรอยหลักฐานประกอบ (ถ้ามี)", kind=AnswerKind.FILE, required=False)
    with at(_at(dt.date(2026, 11, 16))):
        services.carry_recommendations(r1, r2, by=planner)
        dispatches2 = services.dispatch_forms(r2, by=planner, divisions=[divisions["02"], divisions["05"]], schools=schools[:5])
    for d in sorted((d for d in dispatches2 if d.school_id), key=lambda d: d.school.smis_code):
        if d.school_id != schools[0].pk and rng.random() < 0.5:
            with at(_at(dt.date(2026, 11, 19), 11)):
                services.submit_answers(d, _answers(r2, rng), by=school_accounts[d.school_id])
    return [r1, r2]
