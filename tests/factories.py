"""factory_boy factories for the kernel and the plan (Thai names from Faker ``th_TH``)."""
from __future__ import annotations

from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from emes.models import Division, Membership, Office, Role, School
from plans.models import Indicator, IndicatorResult, Project, QuarterlyReport, Strategy

PASSWORD = "test-password-2569"


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ("area_code",)

    area_code = factory.Sequence(lambda n: f"{9000 + n}")
    name = factory.Sequence(lambda n: f"สพป.ทดสอบ เขต {n + 1}")
    type = Office.Type.PRIMARY


class DivisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Division

    office = factory.SubFactory(OfficeFactory)
    code = factory.Sequence(lambda n: f"{n % 100:02d}")
    name = factory.Sequence(lambda n: f"กลุ่มทดสอบ {n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    office = factory.SubFactory(OfficeFactory)
    smis_code = factory.Sequence(lambda n: f"{90000000 + n}")
    name = factory.Sequence(lambda n: f"โรงเรียนบ้านทดสอบ {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="th_TH")
    last_name = factory.Faker("last_name", locale="th_TH")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    office = factory.SubFactory(OfficeFactory)
    role = Role.VIEWER


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy

    office = factory.SubFactory(OfficeFactory)
    fiscal_year = 2569
    level = Strategy.Level.OFFICE
    code = factory.Sequence(lambda n: f"S{n + 1}")
    name = factory.Sequence(lambda n: f"กลยุทธ์ที่ {n + 1} พัฒนาคุณภาพการศึกษา")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    office = factory.SubFactory(OfficeFactory)
    fiscal_year = 2569
    code = factory.Sequence(lambda n: f"69-{n + 1:03d}")
    name = factory.Sequence(lambda n: f"โครงการพัฒนาคุณภาพ {n + 1}")
    strategy = factory.SubFactory(StrategyFactory, office=factory.SelfAttribute("..office"))
    division = factory.SubFactory(DivisionFactory, office=factory.SelfAttribute("..office"))
    budget = Decimal("100000.00")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"ร้อยละของโรงเรียนที่เข้าร่วม {n}")
    unit = "ร้อยละ"
    target = Decimal("80")


class QuarterlyReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuarterlyReport

    project = factory.SubFactory(ProjectFactory)
    quarter = 1
    status = QuarterlyReport.Status.SUBMITTED
    implementation = QuarterlyReport.Implementation.IN_PROGRESS
    progress = 25
    budget_disbursed = Decimal("10000.00")


class IndicatorResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorResult

    report = factory.SubFactory(QuarterlyReportFactory)
    indicator = factory.SubFactory(IndicatorFactory, project=factory.SelfAttribute("..report.project"))
    actual = Decimal("85")


class EnrolmentFactory(factory.django.DjangoModelFactory):
    """Students of one grade of a school (registry tests)."""

    class Meta:
        model = "emes.Enrolment"

    school = factory.SubFactory(SchoolFactory)
    academic_year = 2568
    grade = "p1"
    students = 20


# --- Plan pages: budget lines, activities, plan versions -------------------------------------------

from plans.models import Activity, ActionPlan, BudgetLine  # noqa: E402


class BudgetLineFactory(factory.django.DjangoModelFactory):
    """A budget line phased equally over the four quarters (baht)."""

    class Meta:
        model = BudgetLine

    project = factory.SubFactory(ProjectFactory)
    source = "obec"
    amount = Decimal("100000.00")
    q1 = factory.LazyAttribute(lambda o: o.amount / 4)
    q2 = factory.LazyAttribute(lambda o: o.amount / 4)
    q3 = factory.LazyAttribute(lambda o: o.amount / 4)
    q4 = factory.LazyAttribute(lambda o: o.amount - 3 * (o.amount / 4))


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    project = factory.SubFactory(ProjectFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"กิจกรรมที่ {n + 1}")
    months = factory.LazyFunction(lambda: [10, 11, 12])
    budget = Decimal("10000.00")


class ActionPlanFactory(factory.django.DjangoModelFactory):
    """A plan version; set ``status`` directly only to arrange a test (services move it otherwise)."""

    class Meta:
        model = ActionPlan

    office = factory.SubFactory(OfficeFactory)
    fiscal_year = 2569
    version = 1
    status = ActionPlan.Status.DRAFT


def dress_letterhead(office):
    """Give ``office`` what an external letter needs (emblem, address, signer): tests that send letters to schools."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buf, format="PNG")
    office.address = office.address or "ถนนยันตรกิจโกศล ตำบลเด่นชัย\nอำเภอเด่นชัย จังหวัดแพร่ 54110"
    office.director_name = office.director_name or "นายทดสอบ ลงนาม"
    office.director_position = office.director_position or "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา"
    if not office.emblem:
        office.emblem.save("emblem.png", ContentFile(buf.getvalue()), save=False)
    office.save()
    return office
