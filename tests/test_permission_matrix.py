"""The permission matrix: EVERY URL of EMES, requested by every role, answers the expected status.

The cast: office A's director, plan officer, division head, project owner, supervisor, viewer
and a school account (school A1); a project owner of another project and the head of another
division of office A (an owner or head reaches only their own project's or division's work);
outsiders: the plan officer of office B, a school account of office B, and another school of
office A (a school never sees another school's data); plus an anonymous visitor. Every URL
pattern of the project (the admin's included) must appear in ``MATRIX`` or be covered by the
admin rule: adding a URL without deciding who may reach it fails
``test_every_url_is_in_the_matrix``. ``MATRIX_POSTS`` adds the POST of pages whose form posts
back to them. The world is built once per module (see ``world``).

Statuses: 200 shown; 302 redirected (to the login page for anonymous, or after a successful
POST); 403 a member lacking the role; 404 outside the user's office or school (its existence
is not revealed); 405 a method the URL refuses.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from emes.documents.models import DocumentJob
from emes.models import Role
from emes.services import ensure_office_admin_group
from reports.models import ReportJob
from tests.factories import (
    DivisionFactory,
    MembershipFactory,
    OfficeFactory,
    ProjectFactory,
    QuarterlyReportFactory,
    SchoolFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

STAFF = ["director", "plan_officer", "division_head", "project_owner", "supervisor", "viewer", "other_owner", "other_head"]
OUTSIDERS = ["outsider_office", "outsider_school", "other_school"]
ROLES = ["anonymous", *STAFF, "school", *OUTSIDERS]


@dataclasses.dataclass
class World:
    """The objects every request of the matrix may point at (office A's, unless named B)."""

    office_a: Any
    office_b: Any
    school_a1: Any
    school_a2: Any
    school_b1: Any
    project: Any
    report: Any
    job: Any
    users: dict[str, Any]
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)


def _build_world() -> World:
    """Offices A and B, their schools, the cast, a project with a submitted Q1 report, a finished annual report."""
    office_a = OfficeFactory(area_code="9901", name="สพป.ทดสอบ เขต 1")
    office_b = OfficeFactory(area_code="9902", name="สพป.ทดสอบ เขต 2")
    division = DivisionFactory(office=office_a)
    school_a1 = SchoolFactory(office=office_a, smis_code="99010001")
    school_a2 = SchoolFactory(office=office_a, smis_code="99010002")
    school_b1 = SchoolFactory(office=office_b, smis_code="99020001")
    users: dict[str, Any] = {"anonymous": None}

    def member(key, office, role, **extra):
        user = UserFactory(username=key)
        MembershipFactory(user=user, office=office, role=role, **extra)
        users[key] = user
        return user

    director = member("director", office_a, Role.DIRECTOR)
    director.is_staff = True  # the director works in the admin (docs/roles-and-access.md)
    director.save(update_fields=["is_staff"])
    director.groups.add(ensure_office_admin_group())
    member("plan_officer", office_a, Role.PLAN_OFFICER)
    member("division_head", office_a, Role.DIVISION_HEAD, division=division)
    owner = member("project_owner", office_a, Role.PROJECT_OWNER)
    other_owner = member("other_owner", office_a, Role.PROJECT_OWNER)
    member("other_head", office_a, Role.DIVISION_HEAD, division=DivisionFactory(office=office_a))
    member("supervisor", office_a, Role.SUPERVISOR)
    member("viewer", office_a, Role.VIEWER)
    member("school", office_a, Role.SCHOOL, school=school_a1)
    member("outsider_office", office_b, Role.PLAN_OFFICER)
    member("outsider_school", office_b, Role.SCHOOL, school=school_b1)
    member("other_school", office_a, Role.SCHOOL, school=school_a2)

    project = ProjectFactory(office=office_a, division=division, owner=owner)
    ProjectFactory(office=office_a, division=division, owner=other_owner)  # the other owner's own project
    report = QuarterlyReportFactory(project=project, quarter=1, status="submitted")
    job = ReportJob.objects.create(office=office_a, fiscal_year=2569, status=ReportJob.Status.DONE, progress=100)
    job.file.save("annual.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    w = World(office_a, office_b, school_a1, school_a2, school_b1, project, report, job, users)
    # A finished document build of office A (emes.documents, issue 18): its status and file.
    document = DocumentJob.objects.create(office=office_a, kind="literacy.summary", target_id=1, status=DocumentJob.Status.DONE, progress=100)
    document.file.save("summary.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    w.extra["document_job"] = document
    for hook in WORLD_HOOKS:
        hook(w)
    return w


@pytest.fixture(scope="module")
def world_storage(tmp_path_factory):
    """One folder for the files of the module's world (the conftest's per-test folder would lose them)."""
    return tmp_path_factory.mktemp("matrix-private")


def _storage_settings(root) -> dict:
    location = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(root)}}
    return {"PRIVATE_STORAGE_ROOT": root, "STORAGES": {**settings.STORAGES, "default": location}}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, world_storage) -> World:
    """The world, built ONCE per module in a transaction rolled back after the module's last test.

    Each test still runs in its own savepoint (pytest-django's ``db``, as Django's ``TestCase`` nests each
    test in the class transaction of ``setUpTestData``), so what a request changes is undone before the next
    test. pytest-django leaves room for such a higher-scoped transaction (its ``_django_db_helper`` skips
    ``TestCase.setUpClass`` for that reason; the recipe: pytest-dev/pytest-django#1145). Tests must not
    change the world's Python objects, only request the URLs they point at.
    """
    md5 = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=md5, **_storage_settings(world_storage)):
        with transaction.atomic():
            yield _build_world()
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _private_storage(settings, world_storage):
    """Overrides the conftest's per-test folder: every test of the module reads the world's files."""
    for key, value in _storage_settings(world_storage).items():
        setattr(settings, key, value)


def _school_account_batch(world: World) -> None:
    from emes.models import SchoolAccountBatch

    batch = SchoolAccountBatch.objects.create(office=world.office_a, accounts=1)
    batch.pdf.save("accounts.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    batch.xlsx.save("accounts.xlsx", ContentFile(b"PK test"), save=True)
    world.extra["batch"] = batch
    world.extra["viewer_membership"] = world.users["viewer"].memberships.get()


def _school_import(world: World) -> None:
    from emes.registry import services

    upload = ContentFile("รหัสโรงเรียน,ชื่อโรงเรียน\n99010001,บ้านทดสอบ\n".encode(), name="schools.csv")
    world.extra["school_import"] = services.upload_school_file(world.office_a, upload, by=None, academic_year=2569)


def _action_plan(world: World) -> None:
    """Office A's plan: v1 approved then superseded (readable from its snapshot), v2 a draft."""
    from plans.models import ActionPlan
    from plans.services import plan_snapshot

    ActionPlan.objects.create(
        office=world.office_a, fiscal_year=2569, version=1, status=ActionPlan.Status.SUPERSEDED, snapshot=plan_snapshot(world.office_a, 2569)
    )
    ActionPlan.objects.create(office=world.office_a, fiscal_year=2569, version=2, status=ActionPlan.Status.DRAFT, amendment_reason="matrix")


def _plan_import(world: World) -> None:
    """A previewed workbook upload of office A's draft plan (its own export: no change)."""
    from plans.workbook import services as workbook

    data = workbook.export_plan_workbook(world.office_a, 2569)
    upload = ContentFile(data, name="plan.xlsx")
    world.extra["plan_import"] = workbook.upload_plan_workbook(world.office_a, 2569, upload, by=world.users["plan_officer"])


def _draft_report(world: World) -> None:
    """A draft Q2 report of the owner's project with one evidence file the owner uploaded."""
    from plans.models import Evidence

    draft = QuarterlyReportFactory(project=world.project, quarter=2, status="draft")
    evidence = Evidence(report=draft, original_name="หลักฐาน.pdf", content_type="application/pdf", size=13, uploaded_by=world.users["project_owner"])
    evidence.file.save("evidence.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    world.extra.update(draft_report=draft, evidence=evidence)


def draft_report(world: World) -> list:
    return [world.office_a.area_code, world.project.pk, 2]


def evidence(world: World) -> list:
    return [world.office_a.area_code, world.extra["evidence"].pk]


def _literacy_round(world: World) -> None:
    """An open literacy round of office A (the window open now) and of office B."""
    import datetime as dt

    from django.utils import timezone

    from literacy.models import LiteracyRound

    now = timezone.now()
    for key, office in (("literacy_round", world.office_a), ("literacy_round_b", world.office_b)):
        world.extra[key] = LiteracyRound.objects.create(
            office=office, academic_year=2569, number=1, grades=["p1", "p2", "p3"], status="open",
            opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=14),
        )


def literacy_round(world: World) -> list:
    return [world.office_a.area_code, world.extra["literacy_round"].pk]


def school_round(world: World) -> list:
    return [world.school_a1.smis_code, world.extra["literacy_round"].pk]


def school_page(ok: int = 200, *, staff: int = 200, planner: int | None = None) -> dict[str, int]:
    """A school's page: its own account gets ``ok``, office staff ``staff`` (the plan officer ``planner``), other schools 404."""
    table = expect(404)
    for role in STAFF:
        table[role] = staff
    table["plan_officer"] = staff if planner is None else planner
    table["school"] = ok
    return table


def _outgoing_letter(world: World) -> None:
    """A registered letter of office A (with its PDF) and a notification to office A's plan officer."""
    import datetime as dt

    from emes.notifications.services import notify
    from reports.letters.models import OutgoingLetter

    letter = OutgoingLetter.objects.create(
        office=world.office_a, year=2569, number=1, kind="external", date=dt.date(2026, 11, 20), subject="matrix", recipient="x"
    )
    letter.file.save("letter.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    world.extra.update(letter=letter, notification=notify(world.users["plan_officer"], title="matrix", url="/"))


def _annual_report(world: World) -> None:
    """Office A's annual report of FY 2569: v1 published with its frozen PDF, v2 a draft (issue 15)."""
    from reports.models import AnnualReport

    v1 = AnnualReport.objects.create(office=world.office_a, fiscal_year=2569, version=1, status=AnnualReport.Status.PUBLISHED)
    v1.file.save("annual-v1.pdf", ContentFile(b"%PDF-1.7 frozen"), save=True)
    v2 = AnnualReport.objects.create(office=world.office_a, fiscal_year=2569, version=2, status=AnnualReport.Status.DRAFT)
    world.extra.update(annual_v1=v1, annual_v2=v2)


def annual_version(version: int) -> Callable[[World], list]:
    return lambda world: [world.office_a.area_code, 2569, version]


def public_page(ok: int = 200) -> dict[str, int]:
    """A page of the office's public site: everyone, signed in or not, gets ``ok``."""
    return expect(ok, anonymous=ok)


def _calendar(world: World) -> None:
    """A hand-made calendar event of office A, and the plan officer's feed."""
    import datetime as dt

    from emes.models import CalendarEvent, CalendarFeed

    world.extra["event"] = CalendarEvent.objects.create(
        office=world.office_a, fiscal_year=2570, title="matrix", starts_on=dt.date(2026, 11, 2), ends_on=dt.date(2026, 11, 2)
    )
    world.extra["feed"] = CalendarFeed.objects.create(user=world.users["plan_officer"])
    from emes.calendar.models import CalendarBuild

    world.extra["calendar_build"] = CalendarBuild.objects.create(office=world.office_a, fiscal_year=2570)
    import datetime as dt

    from reports.models import SweepRun

    world.extra["send_run"] = SweepRun.objects.create(office=world.office_a, for_date=dt.date(2026, 11, 2), trigger="manual", status=SweepRun.Status.OK)


def calendar_page(ok: int = 200, *, allowed: tuple[str, ...] = tuple(STAFF)) -> dict[str, int]:
    """A page of the office calendar: schools of the office are refused (403), outsiders not found."""
    table = office_page(ok, allowed=allowed)
    table.update(school=403, other_school=403)
    return table


def _inspection_round(world: World) -> None:
    """Office A's open inspection round: one issue of the world's division, forms sent to school A1 and to the
    division, school A1's evidence file, a recommendation to the division with a follow-up file."""
    import datetime as dt

    from inspections import services

    planner, school_user = world.users["plan_officer"], world.users["school"]
    division = world.project.division
    r = services.create_round(world.office_a, by=planner, fiscal_year=2570, number=1, today=dt.date(2026, 11, 1), data={
        "kind": "regular", "title": "matrix", "coordination_meeting_on": dt.date(2026, 12, 15),
        "visit_starts_on": dt.date(2027, 2, 22), "visit_ends_on": dt.date(2027, 2, 24),
    }, confirm=True)
    issue = services.add_issue(r, by=planner, code="1", title="matrix", divisions=[division])
    indicator = services.add_indicator(issue, by=planner, text="matrix", unit="ร้อยละ", target="100")
    services.build_form(r, by=planner)
    dispatches = services.dispatch_forms(r, by=planner, divisions=[division], schools=[world.school_a1])
    school_dispatch = next(d for d in dispatches if d.school_id)
    evidence = services.add_answer_evidence(school_dispatch, ContentFile(b"%PDF-1.4 test", name="e.pdf"), by=school_user)
    rec = services.add_recommendation(r, by=planner, text="matrix", issue=issue, divisions=[division])
    follow_up = services.add_follow_up(rec, by=planner, text="matrix", file=ContentFile(b"%PDF-1.4 test", name="f.pdf"))
    world.extra.update(
        inspection_round=r, inspection_issue=issue, inspection_indicator=indicator, school_dispatch=school_dispatch,
        division_dispatch=next(d for d in dispatches if d.division_id), answer_evidence=evidence, recommendation=rec, follow_up=follow_up,
    )


def inspection(*keys: str) -> Callable[[World], list]:
    """Arguments of an office-side inspection URL: area code, the round's pk, then the pks of ``keys``."""
    return lambda w: [w.office_a.area_code, w.extra["inspection_round"].pk, *(w.extra[k].pk for k in keys)]


INSPECTION_MANAGERS = ("plan_officer", "supervisor")


def unit_form(ok: int, *, division: int | None = None) -> dict[str, int]:
    """A unit's form: the unit answers (``ok``); ``division`` for the division head when the form is the division's."""
    table = expect(404)
    table["school"] = ok
    if division is not None:
        table["division_head"] = division
    return table


def _evaluation(world: World) -> None:
    """Office A's satisfaction form (the plan officer's) applied to the world's project, open now, asked of school
    A1's account, with one public answer."""
    import datetime as dt

    from django.utils import timezone

    from evaluation import services as evaluation_services

    planner = world.users["plan_officer"]
    form = evaluation_services.create_form(world.office_a, by=planner, title="", standard="satisfaction")
    today = timezone.localdate()
    ev = evaluation_services.create_evaluation(
        world.office_a, by=planner, form=form, title="matrix", target=world.project, schools=[world.school_a1],
        opens_on=today - dt.timedelta(days=1), closes_on=today + dt.timedelta(days=7),
    )
    evaluation_services.open_evaluation(ev, by=planner)
    items = evaluation_services.form_items(form)
    evaluation_services.submit_answers(ev, {f"item-{i.pk}": "4" for i in items if i.kind == "rating"}, items=items)
    from evaluation.models import EvaluationReport

    job = EvaluationReport.objects.create(evaluation=ev, status=EvaluationReport.Status.DONE, progress=100)
    job.file.save("evaluation.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    world.extra.update(evaluation=ev, evaluation_form=form, evaluation_item=items[1], evaluation_report=job)


def evaluation_args(*keys: str) -> Callable[[World], list]:
    """Arguments of an office-side evaluation URL: the area code, then the pks of ``keys``."""
    return lambda w: [w.office_a.area_code, *(w.extra[k].pk for k in keys)]


EVALUATION_BUILDERS = ("plan_officer", "project_owner", "other_owner")  # any project owner builds forms (evaluation.access)


#: Functions that add objects to the world (``hook(world)``): the pages of each app point at them.
WORLD_HOOKS: list[Callable[[World], None]] = [
    _school_account_batch, _school_import, _action_plan, _plan_import, _draft_report, _literacy_round,
    _outgoing_letter, _calendar, _annual_report, _inspection_round, _evaluation,
]


@dataclasses.dataclass(frozen=True)
class Case:
    """How to request one URL name and what each role must get."""

    args: Callable[[World], list]
    expect: dict[str, int]
    method: str = "get"
    data: Callable[[World], dict] | None = None


def expect(default: int, **overrides: int) -> dict[str, int]:
    """Every role gets ``default`` unless named; anonymous gets the login redirect unless named."""
    table = {role: default for role in ROLES}
    table["anonymous"] = 302
    table.update(overrides)
    return table


def office_page(ok: int = 200, *, allowed: tuple[str, ...] = tuple(STAFF)) -> dict[str, int]:
    """An office page: ``allowed`` roles get ``ok``, other staff 403, schools and outsiders 404."""
    table = expect(404)
    for role in STAFF:
        table[role] = ok if role in allowed else 403
    return table


def no_args(world: World) -> list:
    return []


def office_fy(world: World) -> list:
    return [world.office_a.area_code, 2569]


def job_pk(world: World) -> list:
    return [world.job.pk]


def office(world: World) -> list:
    return [world.office_a.area_code]


def office_extra(key: str) -> Callable[[World], list]:
    return lambda world: [world.office_a.area_code, world.extra[key].pk]


OFFICE_DOCS = ("director", "plan_officer")
REGISTRY = ("plan_officer",)
REGISTRY_READERS = ("director", "plan_officer")
LOGGED_IN_OK = expect(200)

MATRIX: dict[str, Case] = {
    # Kernel and authentication (Django's auth views, Thai templates).
    "home": Case(no_args, LOGGED_IN_OK),
    "login": Case(no_args, expect(302, anonymous=200)),  # signed-in people are sent home
    "logout": Case(no_args, expect(405, anonymous=405)),  # logging out is a POST
    "password_change": Case(no_args, LOGGED_IN_OK),
    "password_change_done": Case(no_args, LOGGED_IN_OK),
    "password_reset": Case(no_args, expect(200, anonymous=200)),
    "password_reset_done": Case(no_args, expect(200, anonymous=200)),
    "password_reset_confirm": Case(lambda w: ["MQ", "set-password"], expect(200, anonymous=200)),
    "password_reset_complete": Case(no_args, expect(200, anonymous=200)),
    "set_language": Case(no_args, expect(302, anonymous=302), method="post", data=lambda w: {"language": "en", "next": "/"}),
    # People and school accounts (plan officer; the director reads).
    "people:people": Case(office, office_page(allowed=REGISTRY_READERS)),
    "people:add-membership": Case(office, office_page(200, allowed=REGISTRY), method="post"),  # empty form: errors shown
    "people:add-person": Case(office, office_page(allowed=REGISTRY)),
    "people:remove-membership": Case(office_extra("viewer_membership"), office_page(302, allowed=REGISTRY), method="post"),
    "people:school-accounts": Case(office, office_page(allowed=REGISTRY_READERS)),
    "people:generate-school-accounts": Case(office, office_page(302, allowed=REGISTRY), method="post"),
    "people:school-accounts-pdf": Case(office_extra("batch"), office_page(allowed=REGISTRY_READERS)),
    "people:school-accounts-xlsx": Case(office_extra("batch"), office_page(allowed=REGISTRY_READERS)),
    "people:reset-school-password": Case(
        lambda w: [w.office_a.area_code, w.school_a1.smis_code], office_page(302, allowed=REGISTRY), method="post"
    ),
    # The school registry of the office (every staff member reads it; the plan officer imports).
    "registry:school-list": Case(office, office_page()),
    "registry:school-import-upload": Case(office, office_page(allowed=REGISTRY)),
    "registry:school-import-preview": Case(office_extra("school_import"), office_page(allowed=REGISTRY)),
    # The action plan (every staff member reads; the plan officer prepares, owners edit their own project).
    "plans:plan": Case(office_fy, office_page()),
    "plans:plan-version": Case(lambda w: [w.office_a.area_code, 2569, 1], office_page()),
    "plans:plan-transition": Case(office_fy, office_page(302, allowed=REGISTRY), method="post", data=lambda w: {"action": "submit"}),
    "plans:indicators": Case(office_fy, office_page()),
    "plans:plan-direction": Case(office_fy, office_page(allowed=REGISTRY)),
    "plans:strategy-results": Case(office_fy, office_page(allowed=REGISTRY)),
    "plans:project": Case(lambda w: [w.office_a.area_code, w.project.pk], office_page()),
    # The evaluation of the plan (issue 16): every staff member reads; the plan officer confirms the judgements.
    "plans:plan-evaluation": Case(office_fy, office_page()),
    "plans:plan-evaluation-pdf": Case(office_fy, office_page()),
    "plans:plan-evaluation-judge": Case(office_fy, office_page(302, allowed=REGISTRY), method="post",
                                        data=lambda w: {"project": w.project.pk, "judgement": "unknown"}),
    "plans:project-edit": Case(lambda w: [w.office_a.area_code, w.project.pk], office_page(allowed=("plan_officer", "project_owner"))),
    # The plan workbook: every staff member downloads; the plan officer imports.
    "plans:plan-template": Case(office_fy, office_page()),
    "plans:plan-export": Case(office_fy, office_page()),
    "plans:plan-import": Case(office_fy, office_page(allowed=REGISTRY)),
    "plans:plan-import-preview": Case(
        lambda w: [w.office_a.area_code, 2569, w.extra["plan_import"].pk], office_page(allowed=REGISTRY)
    ),
    # Quarterly reports: staff read; the owner files (the plan officer may help); reviewers use the inbox.
    "plans:report": Case(draft_report, office_page()),
    "plans:report-edit": Case(draft_report, office_page(allowed=("plan_officer", "project_owner"))),
    "plans:report-transition": Case(draft_report, office_page(302, allowed=("project_owner",)), method="post", data=lambda w: {"action": "submit"}),
    "plans:evidence-upload": Case(draft_report, office_page(302, allowed=("plan_officer", "project_owner")), method="post"),
    "plans:evidence-download": Case(evidence, office_page()),
    "plans:evidence-delete": Case(evidence, office_page(302, allowed=("plan_officer", "project_owner")), method="post"),
    "plans:review-inbox": Case(office, office_page(allowed=("division_head", "other_head", "director", "plan_officer"))),
    # Follow-up of the quarterly reports: every staff member of the office reads.
    "plans:completeness": Case(office_fy, office_page()),
    "plans:disbursement": Case(office_fy, office_page()),
    "plans:indicator-tracking": Case(office_fy, office_page()),
    "plans:quarter-export": Case(lambda w: [w.office_a.area_code, 2569, 1], office_page()),
    # Literacy: the office runs rounds (plan officer acts); each school enters its own results.
    "literacy:rounds": Case(office, office_page()),
    "literacy:round-create": Case(office, office_page(400, allowed=REGISTRY), method="post"),
    "literacy:round": Case(literacy_round, office_page()),
    "literacy:round-action": Case(literacy_round, office_page(302, allowed=REGISTRY), method="post", data=lambda w: {"action": "close", "confirm": "yes"}),
    "literacy:summary": Case(literacy_round, office_page()),
    "literacy:summary-pdf": Case(literacy_round, office_page(302), method="post"),  # queues a build (emes.documents)
    "literacy:summary-xlsx": Case(literacy_round, office_page(302), method="post"),  # queues a build (emes.documents)
    "literacy:school-round": Case(school_round, school_page()),
    # Entering results: the school itself, or the plan officer on its behalf; other staff read only.
    "literacy:school-form": Case(school_round, school_page(staff=403, planner=200)),
    "literacy:school-template": Case(school_round, school_page(staff=403, planner=200)),
    "literacy:school-upload": Case(school_round, school_page(staff=403, planner=200)),
    "literacy:school-upload-preview": Case(lambda w: [*school_round(w), "no-such-token"], school_page(302, staff=403, planner=302)),
    # Documents.
    "reports:annual-report": Case(office_fy, office_page()),
    "reports:build-annual-report": Case(office_fy, office_page(302, allowed=OFFICE_DOCS), method="post"),
    # The annual report's life (issue 15): the plan officer writes and moves it, the director decides (a
    # submit by anyone else is forbidden; the plan officer's submit of an empty draft is refused with a message).
    "reports:request-annual-report": Case(office_fy, office_page(302, allowed=REGISTRY), method="post"),
    "reports:annual-report-edit": Case(annual_version(2), office_page(allowed=REGISTRY)),
    "reports:annual-report-transition": Case(annual_version(2), office_page(302, allowed=REGISTRY), method="post", data=lambda w: {"action": "submit"}),
    "reports:annual-report-pdf": Case(annual_version(1), office_page()),
    # The office's public page: published reports only, for anyone without login.
    "public:office": Case(office, public_page()),
    "public:annual-report-pdf": Case(lambda w: [w.office_a.area_code, w.extra["annual_v1"].pk], public_page()),
    "reports:job-status": Case(job_pk, office_page()),
    "reports:job-download": Case(job_pk, office_page()),
    # Document builds of the apps (emes.documents): every staff member of the job's office, no one else.
    "documents:status": Case(office_extra("document_job"), office_page()),
    "documents:download": Case(office_extra("document_job"), office_page()),
    # The outgoing-letter register: the M&E unit's plan officer and the director who signs.
    "letters:register": Case(office, office_page(allowed=OFFICE_DOCS)),
    "letters:register-xlsx": Case(office, office_page(allowed=OFFICE_DOCS)),
    "letters:sample": Case(lambda w: [w.office_a.area_code, "external"], office_page(allowed=OFFICE_DOCS)),
    "letters:download": Case(lambda w: [w.extra["letter"].pk], office_page(allowed=OFFICE_DOCS)),
    # The monitoring calendar: the office's staff read; the plan officer keeps it. The .ics feed opens by its token.
    "calendar:month": Case(office, calendar_page()),
    "calendar:list": Case(office, calendar_page()),
    "calendar:gantt": Case(office, calendar_page()),
    "calendar:event-add": Case(office, calendar_page(allowed=REGISTRY)),
    "calendar:event-edit": Case(office_extra("event"), calendar_page(allowed=REGISTRY)),
    "calendar:generate": Case(office, calendar_page(302, allowed=REGISTRY), method="post", data=lambda w: {"fy": "2570"}),
    "calendar:build-status": Case(lambda w: [w.office_a.area_code, w.extra["calendar_build"].pk], calendar_page()),
    "calendar:event-cancel": Case(office_extra("event"), calendar_page(302, allowed=REGISTRY), method="post"),
    "calendar:feed": Case(lambda w: [w.extra["feed"].token], expect(200, anonymous=200)),
    "calendar:feed-info": Case(no_args, LOGGED_IN_OK),
    "calendar:feed-reset": Case(no_args, expect(302), method="post"),
    # Reminders: the plan officer holds and sends; the director reads the day's list and the letters.
    "reminders:today": Case(office, office_page(allowed=OFFICE_DOCS)),
    "reminders:preview-letter": Case(office, office_page(302, allowed=OFFICE_DOCS)),  # nothing named: back to the list
    "reminders:print": Case(office, office_page(302, allowed=OFFICE_DOCS)),  # no letter to a school yet: back to the list
    "reminders:hold": Case(office, office_page(302, allowed=REGISTRY), method="post"),
    "reminders:release": Case(office, office_page(302, allowed=REGISTRY), method="post"),
    "reminders:retry": Case(office, office_page(302, allowed=REGISTRY), method="post"),
    "reminders:send": Case(office, office_page(302, allowed=REGISTRY), method="post", data=lambda w: {"confirm": "yes"}),
    "reminders:run": Case(office_extra("send_run"), office_page(allowed=OFFICE_DOCS)),  # a "send now" job's page
    "reminders:run-status": Case(office_extra("send_run"), office_page(allowed=OFFICE_DOCS)),
    # Inspection rounds: every staff member reads; the plan officer and the supervisors run them; a school sees
    # only the forms sent to it. Units answer on their own pages.
    "inspections:rounds": Case(office, office_page()),
    "inspections:round-create": Case(office, office_page(400, allowed=INSPECTION_MANAGERS), method="post"),
    "inspections:office-recommendations": Case(office, office_page()),
    "inspections:recommendation": Case(office_extra("recommendation"), office_page()),
    "inspections:round": Case(inspection(), office_page()),
    "inspections:round-edit": Case(inspection(), office_page(allowed=INSPECTION_MANAGERS)),
    "inspections:round-action": Case(inspection(), office_page(400, allowed=INSPECTION_MANAGERS), method="post"),  # empty form: errors
    "inspections:issues": Case(inspection(), office_page()),
    "inspections:issue-add": Case(inspection(), office_page(400, allowed=INSPECTION_MANAGERS), method="post"),
    "inspections:issue-delete": Case(inspection("inspection_issue"), office_page(302, allowed=INSPECTION_MANAGERS), method="post"),
    "inspections:indicator-add": Case(inspection("inspection_issue"), office_page(400, allowed=INSPECTION_MANAGERS), method="post"),
    "inspections:indicator-delete": Case(inspection("inspection_indicator"), office_page(302, allowed=INSPECTION_MANAGERS), method="post"),
    "inspections:issue-edit": Case(inspection("inspection_issue"), office_page(allowed=INSPECTION_MANAGERS)),
    "inspections:indicator-edit": Case(inspection("inspection_indicator"), office_page(allowed=INSPECTION_MANAGERS)),
    "inspections:issues-copy": Case(inspection(), office_page(400, allowed=INSPECTION_MANAGERS), method="post"),  # empty form: errors
    "inspections:issues-template": Case(inspection(), office_page(allowed=INSPECTION_MANAGERS)),
    "inspections:issues-import": Case(inspection(), office_page(400, allowed=INSPECTION_MANAGERS), method="post"),  # empty form: errors
    "inspections:form": Case(inspection(), office_page()),
    "inspections:dispatch": Case(inspection(), office_page(allowed=INSPECTION_MANAGERS)),
    "inspections:response": Case(inspection("school_dispatch"), office_page()),
    "inspections:recommendations": Case(inspection(), office_page()),
    "inspections:evidence": Case(lambda w: [w.extra["answer_evidence"].pk], office_page() | {"school": 200}),
    "inspections:follow-up-file": Case(lambda w: [w.extra["follow_up"].pk], office_page()),
    "inspections:my-forms": Case(no_args, LOGGED_IN_OK),
    "inspections:answer": Case(lambda w: [w.extra["school_dispatch"].pk], unit_form(200)),
    "inspections:answer-evidence": Case(lambda w: [w.extra["school_dispatch"].pk], unit_form(302), method="post"),
    "inspections:answer-evidence-delete": Case(
        lambda w: [w.extra["school_dispatch"].pk, w.extra["answer_evidence"].pk], unit_form(302), method="post"
    ),
    # Inspection outputs: every staff member of the office reads them.
    "inspection-reports:round-pdf": Case(inspection(), office_page(302), method="post"),  # queues a build (emes.documents)
    "inspection-reports:responses-xlsx": Case(inspection(), office_page(302), method="post"),  # queues a build (emes.documents)
    "inspection-reports:follow-up": Case(office, office_page()),
    "inspection-reports:follow-up-pdf": Case(office, office_page()),
    "inspection-reports:follow-up-xlsx": Case(office, office_page()),
    # Evaluation (issue 16): every staff member reads forms, evaluations and results; the plan officer builds and runs
    # them (a project owner builds forms and evaluates their own projects); the asked respondents answer on their
    # page; anyone with the public link answers there (no login).
    "evaluation:evaluations": Case(office, office_page()),
    "evaluation:form-create": Case(office, office_page(allowed=EVALUATION_BUILDERS)),
    "evaluation:form": Case(evaluation_args("evaluation_form"), office_page()),
    "evaluation:bands": Case(evaluation_args("evaluation_form"), office_page(302, allowed=REGISTRY), method="post", data=lambda w: {"bands": "3 ดี\n1 ไม่ดี"}),
    "evaluation:section-add": Case(evaluation_args("evaluation_form"), office_page(302, allowed=REGISTRY), method="post", data=lambda w: {"title": "matrix"}),
    "evaluation:item-add": Case(evaluation_args("evaluation_form"), office_page(302, allowed=REGISTRY), method="post"),
    "evaluation:item-delete": Case(evaluation_args("evaluation_form", "evaluation_item"), office_page(302, allowed=REGISTRY), method="post"),
    "evaluation:evaluation-create": Case(office, office_page(allowed=EVALUATION_BUILDERS)),
    "evaluation:evaluation": Case(evaluation_args("evaluation"), office_page()),
    # Adding respondents after creation: the plan officer (or the project owner who runs it; here the planner's).
    "evaluation:respondents": Case(evaluation_args("evaluation"), office_page(allowed=REGISTRY)),
    "evaluation:evaluation-action": Case(evaluation_args("evaluation"), office_page(302, allowed=REGISTRY), method="post", data=lambda w: {"action": "close"}),
    "evaluation:results": Case(evaluation_args("evaluation"), office_page()),
    "evaluation:results-pdf": Case(evaluation_args("evaluation"), office_page(302), method="post"),
    "evaluation:report-download": Case(evaluation_args("evaluation", "evaluation_report"), office_page()),
    # The raw answers workbook is built as a job like the PDF (POST queues it; the file comes from report-download).
    "evaluation:answers-xlsx": Case(evaluation_args("evaluation"), office_page(302), method="post"),
    "evaluation:qr": Case(evaluation_args("evaluation"), office_page()),
    "evaluation:mine": Case(no_args, LOGGED_IN_OK),
    "evaluation:answer": Case(lambda w: [w.extra["evaluation"].pk], expect(404, school=200)),
    "evaluation:public": Case(lambda w: [w.extra["evaluation"].token], expect(200, anonymous=200)),
    "evaluation:public-done": Case(lambda w: [w.extra["evaluation"].token], expect(200, anonymous=200)),
    # Notifications: everyone signed in has their own; another person's is not found.
    "notifications:list": Case(no_args, LOGGED_IN_OK),
    "notifications:read": Case(lambda w: [w.extra["notification"].pk], expect(404, plan_officer=302), method="post"),
    "notifications:read-all": Case(no_args, expect(302), method="post"),
    "notifications:preferences": Case(no_args, LOGGED_IN_OK),
}


def _report_form(world: World) -> dict:
    """A full, valid save of the draft Q2 report's edit form (its project has no indicators)."""
    money = {f"money-{n}-source": source for n, source in enumerate(("obec", "area", "other"))}
    return {
        "version": world.extra["draft_report"].version, "implementation": "in_progress", "progress": 40,
        "activities_done": "matrix", "outcomes": "matrix", "problems": "", "suggestions": "", **money,
        "money-TOTAL_FORMS": 3, "money-INITIAL_FORMS": 3, "money-MIN_NUM_FORMS": 3, "money-MAX_NUM_FORMS": 3,
        "results-TOTAL_FORMS": 0, "results-INITIAL_FORMS": 0, "results-MIN_NUM_FORMS": 0, "results-MAX_NUM_FORMS": 200,
    }


#: Pages that also take a POST (their form posts back to them): who may save. 302 = saved.
MATRIX_POSTS: dict[str, Case] = {
    "plans:report-edit": Case(draft_report, office_page(302, allowed=("plan_officer", "project_owner")), method="post", data=_report_form),
    # Bulk acceptance in the inbox, confirmed (emes.confirm: the first click only shows what will happen): the plan
    # officer only (heads return, the director approves).
    "plans:review-inbox": Case(
        office, office_page(302, allowed=("plan_officer",)), method="post",
        data=lambda w: {"action": "accept", "reports": [w.report.pk], "confirm": "yes"},
    ),
}


def _walk(patterns, prefix: str = "") -> list[str]:
    names = []
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            names += _walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            names.append(prefix + p.name)
        elif isinstance(p, URLPattern):
            names.append(f"{prefix}<unnamed {p.pattern}>")
    return names


def project_url_names() -> set[str]:
    return set(_walk(get_resolver().url_patterns))


def test_every_url_is_in_the_matrix():
    names = project_url_names()
    uncovered = sorted(n for n in names if n not in MATRIX and not n.startswith("admin:"))
    assert not uncovered, f"URLs without a permission decision: {uncovered}"
    stale = sorted((set(MATRIX) | set(MATRIX_POSTS)) - names)
    assert not stale, f"matrix entries for URLs that no longer exist: {stale}"
    # Every EMES URL has a name (the admin's own catch-all redirects are Django's, and unnamed).
    unnamed = sorted(n for n in names if "<unnamed" in n and not n.startswith("admin:"))
    assert not unnamed, unnamed


def _request(client, world: World, role: str, name: str, case: Case):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    url = reverse(name, args=case.args(world))
    data = case.data(world) if case.data else {}
    return getattr(client, case.method)(url, data)


def _check(client, world: World, role: str, name: str, case: Case) -> None:
    response = _request(client, world, role, name, case)
    assert response.status_code == case.expect[role], f"{role} {case.method.upper()} {name}"
    if role == "anonymous" and response.status_code == 302 and name not in ("set_language",):
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix(client, world, name, role):
    _check(client, world, role, name, MATRIX[name])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX_POSTS))
def test_matrix_posts(client, world, name, role):
    _check(client, world, role, name, MATRIX_POSTS[name])


# --- The admin: generated from the registry, so a new model is covered the day it is registered.

ADMIN_ROLES = ["anonymous", "director", "plan_officer", "school", "outsider_office", "superuser"]


def _admin_cases():
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        yield f"{meta.app_label}_{meta.model_name}_changelist", model


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_admin_index_is_for_staff_only(client, world, role):
    user = UserFactory(username="root", is_superuser=True, is_staff=True) if role == "superuser" else world.users[role]
    if user is not None:
        client.force_login(user)
    response = client.get(reverse("admin:index"))
    staff = role in ("director", "superuser")
    assert response.status_code == (200 if staff else 302)
    if not staff:
        assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("role", ADMIN_ROLES)
@pytest.mark.parametrize("url_name,model", list(_admin_cases()), ids=[n for n, _ in _admin_cases()])
def test_admin_changelists(client, world, role, url_name, model):
    """Non-staff never reach the admin; the director sees the lists the office group grants, scoped."""
    user = UserFactory(username="root", is_superuser=True, is_staff=True) if role == "superuser" else world.users[role]
    if user is not None:
        client.force_login(user)
    response = client.get(reverse(f"admin:{url_name}"))
    if role == "superuser":
        assert response.status_code == 200
    elif role == "director":
        model_admin = admin.site._registry[model]
        request = type("R", (), {"user": user})()
        assert response.status_code == (200 if model_admin.has_view_or_change_permission(request) else 403)
    else:
        assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def _office_b_rows_of_issues_7_and_8(world: World) -> dict:
    """Office B's calendar event, letter, reminder, inspection round and recommendation (admin name -> row)."""
    import datetime as dt

    from emes.models import CalendarEvent
    from inspections.models import InspectionRound, Recommendation
    from reports.models import OutgoingLetter, Reminder

    day = dt.date(2026, 11, 20)
    b = world.office_b
    round_b = InspectionRound.objects.create(office=b, fiscal_year=2570, number=1, title="B")
    return {
        "emes_calendarevent": CalendarEvent.objects.create(office=b, fiscal_year=2570, title="B", starts_on=day, ends_on=day),
        "reports_outgoingletter": OutgoingLetter.objects.create(office=b, year=2569, number=1, kind="memo", date=day, subject="B", recipient="B"),
        "reports_reminder": Reminder.objects.create(
            office=b, obligation_kind="x", obligation_key="x", stage="first", recipient_key="x", recipient_name="B", due_on=day, subject="B"
        ),
        "inspections_inspectionround": round_b,
        "inspections_recommendation": Recommendation.objects.create(round=round_b, text="B"),
    }


def test_admin_object_pages_of_another_office_are_not_found_for_the_director(client, world):
    """Every registered model with an office: the director's change page of office B's row redirects (not found)."""
    from tests.factories import SchoolFactory as _School

    director = world.users["director"]
    client.force_login(director)
    theirs = {
        "emes_school": world.school_b1,
        "emes_office": world.office_b,
        "plans_project": ProjectFactory(office=world.office_b),
        "reports_reportjob": ReportJob.objects.create(office=world.office_b, fiscal_year=2569),
        **_office_b_rows_of_issues_7_and_8(world),
    }
    for name, obj in theirs.items():
        response = client.get(reverse(f"admin:{name}_change", args=[obj.pk]))
        assert response.status_code == 302, name  # Django's admin: "doesn't exist" -> index
    mine = client.get(reverse("admin:emes_school_change", args=[world.school_a1.pk]))
    assert mine.status_code == 200
    assert _School  # factories stay importable for hooks


def _admin_patterns():
    """(name, kwargs) for every URL of the admin site, with placeholder values for its parameters."""
    resolver = next(p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "admin")

    def walk(patterns):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns)
            elif p.name:
                kwargs = {}
                for key in p.pattern.regex.groupindex:
                    kwargs[key] = {"app_label": "emes", "content_type_id": "1"}.get(key, "1")
                yield p.name, kwargs

    return sorted(set((n, tuple(sorted(k.items()))) for n, k in walk(resolver.url_patterns)))


@pytest.mark.parametrize("role", ["anonymous", "plan_officer", "viewer", "school", "outsider_office", "outsider_school"])
def test_every_admin_url_sends_non_staff_to_the_admin_login(client, world, role):
    """Only staff (the director, superusers) pass the admin's door; everyone else is sent to its login."""
    if world.users[role] is not None:
        client.force_login(world.users[role])
    checked = 0
    for name, kwargs in _admin_patterns():
        url = reverse(f"admin:{name}", kwargs=dict(kwargs))
        response = client.get(url)
        if name == "login":
            assert response.status_code in (200, 302)
            continue
        if name == "logout":  # a GET never logs anyone out of the admin; it only redirects
            assert response.status_code in (302, 405)
            continue
        assert response.status_code == 302 and response.url.startswith(reverse("admin:login")), name
        checked += 1
    assert checked > 50  # every registered model's list, add, change, delete and history pages
