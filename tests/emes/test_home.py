import pytest
import time_machine
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@time_machine.travel("2026-11-20 09:00 +0700")
def test_home_offers_the_ended_fiscal_years_with_role_names(client, planner_a, outsider_b):
    client.force_login(planner_a)
    page = client.get(reverse("home")).content.decode()
    assert "นักวิเคราะห์นโยบายและแผน" in page
    assert reverse("reports:annual-report", args=[planner_a.memberships.get().office.area_code, 2569]) in page
    assert reverse("reports:annual-report", args=["9902", 2569]) not in page  # the outsider's office


def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
