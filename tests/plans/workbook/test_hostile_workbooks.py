"""Hostile plan workbooks are refused by the core intake (emes.uploads) and change nothing; a very long Thai
file name is kept for display and never reaches the storage (issue 13, items 3 and 8)."""
from __future__ import annotations

import pytest

from plans.models import PlanImport
from plans.workbook import services
from plans.workbook.reader import PlanWorkbookError
from tests.hostile_files import bomb_row, million_rows

from .conftest import FY, build, plan_state, upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("hostile", [bomb_row, million_rows], ids=["row of millions of cells", "a million rows"])
@pytest.mark.parametrize("ratio_check", [True, False], ids=["zip check", "streaming count"])
def test_a_hostile_workbook_is_refused_in_thai_and_nothing_is_saved(office_a, planner_a, frame, settings, hostile, ratio_check):
    if not ratio_check:
        settings.EMES_UPLOAD_MAX_ZIP_RATIO = 10**9
    before = plan_state()
    with pytest.raises(PlanWorkbookError) as caught:
        services.upload_plan_workbook(office_a, FY, upload(hostile()), by=planner_a)
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in caught.value.messages[0])
    assert plan_state() == before and not PlanImport.objects.exists()


def test_a_400_character_thai_file_name_is_accepted(office_a, planner_a, frame):
    name = "แผนปฏิบัติการประจำปีงบประมาณของสำนักงานเขตพื้นที่การศึกษา" * 8 + ".xlsx"
    assert len(name) > 400
    plan_import = services.upload_plan_workbook(office_a, FY, upload(build(office_a), name), by=planner_a)
    assert plan_import.original_name == name[:250] + ".xlsx"
    assert len(plan_import.file.name) <= PlanImport._meta.get_field("file").max_length
