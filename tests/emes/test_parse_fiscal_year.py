"""One reader of user-typed fiscal years (issue 14): BE ints, Thai digits, the CE mistake named in Thai."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from emes.fiscal import parse_fiscal_year


@pytest.mark.parametrize("typed", ["2570", " 2570 ", "๒๕๗๐", 2570])
def test_a_be_year_is_read_in_arabic_or_thai_digits(typed):
    assert parse_fiscal_year(typed) == 2570


def test_a_ce_year_is_refused_naming_the_be_year_in_thai():
    with translation.override("th"), pytest.raises(ValidationError) as exc:
        parse_fiscal_year("2026", field="fy")
    assert exc.value.error_dict["fy"][0].code == "ce_year"
    assert "2569" in exc.value.message_dict["fy"][0]


@pytest.mark.parametrize("typed", ["", None, "abc", "25x0", "1800", "2800"])
def test_anything_else_is_refused_as_not_a_year(typed):
    with pytest.raises(ValidationError) as exc:
        parse_fiscal_year(typed)
    assert exc.value.error_dict["fiscal_year"][0].code == "year"
