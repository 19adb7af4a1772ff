"""The admin keeps offices apart (issue 13, items 1 and 2): a walk over every registered admin model.

As office A's director and as office A's plan officer (both staff in the office admin group), with
rows of every model existing in office B and shared rows (national strategy, OBEC policy):

- no office B row appears in any changelist, add or change form choice (FK and M2M, inlines
  too), list filter or autocomplete response;
- a POST that points a row at office B (or at an office B row) is refused and writes nothing;
- shared rows are read-only to everyone but superusers; an office's identity (area code, name,
  type) is the superusers'; the approved plan is locked in the admin as in the services.
"""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.forms import MultiWidget
from django.forms.models import ModelChoiceField, ModelMultipleChoiceField
from django.urls import reverse
from django.utils import timezone

from emes.models import (
    CalendarEvent,
    Enrolment,
    Office,
    OfficeHoliday,
    Role,
    SchoolAccountBatch,
    SchoolImport,
)
from emes.notifications.models import Notification
from emes.services import ensure_office_admin_group
from inspections.models import InspectionRound, Recommendation
from literacy.models import (
    GradeResult,
    LiteracyRound,
    RoundReopening,
    SkillResult,
    Submission,
    SubmissionChange,
)
from plans import services as plan_services
from plans.models import (
    ActionPlan,
    Activity,
    BudgetLine,
    DisbursementTarget,
    Indicator,
    IndicatorResult,
    PlanImport,
    PlanTransition,
    Project,
    ReportDisbursement,
    ReportingRule,
    ReportTransition,
    Strategy,
)
from reports.letters.models import OutgoingLetter
from reports.models import Reminder, ReportJob, SweepRun
from tests.factories import (
    ActivityFactory,
    BudgetLineFactory,
    DivisionFactory,
    IndicatorFactory,
    MembershipFactory,
    OfficeFactory,
    ProjectFactory,
    QuarterlyReportFactory,
    SchoolFactory,
    StrategyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
User = get_user_model()
ROLES = ("director", "plan_officer")


class World:
    """Offices A and B with a row of every admin model each, shared strategies, and A's admin users."""

    def __init__(self):
        self.office_a = OfficeFactory(area_code="9901", name="สพป.ทดสอบ เขต 1")
        self.office_b = OfficeFactory(area_code="9902", name="สพป.ทดสอบ เขต 2")
        self.national = Strategy.objects.create(office=None, fiscal_year=2569, level=Strategy.Level.NATIONAL, code="N1", name="ยุทธศาสตร์ชาติ")
        self.obec = Strategy.objects.create(
            office=None, fiscal_year=2569, level=Strategy.Level.OBEC, code="P1", name="นโยบาย สพฐ.", parent=self.national
        )
        DisbursementTarget.objects.create(fiscal_year=2569, quarter=1, target_pct=Decimal("30"))
        self.users = {}
        for role, key in ((Role.DIRECTOR, "director"), (Role.PLAN_OFFICER, "plan_officer")):
            user = UserFactory(username=f"{key}_a", is_staff=True)
            MembershipFactory(user=user, office=self.office_a, role=role)
            user.groups.add(ensure_office_admin_group())
            self.users[key] = user
        self.a = self._rows(self.office_a, "a")
        self.b = self._rows(self.office_b, "b")
        #: Every office B row by model, and office B's people (users who are members there only).
        self.b_pks: dict[type[models.Model], set] = {}
        for obj in self.b.values():
            self.b_pks.setdefault(type(obj), set()).add(obj.pk)
        self.b_pks[Office] = {self.office_b.pk}

    def _rows(self, office: Office, tag: str) -> dict[str, models.Model]:
        day = dt.date(2026, 11, 20)
        now = timezone.now()
        r: dict[str, models.Model] = {}
        r["division"] = division = DivisionFactory(office=office, code="02", name=f"กลุ่มนโยบายและแผน {tag}")
        r["school"] = school = SchoolFactory(office=office, smis_code=f"{office.area_code}0001", name=f"โรงเรียน {tag}")
        r["enrolment"] = Enrolment.objects.create(school=school, academic_year=2568, grade="p1", students=20)
        r["user"] = person = UserFactory(username=f"person_{tag}")
        r["membership"] = MembershipFactory(user=person, office=office, role=Role.PROJECT_OWNER, division=division)
        r["holiday"] = OfficeHoliday.objects.create(office=office, date=day, name=f"วันหยุด {tag}")
        r["school_import"] = SchoolImport.objects.create(office=office, file="imports/schools/x.csv", original_name=f"{tag}.csv")
        r["batch"] = SchoolAccountBatch.objects.create(office=office, accounts=1)
        r["event"] = CalendarEvent.objects.create(office=office, fiscal_year=2570, title=f"งาน {tag}", starts_on=day, ends_on=day)
        r["notification"] = Notification.objects.create(user=person, office=office, title=f"แจ้ง {tag}")
        r["strategy"] = strategy = StrategyFactory(office=office, code=f"S{tag}", parent=self.obec)
        r["strategy2"] = strategy2 = StrategyFactory(office=office, code=f"T{tag}", parent=self.obec)
        r["project"] = project = ProjectFactory(office=office, strategy=strategy, division=division, owner=person, code=f"69-{tag}")
        project.strategies.add(strategy2, self.obec)
        r["indicator"] = indicator = IndicatorFactory(project=project)
        r["strategy_indicator"] = Indicator.objects.create(strategy=strategy, name=f"ตัวชี้วัดกลยุทธ์ {tag}", unit="ร้อยละ", target=Decimal("80"))
        r["budget_line"] = BudgetLineFactory(project=project)
        r["activity"] = ActivityFactory(project=project)
        r["report"] = report = QuarterlyReportFactory(project=project)
        r["result"] = IndicatorResult.objects.create(report=report, indicator=indicator, actual=Decimal("50"))
        r["disbursement"] = ReportDisbursement.objects.create(report=report, source="obec", amount=Decimal("100"))
        r["report_transition"] = ReportTransition.objects.create(report=report, to_status="submitted", by=person)
        r["plan"] = plan = ActionPlan.objects.create(office=office, fiscal_year=2569, status=ActionPlan.Status.DRAFT, created_by=person)
        r["plan_transition"] = PlanTransition.objects.create(plan=plan, to_status="draft", by=person)
        r["plan_import"] = PlanImport.objects.create(office=office, fiscal_year=2569, file="imports/plans/x.xlsx", original_name=f"{tag}.xlsx")
        r["rule"] = ReportingRule.objects.create(office=office, fiscal_year=2569, due_working_days=15)
        r["inspection_round"] = round_ = InspectionRound.objects.create(office=office, fiscal_year=2570, number=1, title=f"ตรวจ {tag}")
        r["recommendation"] = Recommendation.objects.create(round=round_, text=f"ข้อเสนอแนะ {tag}")
        r["literacy_round"] = lit = LiteracyRound.objects.create(
            office=office, academic_year=2569, number=1, grades=["p1"], opens_at=now, closes_at=now + dt.timedelta(days=7)
        )
        r["reopening"] = RoundReopening.objects.create(round=lit, school=school, until=now + dt.timedelta(days=9), reason=f"เหตุ {tag}")
        r["submission"] = submission = Submission.objects.create(round=lit, school=school)
        r["grade"] = grade = GradeResult.objects.create(submission=submission, grade="p1", enrolled=20, assessed=20)
        r["skill"] = SkillResult.objects.create(grade_result=grade, skill="reading", very_good=5, good=5, fair=5, improve=5)
        r["change"] = SubmissionChange.objects.create(submission=submission, version=1, action="saved", by=person)
        r["job"] = ReportJob.objects.create(office=office, fiscal_year=2569, requested_by=person)
        r["letter"] = OutgoingLetter.objects.create(
            office=office, year=2569, number=1, kind="memo", date=day, subject=f"หนังสือ {tag}", recipient="x"
        )
        r["reminder"] = Reminder.objects.create(
            office=office, obligation_kind="x", obligation_key=f"x{tag}", stage="first", recipient_key="x", recipient_name=tag,
            due_on=day, subject=f"เตือน {tag}",
        )
        r["sweep"] = SweepRun.objects.create(office=office, for_date=day)
        return r


@pytest.fixture
def world(db) -> World:
    return World()


def _registered():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _choice_fields(form):
    for name, field in form.fields.items():
        if isinstance(field, (ModelChoiceField, ModelMultipleChoiceField)):
            yield name, field


def _forms_of(context):
    """The main form and every inline form (the empty one too) of an admin add/change page."""
    yield context["adminform"].form
    for inline in context["inline_admin_formsets"]:
        yield from inline.formset.forms
        yield inline.formset.empty_form


def _leaks(world: World, model, pks) -> set:
    return set(pks) & world.b_pks.get(model, set())


def _assert_no_b_choice(world: World, context, where: str) -> None:
    for form in _forms_of(context):
        for name, field in _choice_fields(form):
            model = field.queryset.model
            assert not _leaks(world, model, field.queryset.values_list("pk", flat=True)), f"{where}: {form.prefix or ''} {name}"


def _the_a_row(world: World, model):
    if model is Office:
        return world.office_a
    for obj in world.a.values():
        if type(obj) is model:
            return obj
    return model._default_manager.first() if model is DisbursementTarget else None


@pytest.mark.parametrize("role", ROLES)
def test_no_office_b_row_in_lists_forms_filters_or_autocompletes(client, world, role):
    client.force_login(world.users[role])
    walked = 0
    for model, model_admin in _registered():
        changelist = client.get(_url(model, "changelist"))
        if changelist.status_code == 403:
            continue
        assert changelist.status_code == 200, model
        walked += 1
        cl = changelist.context["cl"]
        assert not _leaks(world, model, [o.pk for o in cl.result_list]), f"{model._meta.label} changelist"
        for spec in cl.filter_specs:
            field = getattr(spec, "field", None)
            if field is not None and field.is_relation:
                choices = [pk for pk, _label in spec.lookup_choices]
                assert not _leaks(world, field.related_model, choices), f"{model._meta.label} filter {spec.field_path}"
        add = client.get(_url(model, "add"))
        if add.status_code == 200:
            _assert_no_b_choice(world, add.context, f"{model._meta.label} add")
        mine = _the_a_row(world, model)
        if mine is not None:
            change = client.get(_url(model, "change", mine.pk))
            assert change.status_code == 200, model
            _assert_no_b_choice(world, change.context, f"{model._meta.label} change")
    assert walked >= 20

    # Autocompletes: every relation of every registered model (inlines' models too) to a searchable admin.
    sources = {m for m, _a in _registered()} | {i.model for _m, a in _registered() for i in a.inlines}
    asked = 0
    for source in sources:
        for field in source._meta.get_fields():
            if not (field.is_relation and (field.many_to_one or field.many_to_many or field.one_to_one) and not field.auto_created):
                continue
            target_admin = admin.site._registry.get(field.related_model)
            if target_admin is None or not target_admin.search_fields:
                continue
            params = {"app_label": source._meta.app_label, "model_name": source._meta.model_name, "field_name": field.name, "term": ""}
            response = client.get(reverse("admin:autocomplete"), params)
            if response.status_code == 403:
                continue
            assert response.status_code == 200, (source, field.name)
            asked += 1
            ids = [int(r["id"]) for r in json.loads(response.content)["results"]]
            assert not _leaks(world, field.related_model, ids), f"autocomplete {source._meta.label}.{field.name}"
    assert asked >= 5


# --- Writes -------------------------------------------------------------------------------------


def _fingerprint() -> dict:
    """Every row of every admin model and inline model, as values (what a refused POST must leave alone)."""
    out = {}
    for model, model_admin in _registered():
        for m in (model, *(i.model for i in model_admin.inlines)):
            out[m._meta.label] = sorted(map(repr, m._default_manager.order_by("pk").values()))
    out["project_strategies"] = sorted(Project.strategies.through.objects.values_list("project_id", "strategy_id"))
    return out


def _value_data(bound_field) -> dict:
    field, value = bound_field.field, bound_field.value()
    widget = getattr(field.widget, "widget", field.widget)  # admin wraps relation widgets
    name = bound_field.html_name
    if isinstance(widget, MultiWidget):
        parts = widget.decompress(value)
        return {f"{name}_{i}": "" if p is None else str(p) for i, p in enumerate(parts)}
    if isinstance(value, bool) or field.__class__.__name__ == "BooleanField":
        return {name: "on"} if value else {}
    if value is None:
        return {name: []} if isinstance(field, ModelMultipleChoiceField) else {name: ""}
    if isinstance(value, (list, tuple)):
        return {name: [str(v) for v in value]}
    return {name: str(value)}


def _post_data(context, *, inlines: bool = True) -> dict:
    """The data a browser would send back for the page's form as shown (inline rows only with ``inlines``)."""
    data: dict = {}
    form = context["adminform"].form
    for name in form.fields:
        data.update(_value_data(form[name]))
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        forms = formset.forms if inlines else []
        mgmt = formset.management_form.prefix
        data.update({
            f"{mgmt}-TOTAL_FORMS": str(len(forms)), f"{mgmt}-INITIAL_FORMS": str(formset.initial_form_count() if inlines else 0),
            f"{mgmt}-MIN_NUM_FORMS": "0", f"{mgmt}-MAX_NUM_FORMS": "1000",
        })
        for f in forms:
            for name in f.fields:
                data.update(_value_data(f[name]))
    return data


def _b_row_of(world: World, model):
    pks = world.b_pks.get(model)
    return min(pks) if pks else None


def _swaps(world: World, context):
    """(html name, office B pk) for every relation field of the page's forms that can point at office B."""
    for form in _forms_of(context):
        if form.prefix and "__prefix__" in form.prefix:
            continue
        for name, field in _choice_fields(form):
            b = _b_row_of(world, field.queryset.model)
            if b is not None and name != "id" and not getattr(field, "disabled", False):
                yield form[name].html_name, b, isinstance(field, ModelMultipleChoiceField)


@pytest.mark.parametrize("role", ROLES)
def test_posts_pointing_at_office_b_are_refused_and_write_nothing(client, world, role):
    client.force_login(world.users[role])
    tried = 0
    for model, model_admin in _registered():
        mine = _the_a_row(world, model)
        if mine is None:
            continue
        page = client.get(_url(model, "change", mine.pk))
        if page.status_code != 200:
            continue
        data = _post_data(page.context)
        request = page.wsgi_request
        if model_admin.has_change_permission(request, mine):
            # The control: sending the form back unchanged is accepted, so a refusal below is for the office.
            saved = client.post(_url(model, "change", mine.pk), data)
            assert saved.status_code == 302, (model, getattr(saved, "context", None) and saved.context["adminform"].form.errors)
            page = client.get(_url(model, "change", mine.pk))
            data = _post_data(page.context)
        for name, b_pk, many in list(_swaps(world, page.context)):
            before = _fingerprint()
            bad = {**data, name: [str(b_pk)] if many else str(b_pk)}
            response = client.post(_url(model, "change", mine.pk), bad)
            assert response.status_code in (200, 403), (model, name)
            assert _fingerprint() == before, f"{model._meta.label} change with {name} of office B"
            add_data = {**_post_data(page.context, inlines=False), name: [str(b_pk)] if many else str(b_pk)}
            if "-" not in name:
                response = client.post(_url(model, "add"), add_data)
                assert response.status_code in (200, 403), (model, name)
                assert _fingerprint() == before, f"{model._meta.label} add with {name} of office B"
            tried += 1
    assert tried >= 10


@pytest.mark.parametrize("role", ROLES)
def test_no_row_of_office_b_can_be_added_or_changed(client, world, role):
    """The issue's cases by name: strategy, division, holiday and project added to office B are refused."""
    client.force_login(world.users[role])
    before = _fingerprint()
    b = world.office_b
    posts = {
        Strategy: {"office": b.pk, "fiscal_year": 2569, "level": "office", "code": "X9", "name": "กลยุทธ์แทรก"},
        OfficeHoliday: {"office": b.pk, "date": "01/12/2569", "name": "วันหยุดแทรก"},
        ReportingRule: {"office": b.pk, "fiscal_year": 2570, "due_working_days": 10},
    }
    for model, data in posts.items():
        response = client.post(_url(model, "add"), data)
        assert response.status_code in (200, 403), model
        if response.status_code == 200:  # the form again: refused on its office field (a choice outside one's offices)
            errors = response.context["adminform"].form.errors
            assert "office" in errors, (model, errors)
    assert _fingerprint() == before
    # The same posts for office A are accepted (so the refusal above is for the office, not the data).
    ok = client.post(_url(Strategy, "add"), {"office": world.office_a.pk, "fiscal_year": 2569, "level": "office", "code": "X9", "name": "กลยุทธ์"})
    assert ok.status_code == 302 and Strategy.objects.filter(code="X9", office=world.office_a).exists()


@pytest.mark.parametrize("role", ROLES)
def test_shared_strategies_are_read_only_to_office_staff(client, world, role):
    client.force_login(world.users[role])
    change = _url(Strategy, "change", world.obec.pk)
    page = client.get(change)
    assert page.status_code == 200 and 'name="name"' not in page.content.decode()  # shown, not editable
    response = client.post(change, {"fiscal_year": 2569, "level": "obec", "code": "P1", "name": "แก้นโยบาย"})
    assert response.status_code == 403
    world.obec.refresh_from_db()
    assert world.obec.name == "นโยบาย สพฐ."
    # Adding a shared row (no office) is refused with a Thai message.
    added = client.post(_url(Strategy, "add"), {"fiscal_year": 2569, "level": "obec", "code": "P9", "name": "นโยบายใหม่"})
    assert added.status_code == 200 and not Strategy.objects.filter(code="P9").exists()
    office_field = client.get(_url(Strategy, "add")).context["adminform"].form.fields["office"]
    assert list(office_field.queryset) == [world.office_a] and office_field.required


def test_a_superuser_changes_shared_strategies(client, world):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(root)
    response = client.post(_url(Strategy, "change", world.obec.pk), {"fiscal_year": 2569, "level": "obec", "code": "P1", "name": "แก้นโยบาย", "parent": world.national.pk})
    assert response.status_code == 302
    world.obec.refresh_from_db()
    assert world.obec.name == "แก้นโยบาย"


def test_project_also_serves_lists_own_and_shared_strategies_only(client, world):
    client.force_login(world.users["plan_officer"])
    page = client.get(_url(Project, "change", world.a["project"].pk))
    served = set(page.context["adminform"].form.fields["strategies"].queryset)
    assert world.b["strategy"] not in served and world.b["strategy2"] not in served
    assert {world.a["strategy2"], world.obec, world.national} <= served


@pytest.mark.parametrize("role", ROLES)
def test_office_identity_is_for_superusers(client, world, role):
    client.force_login(world.users[role])
    office = world.office_a
    change = _url(Office, "change", office.pk)
    page = client.get(change)
    form = page.context["adminform"].form
    assert not {"area_code", "name", "type"} & set(form.fields)
    assert {"address", "phone", "director_name"} <= set(form.fields)
    data = _post_data(page.context)
    data.update(area_code="9999", name="เขตใหม่", type="secondary", phone="0-5451-1234")
    assert client.post(change, data).status_code == 302
    office.refresh_from_db()
    assert (office.area_code, office.name, office.type, office.phone) == ("9901", "สพป.ทดสอบ เขต 1", "primary", "0-5451-1234")
    before = Office.objects.count()
    client.post(_url(Office, "add"), {"area_code": "9903", "name": "เขตแทรก", "type": "primary"})
    assert Office.objects.count() == before


# --- The approved-plan lock (item 2) ---------------------------------------------------------------


@pytest.fixture
def approved(world):
    plan = world.a["plan"]
    plan_services.submit_plan(plan, by=world.users["plan_officer"])
    return plan_services.approve_plan(plan, by=world.users["director"])


def test_a_project_cannot_be_added_to_an_approved_plan_in_the_admin(client, world, approved):
    client.force_login(world.users["plan_officer"])
    page = client.get(_url(Project, "add"))
    data = _post_data(page.context, inlines=False)
    data.update(
        office=world.office_a.pk, fiscal_year=2569, code="69-new", name="โครงการแทรก", strategy=world.a["strategy"].pk,
        division=world.a["division"].pk, budget="1000",
    )
    response = client.post(_url(Project, "add"), data)
    assert response.status_code == 200
    assert not Project.objects.filter(code="69-new").exists()
    assert "แก้ไขไม่ได้" in response.content.decode() or "อนุมัติ" in response.content.decode()
    # The same project for a year without an approved plan is accepted.
    data.update(fiscal_year=2570, strategy=Strategy.objects.create(office=world.office_a, fiscal_year=2570, level="office", code="S1", name="x").pk)
    response = client.post(_url(Project, "add"), data)
    assert response.status_code == 302, (response.context["adminform"].form.errors, [f.errors for i in response.context["inline_admin_formsets"] for f in i.formset.forms], [i.formset.non_form_errors() for i in response.context["inline_admin_formsets"]])


def test_an_indicator_target_of_an_approved_plan_cannot_change_in_the_admin(client, world, approved):
    client.force_login(world.users["plan_officer"])
    indicator = world.a["indicator"]
    change = _url(Indicator, "change", indicator.pk)
    page = client.get(change)
    assert 'name="target"' not in page.content.decode()
    client.post(change, {"project": indicator.project_id, "name": indicator.name, "unit": indicator.unit, "target": "10", "direction": "gte", "frequency": "quarterly"})
    indicator.refresh_from_db()
    assert indicator.target == Decimal("80")
    # Nor can an indicator be added to a project of the approved plan.
    before = Indicator.objects.count()
    response = client.post(_url(Indicator, "add"), {"project": indicator.project_id, "name": "ใหม่", "unit": "คน", "target": "5", "direction": "gte", "frequency": "quarterly"})
    assert response.status_code == 200 and Indicator.objects.count() == before


APPROVED_PLAN_IS_LOCKED = "แผนปีงบประมาณ 2569 มีสถานะ อนุมัติแล้ว จึงแก้ไขไม่ได้ กรุณาขอปรับแผนก่อน"


def test_inline_rows_cannot_be_added_to_a_project_of_an_approved_plan(client, world, approved):
    """Budget lines, activities and indicators: model validation refuses them whatever form sends them."""
    from django.core.exceptions import ValidationError

    project = world.a["project"]
    for obj in (
        BudgetLine(project=project, source="area", amount=Decimal("10"), q1=Decimal("10")),
        Activity(project=project, order=9, name="ใหม่", months=[1], budget=Decimal("1")),
        Indicator(project=project, name="ใหม่", unit="คน", target=Decimal("1")),
        Project(office=world.office_a, fiscal_year=2569, code="69-z", name="z", strategy=world.a["strategy"], division=world.a["division"], budget=Decimal("1")),
    ):
        with pytest.raises(ValidationError, match=APPROVED_PLAN_IS_LOCKED):
            obj.full_clean()
        with pytest.raises(ValidationError, match=APPROVED_PLAN_IS_LOCKED):
            plan_services.require_editable_for(obj)


def test_an_office_where_one_only_views_is_not_written_to_and_the_message_is_thai(client, world):
    """The director of A who is also a viewer of office C reads C's rows but adds nothing there."""
    office_c = OfficeFactory(area_code="9903", name="สพป.ทดสอบ เขต 3")
    director = world.users["director"]
    MembershipFactory(user=director, office=office_c, role=Role.VIEWER)
    client.force_login(director)
    response = client.post(_url(OfficeHoliday, "add"), {"office": office_c.pk, "date": "01/12/2569", "name": "วันหยุดแทรก"})
    assert response.status_code == 200 and not OfficeHoliday.objects.filter(name="วันหยุดแทรก").exists()
    assert "ต้องเป็นข้อมูลของสำนักงานเขตพื้นที่ของท่านเท่านั้น" in response.content.decode()
    ok = client.post(_url(OfficeHoliday, "add"), {"office": world.office_a.pk, "date": "01/12/2569", "name": "วันหยุดเขต ก"})
    assert ok.status_code == 302 and OfficeHoliday.objects.filter(name="วันหยุดเขต ก", office=world.office_a).exists()


def test_rows_of_an_approved_plan_cannot_be_deleted_in_the_admin(client, world, approved):
    """Even a superuser deletes no project or indicator of an approved plan (one by one or in bulk)."""
    from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    project, indicator = world.a["project"], world.a["indicator"]
    for obj in (indicator, project):
        response = client.post(_url(type(obj), "delete", obj.pk), {"post": "yes"})
        assert response.status_code == 403, type(obj)
        client.post(_url(type(obj), "changelist"), {"action": "delete_selected", ACTION_CHECKBOX_NAME: [obj.pk], "post": "yes"})
        assert type(obj).objects.filter(pk=obj.pk).exists(), type(obj)


@pytest.mark.parametrize("role", ROLES)
def test_value_filters_through_relations_offer_only_the_offices_own_values(client, world, role):
    """A list filter on a value through a relation (the report's fiscal year, the round's year) listed every
    office's values: office B's years must not appear in office A's admin."""
    project_b = ProjectFactory(office=world.office_b, fiscal_year=2571, code="71-b", strategy=world.b["strategy"], division=world.b["division"])
    QuarterlyReportFactory(project=project_b)
    InspectionRound.objects.create(office=world.office_b, fiscal_year=2572, number=1, title="ตรวจ b 2572")
    client.force_login(world.users[role])
    reports = client.get(reverse("admin:plans_quarterlyreport_changelist")).content.decode()
    assert "project__fiscal_year=2569" in reports  # office A's own year is offered
    assert "project__fiscal_year=2571" not in reports
    recommendations = client.get(reverse("admin:inspections_recommendation_changelist")).content.decode()
    assert "round__fiscal_year=2570" in recommendations
    assert "round__fiscal_year=2572" not in recommendations
