"""The shared levels of the strategic frame: national strategy, ministry policy, OBEC policy.

They have no office and are reused by every office's plan (``Strategy.office`` is null). Sources:
- National strategy: the six strategies of ยุทธศาสตร์ชาติ พ.ศ. 2561-2580 (Royal Gazette, 13 Oct 2018).
- Ministry (MOE) policies and OBEC policies: the policy master tables of a real school-finance
  system (GitHub ``sooksun/sfmisnext``, FY 2565 era), copied to ``data/demo/`` (see its SOURCES.md);
  rows with ``del=1`` are that system's developer test rows and are skipped, and three typing slips
  in the OBEC texts are corrected.
"""
from __future__ import annotations

import csv
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import Strategy

DATA_DIR: Path = Path(settings.BASE_DIR) / "data" / "demo"

#: ยุทธศาสตร์ชาติ พ.ศ. 2561-2580: code, name.
NATIONAL_STRATEGIES = [
    ("1", "ยุทธศาสตร์ชาติด้านความมั่นคง"),
    ("2", "ยุทธศาสตร์ชาติด้านการสร้างความสามารถในการแข่งขัน"),
    ("3", "ยุทธศาสตร์ชาติด้านการพัฒนาและเสริมสร้างศักยภาพทรัพยากรมนุษย์"),
    ("4", "ยุทธศาสตร์ชาติด้านการสร้างโอกาสและความเสมอภาคทางสังคม"),
    ("5", "ยุทธศาสตร์ชาติด้านการสร้างการเติบโตบนคุณภาพชีวิตที่เป็นมิตรต่อสิ่งแวดล้อม"),
    ("6", "ยุทธศาสตร์ชาติด้านการปรับสมดุลและพัฒนาระบบการบริหารจัดการภาครัฐ"),
]
#: Typing slips of the source system's OBEC texts, corrected when loaded (kept verbatim in the CSV).
OBEC_TEXT_FIXES = [(" นะจ๊ะ", ""), ("ก าหนด", "กำหนด"), ("คลัส เตอร์", "คลัสเตอร์")]
MOE_TEXT_FIXES = [("ฝาน", "ผ่าน")]


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8-sig", newline="") as fh:
        return [row for row in csv.DictReader(fh) if row["del"].strip() == "0"]


def _clean(text: str, fixes: list[tuple[str, str]]) -> str:
    text = " ".join((text or "").split())
    for bad, good in fixes:
        text = text.replace(bad, good)
    return text


def read_obec_policies() -> list[dict[str, str]]:
    """OBEC policies: ``[{"code": "1".."4", "name": "ด้านความปลอดภัย", "goal": detail text}]``."""
    out = []
    for row in _rows("sfmis_master_obec_policy.csv"):
        code, _, name = row["obec_policy"].strip().partition(".")
        out.append({"code": code.strip(), "name": name.strip(), "goal": _clean(row["detail"], OBEC_TEXT_FIXES)})
    return out


def read_moe_policies() -> list[dict[str, str]]:
    """Ministry of Education policies: ``[{"code": "1".."12", "name": policy text}]``."""
    out = []
    for row in _rows("sfmis_master_moe_policy.csv"):
        code, _, name = row["moe_policy"].strip().partition(".")
        out.append({"code": code.strip(), "name": _clean(name, MOE_TEXT_FIXES)})
    return out


def load_shared_policies(fiscal_year: int) -> dict[str, int]:
    """Create or refresh the shared strategy levels for ``fiscal_year`` (BE); idempotent.

    Returns ``{"national": 6, "ministry": 12, "obec": 4}`` (rows per level).
    """
    levels = {
        Strategy.Level.NATIONAL: [{"code": c, "name": n, "goal": ""} for c, n in NATIONAL_STRATEGIES],
        Strategy.Level.MINISTRY: [{**p, "goal": ""} for p in read_moe_policies()],
        Strategy.Level.OBEC: read_obec_policies(),
    }
    with transaction.atomic():
        for level, rows in levels.items():
            for row in rows:
                Strategy.objects.update_or_create(
                    office=None, fiscal_year=fiscal_year, level=level, code=row["code"],
                    defaults={"name": row["name"], "goal": row["goal"]},
                )
    return {str(level): len(rows) for level, rows in levels.items()}
