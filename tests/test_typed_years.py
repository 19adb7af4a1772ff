"""Every entry point that reads a year typed by a user reads it with the core's one parser (issue 14).

``emes.fiscal.parse_fiscal_year`` (and its siblings for academic and plain BE years): a CE year is refused with the
Thai hint naming the BE year, anything else with "type the ... year in the Buddhist Era"; the same words on every
path. Commands exit with code 2; pages show the message and the default year; forms refuse the field; services
raise. Nothing is changed by a refused year. Rule source: docs/fiscal-calendar.md, docs/input.md.
"""
from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from emes.calendar.services import generate_calendar
from emes.fiscal import fiscal_year_of, parse_academic_year, parse_be_year, year_from_query, year_option
from emes.registry.forms import SchoolUploadForm
from inspections.forms import RoundForm as InspectionRoundForm
from literacy.office_forms import RoundForm as LiteracyRoundForm
from literacy.services import create_round
from plans.workbook.services import export_plan_workbook

pytestmark = pytest.mark.django_db

#: The Thai CE hint for 2026 (BE 2569) and the Thai refusals of anything else.
CE_HINT = "ปี 2026 น่าจะเป็นปี ค.ศ. กรุณากรอกปี พ.ศ. (2569)"
NOT_A_FISCAL_YEAR = "กรุณาพิมพ์ปีงบประมาณเป็นพุทธศักราช เช่น 2569"
NOT_AN_ACADEMIC_YEAR = "กรุณาพิมพ์ปีการศึกษาเป็นพุทธศักราช เช่น 2569"
NOT_A_YEAR = "กรุณาพิมพ์ปีเป็นพุทธศักราช เช่น 2569"
TYPED = [("2026", CE_HINT), ("25x9", NOT_A_FISCAL_YEAR), ("3000", NOT_A_FISCAL_YEAR)]


def _row_counts() -> dict[str, int]:
    labels = {"emes", "plans", "literacy", "inspections", "reports", "emes_calendar", "calendar"}
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label in labels}


@pytest.fixture(autouse=True)
def _thai():
    with translation.override("th"):
        yield


# --- the core helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(("parse", "garbage"), [(parse_academic_year, NOT_AN_ACADEMIC_YEAR), (parse_be_year, NOT_A_YEAR)])
def test_the_siblings_read_and_refuse_as_the_fiscal_year_parser(parse, garbage):
    assert parse("๒๕๖๙") == 2569
    with pytest.raises(ValidationError) as exc:
        parse("2026")
    assert exc.value.messages == [CE_HINT]
    with pytest.raises(ValidationError) as exc:
        parse("abc")
    assert exc.value.messages == [garbage]


def test_a_query_year_falls_back_to_the_default_with_the_message():
    assert year_from_query("", default=2569) == (2569, "")
    assert year_from_query("2570", default=2569) == (2570, "")
    assert year_from_query("2026", default=None) == (None, CE_HINT)


def test_a_command_year_is_a_usage_error():
    with pytest.raises(CommandError) as exc:
        year_option("2026")
    assert exc.value.returncode == 2 and str(exc.value) == CE_HINT


# --- management commands: exit code 2, the message, nothing changed ------------------------------


def _commands(office, tmp_path):
    out = str(tmp_path / "out.bin")
    missing = str(tmp_path / "never-read.xlsx")
    return {
        "annual_report": ["--office", office, "--output", out, "--fiscal-year"],
        "export_plan": ["--office", office, "--output", out, "--fiscal-year"],
        "import_plan": [missing, "--office", office, "--fiscal-year"],
        "load_policies": ["--fiscal-year"],
        "generate_calendar": ["--office", office, "--fiscal-year"],
        "import_schools": [missing, "--office", office, "--academic-year"],
    }


@pytest.mark.parametrize("command", ["annual_report", "export_plan", "import_plan", "load_policies", "generate_calendar", "import_schools"])
@pytest.mark.parametrize(("typed", "message"), TYPED)
def test_commands_refuse_a_typed_year_with_exit_code_2(office_a, tmp_path, command, typed, message):
    args = _commands(office_a.area_code, tmp_path)[command]
    if command == "import_schools" and message == NOT_A_FISCAL_YEAR:
        message = NOT_AN_ACADEMIC_YEAR
    before = _row_counts()
    with pytest.raises(CommandError) as exc:
        call_command(command, *args, typed)
    assert exc.value.returncode == 2
    assert message in str(exc.value)
    assert _row_counts() == before
    assert not (tmp_path / "out.bin").exists()


# --- pages: the message shown, the default year used, nothing changed ----------------------------


def _shown(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize(("typed", "message"), TYPED)
@pytest.mark.parametrize("name", ["calendar:list", "calendar:gantt"])
def test_calendar_pages_show_the_current_fiscal_year_with_the_message(client, planner_a, office_a, name, typed, message):
    client.force_login(planner_a)
    response = client.get(reverse(name, args=[office_a.area_code]), {"fy": typed})
    assert response.status_code == 200
    assert response.context["fiscal_year"] == fiscal_year_of(timezone.localdate())
    assert message in _shown(response)


def test_the_calendar_month_refuses_a_ce_year(client, planner_a, office_a):
    client.force_login(planner_a)
    response = client.get(reverse("calendar:month", args=[office_a.area_code]), {"year": "2026", "month": "3"})
    assert response.status_code == 200 and CE_HINT in _shown(response)


@pytest.mark.parametrize(("typed", "message"), TYPED)
def test_generating_the_calendar_of_a_refused_year_generates_nothing(client, planner_a, office_a, typed, message):
    client.force_login(planner_a)
    before = _row_counts()
    response = client.post(reverse("calendar:generate", args=[office_a.area_code]), {"fy": typed}, follow=True)
    assert message in _shown(response)
    assert _row_counts() == before


def test_adding_an_event_to_a_refused_year_adds_nothing(client, planner_a, office_a):
    client.force_login(planner_a)
    before = _row_counts()
    response = client.post(reverse("calendar:event-add", args=[office_a.area_code]) + "?fy=2026",
                           {"kind": "other", "title": "x", "starts_on": "1/3/2569", "ends_on": "1/3/2569"})
    assert response.status_code == 400 and CE_HINT in _shown(response)
    assert _row_counts() == before


@pytest.mark.parametrize(("typed", "message"), TYPED)
@pytest.mark.parametrize("name", ["inspections:rounds", "inspections:office-recommendations"])
def test_inspection_lists_show_every_year_with_the_message(client, planner_a, office_a, name, typed, message):
    client.force_login(planner_a)
    response = client.get(reverse(name, args=[office_a.area_code]), {"fy": typed})
    assert response.status_code == 200 and message in _shown(response)


@pytest.mark.parametrize(("typed", "message"), TYPED)
def test_the_follow_up_report_shows_the_current_year_with_the_message(client, planner_a, office_a, typed, message):
    client.force_login(planner_a)
    response = client.get(reverse("inspection-reports:follow-up", args=[office_a.area_code]), {"fy": typed})
    assert response.status_code == 200 and response.context["problem"] == message
    assert response.context["data"].fiscal_year == fiscal_year_of(timezone.localdate())


@pytest.mark.parametrize(("typed", "message"), [("2026", CE_HINT), ("25x9", NOT_A_YEAR)])
def test_the_letter_register_refuses_a_typed_year(client, planner_a, office_a, typed, message):
    client.force_login(planner_a)
    response = client.get(reverse("letters:register", args=[office_a.area_code]), {"year": typed})
    assert response.status_code == 200 and message in _shown(response) and response.context["year"] is None
    response = client.get(reverse("letters:register-xlsx", args=[office_a.area_code]), {"year": typed})
    assert response.status_code == 400 and message in response.content.decode()


# --- forms and services ------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "message"), TYPED)
def test_the_inspection_round_form_refuses_a_typed_year(typed, message):
    form = InspectionRoundForm(data={"fiscal_year": typed, "number": "1", "kind": "regular"})
    assert form.errors["fiscal_year"] == [message]


@pytest.mark.parametrize(("typed", "message"), [("2026", CE_HINT), ("25x9", NOT_AN_ACADEMIC_YEAR)])
def test_the_literacy_round_and_school_upload_forms_refuse_a_typed_year(typed, message):
    assert LiteracyRoundForm(data={"academic_year": typed}).errors["academic_year"] == [message]
    assert SchoolUploadForm(data={"academic_year": typed}, max_mb=5).errors["academic_year"] == [message]


@pytest.mark.parametrize(("typed", "message"), [("2026", CE_HINT), ("25x9", NOT_AN_ACADEMIC_YEAR)])
def test_the_literacy_service_refuses_a_typed_year(office_a, planner_a, typed, message):
    before = _row_counts()
    now = timezone.now()
    with pytest.raises(ValidationError) as exc:
        create_round(office_a, by=planner_a, academic_year=typed, number=1, grades=["p1"],
                     opens_at=now, closes_at=now + dt.timedelta(days=7))
    assert exc.value.message_dict["academic_year"] == [message]
    assert _row_counts() == before


@pytest.mark.parametrize(("typed", "message"), TYPED)
def test_the_calendar_service_refuses_a_typed_year(office_a, planner_a, typed, message):
    before = _row_counts()
    with pytest.raises(ValidationError) as exc:
        generate_calendar(office_a, typed, by=planner_a)
    assert exc.value.message_dict["fiscal_year"] == [message]
    assert _row_counts() == before


@pytest.mark.parametrize(("typed", "message"), TYPED)
def test_the_plan_workbook_services_refuse_a_typed_year(office_a, typed, message):
    with pytest.raises(ValidationError) as exc:
        export_plan_workbook(office_a, typed)
    assert exc.value.messages == [message]
