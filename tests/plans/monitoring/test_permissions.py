"""Who gets what on every quarterly-report URL, GET and POST (for ``tests/test_permission_matrix.py``).

The report is project_a's Q1 draft (owner ``owner_a``, division of ``head_a``) with one evidence file
uploaded by its owner. POSTs are the simplest legal ones for the owner: save the form, submit, upload,
delete the file, bulk-accept in the inbox. 302 = done (or sent back with a message), 403 = staff lacking
the role, 404 = not staff of the office.
"""
from __future__ import annotations

import pytest
from django.urls import reverse

from plans.monitoring import services

from .files import PDF, upload
from .test_views_edit import form_data

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "outsider_b", "school_account_a", "viewer_a", "owner_a", "other_owner_a", "head_a", "head_other", "director_a",
       "planner_a"]
LOGIN = 302  # anonymous: to the login page

#                          anon   outsdr school viewer owner  other  head   headX  dir    planner
EXPECTED = {
    ("report", "GET"):     [LOGIN, 404, 404, 200, 200, 200, 200, 200, 200, 200],
    ("edit", "GET"):       [LOGIN, 404, 404, 403, 200, 403, 403, 403, 403, 200],
    ("edit", "POST"):      [LOGIN, 404, 404, 403, 302, 403, 403, 403, 403, 302],
    ("submit", "POST"):    [LOGIN, 404, 404, 403, 302, 403, 403, 403, 403, 403],
    ("upload", "POST"):    [LOGIN, 404, 404, 403, 302, 403, 403, 403, 403, 302],
    ("download", "GET"):   [LOGIN, 404, 404, 200, 200, 200, 200, 200, 200, 200],
    ("delete", "POST"):    [LOGIN, 404, 404, 403, 302, 403, 403, 403, 403, 302],
    ("inbox", "GET"):      [LOGIN, 404, 404, 403, 403, 403, 200, 200, 200, 200],
    ("inbox", "POST"):     [LOGIN, 404, 404, 403, 403, 403, 403, 403, 403, 302],
}
CASES = [(page, method, who, status) for (page, method), row in EXPECTED.items() for who, status in zip(WHO, row)]


@pytest.mark.parametrize("page, method, who, status", CASES, ids=[f"{p}-{m}-{w}" for p, m, w, _s in CASES])
def test_status(request, client, draft, owner_a, head_a, head_other, other_owner_a, school_account_a, viewer_a, director_a, planner_a,
                outsider_b, page, method, who, status):
    evidence = services.add_evidence(draft, upload("a.pdf", PDF), by=owner_a)
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    args = ["9901", draft.project.pk, 1]
    url, data = {
        "report": (reverse("plans:report", args=args), {}),
        "edit": (reverse("plans:report-edit", args=args), form_data(draft)),
        "submit": (reverse("plans:report-transition", args=args), {"action": "submit"}),
        "upload": (reverse("plans:evidence-upload", args=args), {"file": upload("b.pdf", PDF)}),
        "download": (reverse("plans:evidence-download", args=["9901", evidence.pk]), {}),
        "delete": (reverse("plans:evidence-delete", args=["9901", evidence.pk]), {}),
        "inbox": (reverse("plans:review-inbox", args=["9901"]), {"action": "accept", "reports": [draft.pk], "confirm": "yes"}),
    }[page]
    if page == "inbox" and method == "POST":
        services.submit_report(draft, by=owner_a)
    response = client.get(url) if method == "GET" else client.post(url, data)
    assert response.status_code == status
