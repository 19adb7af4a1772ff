"""The small library of standard evaluation forms a new form may start from (docs/evaluation.md, "Standard forms").

- ``satisfaction``: the satisfaction survey of a project's participants, after the provincial manual's form ๙.๑
  (แบบสอบถามความพึงพอใจ, seeds/003_45d35a204f4b331e.txt). The seed names the form only; its sections and items are
  EMES's own wording of the aspects Thai offices' satisfaction forms usually ask (process, staff, facilities, results).
- ``plan_cipp``: the evaluation of a plan or project by the CIPP aspects (context, input, process, product), for the
  participatory evaluation of the annual action plan (seeds/000_d8cb346cea5094fa.txt ข้อ ๕.๓ ๒–๓).

Each form: ``title``, ``description`` and ``sections``: ``(title, [(kind, text, required, choices), ...])``.
"""
from __future__ import annotations

R, YN, NUM, CH, TXT = "rating", "yes_no", "number", "choice", "text"

STANDARD_FORMS: dict[str, dict] = {
    "satisfaction": {
        "title": "แบบสอบถามความพึงพอใจของผู้เข้าร่วมโครงการ",
        "description": "ตามแบบ ๙.๑ แบบสอบถามความพึงพอใจ โปรดเลือกระดับความพึงพอใจที่ตรงกับความคิดเห็นของท่านมากที่สุด "
                       "(๕ = มากที่สุด ๔ = มาก ๓ = ปานกลาง ๒ = น้อย ๑ = น้อยที่สุด) ไม่ต้องระบุชื่อผู้ตอบ",
        "sections": [
            ("ตอนที่ ๑ ข้อมูลทั่วไปของผู้ตอบ", [
                (CH, "สถานภาพของผู้ตอบ", False, ["ผู้บริหารสถานศึกษา", "ครู", "บุคลากรทางการศึกษา", "อื่น ๆ"]),
            ]),
            ("ด้านกระบวนการและขั้นตอนการดำเนินงาน", [
                (R, "การประชาสัมพันธ์และแจ้งกำหนดการล่วงหน้า", True, []),
                (R, "ความเหมาะสมของระยะเวลาในการดำเนินงาน", True, []),
                (R, "ความเหมาะสมของลำดับขั้นตอนการดำเนินงาน", True, []),
            ]),
            ("ด้านวิทยากรและเจ้าหน้าที่", [
                (R, "ความรู้ความสามารถในการถ่ายทอดของวิทยากร", True, []),
                (R, "การให้บริการและอัธยาศัยของเจ้าหน้าที่", True, []),
            ]),
            ("ด้านสถานที่และสิ่งอำนวยความสะดวก", [
                (R, "ความเหมาะสมของสถานที่", True, []),
                (R, "เอกสารและสื่อประกอบการดำเนินงาน", True, []),
            ]),
            ("ด้านผลที่ได้รับ", [
                (R, "ความรู้ความเข้าใจที่ได้รับจากโครงการ", True, []),
                (R, "การนำความรู้ไปใช้ประโยชน์ในการปฏิบัติงาน", True, []),
                (R, "ความพึงพอใจต่อโครงการโดยภาพรวม", True, []),
            ]),
            ("ตอนที่ ๓ ข้อเสนอแนะ", [
                (TXT, "ข้อเสนอแนะเพิ่มเติม", False, []),
            ]),
        ],
    },
    "plan_cipp": {
        "title": "แบบประเมินผลการดำเนินงานตามแผนปฏิบัติการประจำปี (CIPP)",
        "description": "ประเมินแผนงาน/โครงการตามแผนปฏิบัติการประจำปี ๔ ด้าน: บริบท ปัจจัยนำเข้า กระบวนการ และผลผลิต "
                       "(๕ = มากที่สุด … ๑ = น้อยที่สุด)",
        "sections": [
            ("ตอนที่ ๑ ข้อมูลทั่วไปของผู้ตอบ", [
                (CH, "หน่วยงานของผู้ตอบ", False, ["สำนักงานเขตพื้นที่การศึกษา", "สถานศึกษา"]),
            ]),
            ("ด้านบริบท (Context)", [
                (R, "โครงการสอดคล้องกับนโยบายและกลยุทธ์ของสำนักงานเขตพื้นที่การศึกษา", True, []),
                (R, "โครงการตอบสนองความต้องการของสถานศึกษาและผู้เกี่ยวข้อง", True, []),
            ]),
            ("ด้านปัจจัยนำเข้า (Input)", [
                (R, "ความเพียงพอของงบประมาณ", True, []),
                (R, "ความเหมาะสมของบุคลากรและทรัพยากร", True, []),
            ]),
            ("ด้านกระบวนการ (Process)", [
                (R, "การดำเนินงานเป็นไปตามแผนและระยะเวลาที่กำหนด", True, []),
                (R, "การมีส่วนร่วมของผู้เกี่ยวข้อง", True, []),
                (YN, "มีการติดตามและรายงานผลระหว่างดำเนินงาน", True, []),
            ]),
            ("ด้านผลผลิต (Product)", [
                (R, "โครงการบรรลุตามวัตถุประสงค์และตัวชี้วัด", True, []),
                (R, "ผู้รับบริการได้รับประโยชน์จากโครงการ", True, []),
            ]),
            ("ข้อเสนอแนะ", [
                (TXT, "ปัญหาอุปสรรคและข้อเสนอแนะ", False, []),
            ]),
        ],
    },
}


def standard_choices() -> list[tuple[str, str]]:
    """``(key, title)`` of the library's forms, for a select."""
    return [(key, spec["title"]) for key, spec in STANDARD_FORMS.items()]
