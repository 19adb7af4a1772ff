"""The draft executive summary (บทสรุปผู้บริหาร) generated from the figures, which the plan officer then edits."""
from __future__ import annotations

from django.utils import translation

from emes.models import Office
from emes.thai import baht, percent
from plans.measures import Achievement

from .data import BookData, book_data


def draft_executive_summary(office: Office, fiscal_year: int) -> str:
    """A Thai draft of the executive summary of ``office``'s annual report for ``fiscal_year`` (BE).

    Paragraphs separated by a blank line, Arabic digits (the book applies its digit style): plan size
    and budget; reviewed disbursement against the year-end target; project indicators achieved;
    reports on time; the literacy and inspection headline figures; reports still waiting for review.
    Figures follow the book's counting rule (docs/annual-report.md).
    """
    with translation.override("th"):
        return draft_executive_summary_from(book_data(office, fiscal_year))


def draft_executive_summary_from(data: BookData) -> str:
    """The draft of :func:`draft_executive_summary` from figures already read."""
    res, bud = data.results, data.budget
    q4 = bud.total.cumulative[3]
    paras = [
        f"ในปีงบประมาณ พ.ศ. {data.fiscal_year} {data.office.full_name} ดำเนินงานตามแผนปฏิบัติการประจำปี "
        f"{len(res.strategies)} กลยุทธ์ {len(res.projects)} โครงการ งบประมาณที่ได้รับจัดสรรรวม {baht(bud.total.allocated)} บาท "
        f"เบิกจ่ายตามรายงานที่ตรวจสอบแล้ว {baht(bud.total.disbursed)} บาท คิดเป็นร้อยละ {percent(q4.pct)}"
        + (f" เทียบกับเป้าหมายการเบิกจ่ายสะสมของรัฐบาล ณ สิ้นปีงบประมาณร้อยละ {percent(q4.target)}" if q4.target is not None else ""),
        f"ตัวชี้วัดระดับโครงการ {res.indicator_total} ตัวชี้วัด บรรลุค่าเป้าหมาย {res.counts[Achievement.ACHIEVED]} ตัวชี้วัด "
        f"(ร้อยละ {percent(res.achieved_pct)}) ไม่บรรลุ {res.counts[Achievement.NOT_ACHIEVED]} ตัวชี้วัด "
        f"และยังไม่มีผลที่ตรวจสอบแล้ว {res.counts[Achievement.NOT_REPORTED]} ตัวชี้วัด "
        f"โครงการรายงานผลรายไตรมาสตรงตามกำหนดร้อยละ {percent(data.on_time_pct)} ของรายงานที่ต้องส่งทั้งปี",
    ]
    for rs in data.literacy.rounds:
        total = rs.office_total.all_grades
        reading = total.skills.get("reading_aloud") or next(iter(total.skills.values()), None)
        paras.append(
            f"การประเมินการอ่านออกเขียนได้ ครั้งที่ {rs.round.number} ปีการศึกษา {rs.round.academic_year} "
            f"โรงเรียนส่งผล {rs.submitted} จาก {rs.expected} โรง นักเรียนที่ได้รับการประเมิน {total.assessed:,} คน"
            + (f" ด้านการอ่านออกเสียงอยู่ในระดับดีมากและดีร้อยละ {percent(reading.top_pct)}" if reading is not None else "")
            + (f" มีโรงเรียนที่ควรได้รับการพัฒนาเร่งด่วน {len(rs.flagged)} โรง" if rs.flagged else "")
        )
    ins = data.inspection
    for rr in ins.rounds:
        paras.append(
            f"การตรวจราชการ {rr.round.title} ผ่านมาตรฐานการดำเนินงาน {ins.standards_met(rr)} จาก {len(rr.checks)} ข้อ "
            f"หน่วยรับตรวจส่งแบบรายงานภายในกำหนดร้อยละ {percent(rr.rate.rate_pct)}"
        )
    if ins.recommendations:
        paras.append(f"ข้อเสนอแนะของผู้ตรวจราชการ {ins.recommendations} ข้อ ดำเนินการแล้วและตรวจสอบปิดแล้ว {ins.closed} ข้อ")
    if data.waiting:
        paras.append(f"ยังมีรายงานผลรายไตรมาส {len(data.waiting)} ฉบับที่ส่งแล้วแต่ยังไม่ได้ตรวจสอบ จึงยังไม่นับรวมในตัวเลขข้างต้น")
    return "\n\n".join(paras)
