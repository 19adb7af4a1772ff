"""The shared strategy levels load from the real policy texts, once per fiscal year."""
import pytest
from django.core.management import CommandError, call_command

from plans.models import Strategy

pytestmark = pytest.mark.django_db


def test_load_policies_is_idempotent_and_skips_test_rows():
    call_command("load_policies", "--fiscal-year", "2570")
    call_command("load_policies", "--fiscal-year", "2570")
    shared = Strategy.objects.filter(office=None, fiscal_year=2570)
    assert {level: shared.filter(level=level).count() for level in ("national", "ministry", "obec")} == {
        "national": 6, "ministry": 12, "obec": 4,
    }
    texts = " ".join(shared.values_list("name", flat=True)) + " ".join(shared.values_list("goal", flat=True))
    assert "texst" not in texts and "demo" not in texts.lower() and "นะจ๊ะ" not in texts and "ฝาน" not in texts
    assert shared.get(level="ministry", code="3").name.startswith("การปฏิรูปการเรียนรู้ด้วยดิจิทัลผ่านแพลตฟอร์ม")


def test_a_ce_year_is_refused():
    with pytest.raises(CommandError) as exc:
        call_command("load_policies", "--fiscal-year", "2026")
    assert "พ.ศ." in str(exc.value)
    assert not Strategy.objects.exists()
