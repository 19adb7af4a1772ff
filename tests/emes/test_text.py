"""Issue 13, items 5 and 8: the one text cleaning of EMES (``emes.text``), usernames that can log in, the
request-level refusal of a NUL, the home search with ``?q=%00``, and ids read from requests."""
from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from emes.calendar.models import CalendarEvent
from emes.calendar.services import add_event
from emes.models import Role
from emes.people import services as people
from emes.text import CleanCharField, clean_code, clean_query, clean_text, parse_id, parse_ids, require_text
from tests.factories import UserFactory

User = get_user_model()
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
             "\u2066", "\u2067", "\u2068", "\u2069"]


@pytest.mark.parametrize("char", INVISIBLE)
def test_invisible_characters_alone_clean_to_nothing(char):
    assert clean_text(char * 3) == ""
    assert clean_text(f"ab{char}c") == "abc"


def test_thai_is_kept_as_typed_and_controls_go():
    thai = "ผู้อำนวยการ น้ำ กำลัง"  # SARA AM (ำ) would be split by NFKC
    assert clean_text(thai) == thai
    assert clean_text("\x01a\x07b\x1b\x7fc\x85") == "abc"
    assert clean_text("  a\tb\r\nc  ") == "a b c"
    assert clean_text("a\r\nb\rc", multiline=True) == "a\nb\nc"
    decomposed = unicodedata.normalize("NFD", "é")
    assert clean_text(decomposed) == "é"


def test_a_nul_is_refused_with_a_message():
    with pytest.raises(ValidationError) as exc:
        clean_text("a\x00b")
    assert exc.value.code == "null_characters_not_allowed"
    with pytest.raises(ValidationError) as exc:
        require_text("a\x00", field="title")
    assert list(exc.value.message_dict) == ["title"] and "NUL" in exc.value.message_dict["title"][0]
    with pytest.raises(ValidationError) as exc:
        require_text("\u200b\u202e", field="title")
    assert "title" in exc.value.error_dict


def test_codes_and_usernames_are_nfkc():
    assert clean_code("ｖｉｅｗｅｒ") == "viewer"
    assert clean_code("\u200b１２３\u202e") == "123"


def test_the_search_text_never_raises():
    assert clean_query("\x00") == ""
    assert clean_query("สพป.\x00แพร่\u200b") == "สพป.แพร่"
    assert len(clean_query("ก" * 10_000)) == 100


@pytest.mark.parametrize("bad", ["abc", "", None, "-1", "0", "1.5", "1e3", "๑๒", "１２", "9" * 30, "1\x00", " "])
def test_parse_id_refuses_what_is_not_an_id(bad):
    with pytest.raises(ValidationError) as exc:
        parse_id(bad)
    assert exc.value.code == "invalid_id"


def test_parse_id_reads_ids():
    assert parse_id(" 12 ") == 12
    assert parse_ids(["3", "1", "3"]) == [3, 1]


class _Form(forms.Form):
    title = CleanCharField(max_length=20)
    notes = CleanCharField(required=False, widget=forms.Textarea)


def test_the_form_field_refuses_invisible_only_and_nul():
    assert not _Form({"title": "\u200b\u200c\u2060"}).is_valid()
    assert not _Form({"title": "a\x00"}).is_valid()
    form = _Form({"title": "\u202eชื่อ\u200b", "notes": "บรรทัด 1\r\nบรรทัด 2\u200d"})
    assert form.is_valid()
    assert form.cleaned_data == {"title": "ชื่อ", "notes": "บรรทัด 1\nบรรทัด 2"}


# --- usernames (item 8) ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_full_width_username_is_stored_so_that_it_can_log_in(client, office_a, planner_a):
    user = people.create_staff_user(
        office_a, username="ｖｉｅｗｅｒ２", first_name="ผู้ดู", last_name="ทดสอบ", email="viewer2@example.test",
        role=Role.VIEWER, by=planner_a, site_url="https://emes.test/",
    )
    assert user.username == "viewer2"
    user.set_password("Viewer-Plan-2569")
    user.save()
    # The login form normalises what is typed with NFKC: typed full-width or not, the person gets in.
    assert client.post(reverse("login"), {"username": "ｖｉｅｗｅｒ２", "password": "Viewer-Plan-2569"}).status_code == 302


@pytest.mark.django_db
def test_the_add_person_page_normalises_the_username(client, office_a, planner_a):
    client.force_login(planner_a)
    client.post(reverse("people:add-person", args=[office_a.area_code]), {
        "username": "ｓｏｍｃｈａｉ", "first_name": "สมชาย", "last_name": "ใจดี", "email": "s@example.test", "role": Role.VIEWER,
    })
    assert User.objects.filter(username="somchai").exists()
    assert not User.objects.filter(username="ｓｏｍｃｈａｉ").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_a_name_of_zero_width_characters_is_refused(office_a, planner_a, field):
    fields = {"username": "new.person", "first_name": "ใหม่", "last_name": "คนใหม่", "email": "n@example.test", "role": Role.VIEWER}
    fields[field] = "\u200b\u200c\u200d\u2060\ufeff"
    before = User.objects.count()
    with pytest.raises(ValidationError) as exc:
        people.create_staff_user(office_a, **fields, by=planner_a, site_url="https://emes.test/")
    assert list(exc.value.message_dict) == [field] and "อักขระที่มองไม่เห็น" in exc.value.message_dict[field][0]
    assert User.objects.count() == before


@pytest.mark.django_db
def test_a_calendar_title_of_zero_width_characters_is_refused(office_a, planner_a):
    with pytest.raises(ValidationError) as exc:
        add_event(office_a, by=planner_a, fiscal_year=2570, title="\u200b\u2060", kind="other",
                  starts_on=dt.date(2026, 11, 2), ends_on=dt.date(2026, 11, 2))
    assert exc.value.message_dict == {"title": ["กรุณาระบุชื่อกิจกรรม"]}
    assert not CalendarEvent.objects.exists()


# --- a NUL anywhere in a request (item 5) ----------------------------------------------------------


@pytest.mark.django_db
def test_the_home_search_with_a_nul_is_a_message_not_a_500(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    response = client.get("/?q=%00")
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    assert client.get("/?q=%E2%80%8B9901").status_code == 200  # a zero-width space alone searches for 9901


@pytest.mark.django_db
def test_a_nul_in_a_form_field_name_or_path_gets_the_400_page(client, planner_a, office_a):
    client.force_login(planner_a)
    assert client.post(reverse("people:add-person", args=[office_a.area_code]), {"first\x00name": "x"}).status_code == 400
    assert client.get(f"/o/{office_a.area_code}%00/people/").status_code == 400


# --- every EMES form cleans its text the same way (item 8) ---------------------------------------------


def _emes_form_classes():
    import importlib
    import inspect

    modules = ["emes.calendar.forms", "emes.people.forms", "emes.registry.forms", "plans.forms", "plans.monitoring.forms",
               "plans.workbook.forms", "plans.admin", "literacy.office_forms", "literacy.school_forms", "inspections.forms",
               "reports.reminders.forms"]
    for name in modules:
        module = importlib.import_module(name)
        for _n, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name:
                yield cls


#: Text inputs that hold a number: the shared number field of issue 13 (item 7) replaces them.
NUMBER_TEXT_FIELDS = {("IndicatorForm", "target")}


def test_every_text_field_of_every_emes_form_is_a_clean_field():
    plain = [
        (cls.__name__, name) for cls in _emes_form_classes() for name, field in cls.base_fields.items()
        if type(field) is forms.CharField and (cls.__name__, name) not in NUMBER_TEXT_FIELDS
        and not isinstance(field.widget, forms.PasswordInput)  # a password is kept exactly as typed
    ]
    assert not plain, f"text fields without emes.text.CleanCharField: {plain}"
