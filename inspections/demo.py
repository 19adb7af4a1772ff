"""Demo inspection rounds of the demo office: round 1/2569 (closed, answered, with recommendations) and
round 1/2570 (forms dispatched in November 2026, open for the demo school and divisions to answer).

What is real and what is generated (issue 8; ``data/04_inspection_budget/inspection_policy_excerpts.txt``):
only fragments of real inspection issues exist in the shared data, no complete list. The issue titles
below quote those fragments — the FY 2561 indicator 9.1 "ร้อยละของนักเรียนชั้น ป.1 อ่านออก เขียนได้"
(target 100 %), the FY 2565 focus "ปักหมุด นำนักเรียนไทยกลับสู่ห้องเรียน ...", the FY 2567-68 slogan
"เรียนดี มีความสุข" (ลดภาระครู นักเรียน ผู้ปกครอง). Every other indicator, every date, answer,
recommendation and follow-up is GENERATED for the demo and says so ("ข้อมูลสาธิต").

Rows are written directly (the services stamp "now"; the demo needs dates in the past); reloading
replaces the demo rounds. Called by ``demo.loader.load_demo``: ``load_inspection_demo(office, users)``.
"""
from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw
from django.core.files.base import ContentFile

from emes.fiscal import WorkingCalendar
from emes.models import Division, Office, School

from .models import (
    AnswerKind,
    FollowUpAction,
    FormAnswer,
    FormDispatch,
    InspectionIssue,
    InspectionRound,
    IssueIndicator,
    Question,
    Recommendation,
    RecommendationTransition,
    RoundTransition,
)
from .standards import ANSWERS_WORKING_DAYS

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


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=BKK)


def _demo_png() -> bytes:
    """A small generated image standing in for a photo of evidence."""
    img = Image.new("RGB", (480, 200), "white")
    draw = ImageDraw.Draw(img)
    draw.rectangle([4, 4, 475, 195], outline="navy", width=3)
    draw.text((24, 80), "EMES demo evidence (generated)", fill="navy")
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


def _issues(r: InspectionRound, divisions: dict[str, Division]) -> list[Question]:
    questions = []
    for order, (code, title, description, div_codes, indicators) in enumerate(ISSUES, start=1):
        issue = InspectionIssue.objects.create(round=r, order=order, code=code, title=title, description=description)
        issue.divisions.set([divisions[c] for c in div_codes])
        for i, (text, unit, target, target_text, kind) in enumerate(indicators, start=1):
            ind = IssueIndicator.objects.create(issue=issue, order=i, text=text, unit=unit, target=target, target_text=target_text, answer_kind=kind)
            help_text = f"เป้าหมาย: {target:f} {unit}".strip() if target is not None else (f"เป้าหมาย: {target_text}" if target_text else "")
            questions.append(Question.objects.create(round=r, indicator=ind, order=len(questions) + 1, text=f"{code}.{i} {text}",
                                                     kind=kind, unit=unit, help_text=help_text))
    questions.append(Question.objects.create(round=r, order=len(questions) + 1, text="ร่องรอยหลักฐานประกอบ (ถ้ามี)", kind=AnswerKind.FILE, required=False))
    return questions


def _answer(d: FormDispatch, questions: list[Question], rng: random.Random) -> None:
    for q in questions:
        if q.kind == AnswerKind.NUMBER:
            value = Decimal(rng.randint(78, 100)) if q.unit == "ร้อยละ" else Decimal(rng.randint(0, 6))
            FormAnswer.objects.create(dispatch=d, question=q, number_value=value)
        elif q.kind == AnswerKind.YES_NO:
            FormAnswer.objects.create(dispatch=d, question=q, bool_value=rng.random() < 0.8)
        elif q.kind == AnswerKind.TEXT:
            FormAnswer.objects.create(dispatch=d, question=q, text_value=rng.choice([
                "ครูมีภาระงานธุรการมาก ขอให้ลดการรายงานซ้ำซ้อน " + GENERATED,
                "นักเรียนบางส่วนย้ายตามผู้ปกครอง ติดตามได้ยาก " + GENERATED,
                "ดำเนินการตามแผน ไม่มีปัญหาอุปสรรค " + GENERATED,
            ]))


def load_inspection_demo(office: Office, users: dict) -> None:
    """Replace the demo office's rounds 1/2569 and 1/2570 (see the module docstring). ``users``: ``demo.loader`` users by username."""
    planner = users["planner"]
    rng = random.Random(2569)
    cal = WorkingCalendar.for_office(office)
    divisions = {d.code: d for d in Division.objects.filter(office=office)}
    schools = list(School.objects.filter(office=office).open().order_by("smis_code")[:8])
    InspectionRound.objects.filter(office=office, fiscal_year__in=[2569, 2570], number=1).delete()

    # Round 1/2569: the February 2026 round, closed.
    r1 = InspectionRound.objects.create(
        office=office, fiscal_year=2569, number=1, kind=InspectionRound.Kind.REGULAR,
        title=f"ตรวจราชการกรณีปกติ รอบที่ 1 ประจำปีงบประมาณ พ.ศ. 2569 {GENERATED}",
        plan_sent_on=dt.date(2025, 12, 1), coordination_meeting_on=dt.date(2025, 12, 15), units_notified_on=dt.date(2026, 2, 9),
        visit_starts_on=dt.date(2026, 2, 16), visit_ends_on=dt.date(2026, 2, 18), summary_meeting_on=dt.date(2026, 9, 15),
        inspectors=f"คณะผู้ตรวจราชการกระทรวงศึกษาธิการ {GENERATED}", status=InspectionRound.Status.CLOSED,
        form_built_at=_at(dt.date(2026, 1, 15)), closed_at=_at(dt.date(2026, 3, 20)), created_by=planner,
        accepted_warnings=[{"code": "units_notified", "verdict": "missed", "message": "แจ้งหน่วยรับตรวจน้อยกว่า 7 วันทำการ " + GENERATED}],
        warnings_accepted_by=planner, warnings_accepted_at=_at(dt.date(2026, 2, 9)),
    )
    questions = _issues(r1, divisions)
    sent = dt.date(2026, 1, 19)
    due = cal.add_working_days(sent, ANSWERS_WORKING_DAYS)
    units = [("division", divisions[c]) for c in ("02", "03", "05")] + [("school", s) for s in schools]
    for i, (kind, unit) in enumerate(units):
        d = FormDispatch.objects.create(round=r1, sent_at=_at(sent), sent_by=planner, due_on=due, **{kind: unit})
        if kind == "division" and unit.code == "03":
            continue  # never answered
        submitted = cal.add_working_days(due, 3) if i == len(units) - 1 else cal.add_working_days(sent, rng.randint(5, 25))
        _answer(d, questions, rng)
        FormDispatch.objects.filter(pk=d.pk).update(status=FormDispatch.Status.SUBMITTED, submitted_at=_at(submitted, 14))
    for status, day, comment in (("draft", dt.date(2025, 11, 20), ""), ("open", sent, "ส่งแบบรายงานถึงหน่วยรับตรวจ " + GENERATED),
                                 ("closed", dt.date(2026, 3, 20), "")):
        t = RoundTransition.objects.create(round=r1, from_status="" if status == "draft" else ("draft" if status == "open" else "open"),
                                           to_status=status, by=planner, comment=comment)
        RoundTransition.objects.filter(pk=t.pk).update(at=_at(day))

    issues = {i.code: i for i in r1.issues.all()}
    recs = []
    for order, (issue_code, text, div_codes, due_on) in enumerate(RECOMMENDATIONS, start=1):
        rec = Recommendation.objects.create(round=r1, issue=issues[issue_code], order=order, text=text, due_on=due_on, created_by=planner)
        rec.divisions.set([divisions[c] for c in div_codes])
        RecommendationTransition.objects.create(recommendation=rec, from_status="", to_status="open", by=planner)
        recs.append(rec)
    # Recommendation 1: acted on with evidence, done, verified closed by the plan officer.
    head = users.get("head03") or planner
    action = FollowUpAction(recommendation=recs[0], text="จัดค่ายพัฒนาการอ่านเขียนให้นักเรียน ป.1 ที่อ่านไม่ออก 12 โรงเรียน " + GENERATED,
                            by=head, from_status="open", to_status="in_progress", original_name="ภาพกิจกรรมค่ายอ่านเขียน.png", content_type="image/png")
    data = _demo_png()
    action.size = len(data)
    action.file.save("demo-evidence-r1.png", ContentFile(data), save=False)
    action.save()
    for old, new, by, comment, follow in (("open", "in_progress", head, action.text, action), ("in_progress", "done", head, "", None),
                                          ("done", "closed", planner, "ตรวจสอบร่องรอยหลักฐานแล้ว " + GENERATED, None)):
        RecommendationTransition.objects.create(recommendation=recs[0], from_status=old, to_status=new, by=by, comment=comment, follow_up=follow)
    Recommendation.objects.filter(pk=recs[0].pk).update(status="closed", closed_by=planner, closed_at=_at(dt.date(2026, 7, 10)))
    # Recommendation 2: in progress; 3: open. Both carried into round 1/2570 below.
    FollowUpAction.objects.create(recommendation=recs[1], text="ประสานองค์กรปกครองส่วนท้องถิ่นเพื่อรวบรวมรายชื่อเด็กในพื้นที่ " + GENERATED,
                                  by=users.get("head02") or planner, from_status="open", to_status="in_progress")
    Recommendation.objects.filter(pk=recs[1].pk).update(status="in_progress")

    # Round 1/2570: the February 2027 round, forms dispatched on 16 November 2026.
    r2 = InspectionRound.objects.create(
        office=office, fiscal_year=2570, number=1, kind=InspectionRound.Kind.REGULAR,
        title=f"ตรวจราชการกรณีปกติ รอบที่ 1 ประจำปีงบประมาณ พ.ศ. 2570 {GENERATED}",
        plan_sent_on=dt.date(2026, 11, 2), coordination_meeting_on=dt.date(2026, 11, 16),
        visit_starts_on=dt.date(2027, 2, 15), visit_ends_on=dt.date(2027, 2, 17), summary_meeting_on=dt.date(2027, 9, 14),
        inspectors=f"คณะผู้ตรวจราชการกระทรวงศึกษาธิการ {GENERATED}", status=InspectionRound.Status.OPEN,
        form_built_at=_at(dt.date(2026, 11, 13)), created_by=planner,
    )
    questions2 = _issues(r2, divisions)
    for old_issue, new_issue in zip(r1.issues.order_by("order"), r2.issues.order_by("order")):
        InspectionIssue.objects.filter(pk=new_issue.pk).update(copied_from=old_issue)
    sent2 = dt.date(2026, 11, 16)
    due2 = cal.add_working_days(sent2, ANSWERS_WORKING_DAYS)
    for kind, unit in [("division", divisions["02"]), ("division", divisions["05"])] + [("school", s) for s in schools[:5]]:
        d = FormDispatch.objects.create(round=r2, sent_at=_at(sent2), sent_by=planner, due_on=due2, **{kind: unit})
        if kind == "school" and unit.smis_code != schools[0].smis_code and rng.random() < 0.5:
            _answer(d, questions2, rng)
            FormDispatch.objects.filter(pk=d.pk).update(status=FormDispatch.Status.SUBMITTED, submitted_at=_at(dt.date(2026, 11, 19), 11))
    for status, day in (("draft", dt.date(2026, 10, 20)), ("open", sent2)):
        t = RoundTransition.objects.create(round=r2, from_status="" if status == "draft" else "draft", to_status=status, by=planner)
        RoundTransition.objects.filter(pk=t.pk).update(at=_at(day))
    issue_map = {i.copied_from_id: i for i in r2.issues.all()}
    for order, old in enumerate([recs[1], recs[2]], start=1):
        old.refresh_from_db()
        new = Recommendation.objects.create(round=r2, issue=issue_map.get(old.issue_id), order=order, text=old.text, due_on=old.due_on,
                                            status=old.status, carried_from=old, created_by=planner)
        new.divisions.set(old.divisions.all())
        RecommendationTransition.objects.create(recommendation=new, from_status="", to_status=new.status, by=planner, comment="ยกมาจากรอบ 1/2569")
        RecommendationTransition.objects.create(recommendation=old, from_status=old.status, to_status="carried", by=planner, comment="ยกไปรอบ 1/2570")
        Recommendation.objects.filter(pk=old.pk).update(status="carried")
