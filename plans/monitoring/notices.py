"""Who is told of a quarterly report's move, and what (issue 17, "People are told"; docs/workflows.md).

    submitted          → the plan officer(s) and the head(s) of the project's division: it waits for their review
    returned           → the project owner, with the reviewer's comment
    accepted           → the project owner; the director(s): it waits for their approval
    approved           → the project owner
    reopened           → the project owner, with the reason

One notification per person per move; the actor is never told of their own move. Called by the transitions in
``plans.monitoring.services`` inside their transaction, so a refused or rolled-back move tells nobody.
"""
from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from emes.access import people_with_roles
from emes.models import Role
from emes.notifications.models import Kind
from emes.notifications.services import notify_people

from ..models import QuarterlyReport

Status = QuarterlyReport.Status


def report_url(report: QuarterlyReport) -> str:
    project = report.project
    return reverse("plans:report", kwargs={"area_code": project.office.area_code, "pk": project.pk, "quarter": report.quarter})


def report_label(report: QuarterlyReport) -> str:
    """"the Qn/FY report of project CODE NAME", in the active language (notices, and the confirmation pages)."""
    project = report.project
    return _("the Q%(quarter)s/%(fy)s report of project %(code)s %(name)s") % {
        "quarter": report.quarter, "fy": project.fiscal_year, "code": project.code, "name": project.name}


def report_moved(report: QuarterlyReport, old: str, new: str, *, by, comment: str = "") -> None:
    """Tell the people concerned that ``report`` moved from ``old`` to ``new`` (``comment`` as the reason)."""
    project = report.project
    office = project.office
    owner = [project.owner] if project.owner_id else []
    url = report_url(report)
    actor = by.get_full_name() or by.username
    with translation.override(settings.LANGUAGE_CODE):
        what = report_label(report)
        if new == Status.SUBMITTED:
            reviewers = people_with_roles(office, {Role.PLAN_OFFICER, Role.DIVISION_HEAD},
                                          divisions=[project.division_id] if project.division_id else [])
            if not project.division_id:
                reviewers = people_with_roles(office, {Role.PLAN_OFFICER})
            notify_people(reviewers, kind=Kind.WAITING_REVIEW, office=office, url=url, exclude=by,
                          title=_("Waiting for your review: %(what)s") % {"what": what},
                          body=_("Submitted by %(who)s.") % {"who": actor})
        elif new == Status.RETURNED and old == Status.APPROVED:
            notify_people(owner, kind=Kind.REOPENED, office=office, url=url, exclude=by,
                          title=_("Reopened: %(what)s") % {"what": what},
                          body=_("Reopened by %(who)s. Reason: %(reason)s") % {"who": actor, "reason": comment})
        elif new == Status.RETURNED:
            # Returned after acceptance (by the director, or a reviewer changing their mind): the plan officer, who
            # accepted it, is told as well as the owner.
            told = owner + (list(people_with_roles(office, {Role.PLAN_OFFICER})) if old == Status.ACCEPTED else [])
            notify_people(told, kind=Kind.RETURNED, office=office, url=url, exclude=by,
                          title=_("Returned for revision: %(what)s") % {"what": what},
                          body=_("Returned by %(who)s: %(comment)s") % {"who": actor, "comment": comment})
        elif new == Status.ACCEPTED:
            notify_people(owner, kind=Kind.ACCEPTED, office=office, url=url, exclude=by,
                          title=_("Accepted: %(what)s") % {"what": what},
                          body=_("Accepted by %(who)s; it now waits for the director's approval.") % {"who": actor})
            inbox = reverse("plans:review-inbox", kwargs={"area_code": office.area_code})
            notify_people(people_with_roles(office, {Role.DIRECTOR}), kind=Kind.WAITING_APPROVAL, office=office,
                          url=inbox, exclude=by, title=_("Waiting for your approval: %(what)s") % {"what": what},
                          body=_("Accepted by %(who)s.") % {"who": actor})
        elif new == Status.APPROVED:
            notify_people(owner, kind=Kind.APPROVED, office=office, url=url, exclude=by,
                          title=_("Approved: %(what)s") % {"what": what},
                          body=_("Approved by %(who)s.") % {"who": actor} + (" " + comment if comment else ""))


def plan_moved(plan, old: str, new: str, *, by, comment: str = "") -> None:
    """Tell of an action plan's move: submitted → the director(s); approved or returned → the plan officer(s)."""
    from ..models import ActionPlan

    office = plan.office
    url = reverse("plans:plan", kwargs={"area_code": office.area_code, "fiscal_year": plan.fiscal_year})
    actor = by.get_full_name() or by.username
    with translation.override(settings.LANGUAGE_CODE):
        what = _("the action plan of fiscal year %(fy)s (version %(version)s)") % {"fy": plan.fiscal_year, "version": plan.version}
        if new == ActionPlan.Status.SUBMITTED:
            notify_people(people_with_roles(office, {Role.DIRECTOR}), kind=Kind.WAITING_APPROVAL, office=office, url=url,
                          exclude=by, title=_("Waiting for your approval: %(what)s") % {"what": what},
                          body=_("Submitted by %(who)s.") % {"who": actor})
        elif new == ActionPlan.Status.APPROVED:
            notify_people(people_with_roles(office, {Role.PLAN_OFFICER}), kind=Kind.APPROVED, office=office, url=url,
                          exclude=by, title=_("Approved: %(what)s") % {"what": what},
                          body=_("Approved by %(who)s.") % {"who": actor})
        elif new == ActionPlan.Status.DRAFT and old == ActionPlan.Status.SUBMITTED:
            notify_people(people_with_roles(office, {Role.PLAN_OFFICER}), kind=Kind.RETURNED, office=office, url=url,
                          exclude=by, title=_("Returned for revision: %(what)s") % {"what": what},
                          body=_("Returned by %(who)s: %(comment)s") % {"who": actor, "comment": comment})
