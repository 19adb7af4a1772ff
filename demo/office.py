"""The demo office itself: สพป.แพร่ เขต 2 (area code 5402), its divisions, its 103 real schools and its strategies.

Real, read from ``data/demo/`` (copies of public files, see ``data/demo/SOURCES.md``):

- the office's area code 5402 and name สพป.แพร่ เขต 2;
- its 103 schools: 8-digit SMIS code, 10-digit ministry code, name, district, sub-district, school
  cluster, lowest/highest grade, students (``-`` in the source = unknown), and the 16 schools that
  study together with another (``เรียนรวม``: stored closed, ``merged_into`` = the host school);
- the 10 standard divisions (กลุ่ม, codes 01-10) of ``esao_groups.csv``;
- the 4 OBEC policy dimensions (``plans.policies.load_shared_policies``), the frame of the office strategies.

Generated: the director's name, the letter prefix placeholder, e-mail addresses under
``emes-demo.invalid`` for the office and four schools in five (the fifth has none, so its reminder
letters are listed for printing), the 5 office strategies (``demo.plan_spec.OFFICE_STRATEGIES``).
These are reference rows, not state changes: they are written as an operator's import would.
"""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from django.conf import settings

from emes.models import Division, Grade, Office, School
from plans.models import Strategy
from plans.policies import load_shared_policies

from .clock import BANGKOK
from .plan_spec import DEMO_FISCAL_YEAR, OFFICE_STRATEGIES

#: Folder of the real public files the demo reads (shipped with the repository).
DATA_DIR: Path = Path(settings.BASE_DIR) / "data" / "demo"
AREA_CODE = "5402"

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




def load_office() -> tuple[Office, dict[str, Division], dict[str, Strategy]]:
    """The office, its divisions by code and its FY 2569 office strategies by code (created or found)."""
    office, _ = Office.objects.update_or_create(area_code=AREA_CODE, defaults=OFFICE_DEFAULTS)
    divisions = {}
    for row in read_divisions():
        divisions[row["code"]], _ = Division.objects.update_or_create(
            office=office, code=row["code"], defaults={"name": row["name"], "short_name": row["short_name"]}
        )
    for i, row in enumerate(read_schools()):
        # Generated addresses so reminder letters can be e-mailed; every fifth school has none, to
        # show the letters that are printed and sent by post instead.
        email = "" if i % 5 == 4 else f"school{row['smis_code']}@emes-demo.invalid"
        School.objects.update_or_create(smis_code=row["smis_code"], defaults={"office": office, "email": email, **row})

    fy = DEMO_FISCAL_YEAR
    load_shared_policies(fy)
    obec = {s.code: s for s in Strategy.objects.filter(office=None, fiscal_year=fy, level=Strategy.Level.OBEC)}
    strategies = {}
    for code, parent, name, goal in OFFICE_STRATEGIES:
        strategies[code], _ = Strategy.objects.update_or_create(
            office=office, fiscal_year=fy, level=Strategy.Level.OFFICE, code=code,
            defaults={"name": name, "goal": goal, "parent": obec.get(parent)},
        )
    return office, divisions, strategies


# --------------------------------------------------------------------------------------------
# Enrolment (students per grade) of the demo schools
# --------------------------------------------------------------------------------------------
#: The DMC count date of academic year 2569: students are counted as of 10 June each year (ข้อมูล ณ วันที่ 10
#: มิถุนายน, OBEC's Data Management Center), so the registry's import of the counts happens then in the story.
ENROLMENT_YEAR = 2569
ENROLMENT_MOMENT = (2026, 6, 15)


def generated_enrolment_csv(schools: list[School]) -> bytes:
    """A DMC-shaped student-count file (CSV: ``school_code_8_smis``, ``students_total``, one column per grade label
    ``อ.1`` … ``ม.6``) for ``schools``. GENERATED, not real: no per-grade count of Phrae 2 exists among the public files
    (``shared/data/01_schools/README.md``: the only per-grade file is Chiang Rai 3's), so each open school's REAL
    ``students_total`` (``spp_phrae2_schools_detail.csv``) is spread over the grades it teaches (its real lowest to
    highest grade) with a seeded ±20 % variation per grade, the parts adding up to the real total exactly. A school
    without a total (``-``) or without a readable grade range gets empty cells (the import keeps what it had)."""
    import io
    import random

    from literacy.submissions import GRADE_ORDER, taught_grades  # the registry's grade reading

    labels = dict(Grade.choices)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["school_code_8_smis", "students_total", *[labels[g] for g in GRADE_ORDER]])
    for school in schools:
        grades = taught_grades(school, ENROLMENT_YEAR) if school.is_open and school.students_total else None
        counts: dict[str, int] = {}
        if grades:
            rng = random.Random(int(school.smis_code))  # the same figures on every load
            weights = [rng.uniform(0.8, 1.2) for _ in grades]
            raw = [school.students_total * w / sum(weights) for w in weights]
            counts = {g: int(r) for g, r in zip(grades, raw)}
            # Largest remainders get the students left over, so the grades add up to the real total.
            for g, _r in sorted(zip(grades, raw), key=lambda gr: gr[1] - int(gr[1]), reverse=True)[: school.students_total - sum(counts.values())]:
                counts[g] += 1
        writer.writerow([school.smis_code, school.students_total if counts else "", *[counts.get(g, "") for g in GRADE_ORDER]])
    return out.getvalue().encode("utf-8-sig")


def load_enrolment(office: Office, *, by=None) -> dict:
    """Students per grade of the demo schools for academic year 2569 (``Enrolment``), written through the registry's
    import (``emes.registry.services``: upload, preview, apply, as the registry officer would with the DMC file) at
    the DMC count moment under the demo's clock. The figures are GENERATED from real totals: see
    :func:`generated_enrolment_csv`. Returns the import's summary."""
    from django.core.files.base import ContentFile

    from emes.registry.services import apply_school_import, preview_school_import, upload_school_file

    from .clock import at

    schools = list(office.schools.order_by("smis_code"))
    with at(dt.datetime(*ENROLMENT_MOMENT, 10, tzinfo=BANGKOK)):
        school_import = upload_school_file(office, ContentFile(generated_enrolment_csv(schools), name="dmc_students_2569_generated.csv"),
                                           by=by, academic_year=ENROLMENT_YEAR, limit_size=False)
        preview = preview_school_import(school_import)
        return apply_school_import(school_import, by=by, fingerprint=preview.fingerprint)
