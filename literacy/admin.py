"""Admin of the literacy assessment, office-scoped; every row is read-only here.

Rounds are created, changed and reopened on the office pages (``literacy:rounds``, the status
board), which call ``literacy.services``; the admin only offers the open/close actions (each asks first, with
what will happen: ``emes.confirm.admin_confirm_page``), through
the same services (so the role check and the transition row are the same). Submissions belong to
the schools (``literacy.submissions``): the admin shows them and their changes, never edits them.
"""
from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from emes.admin import ReadOnlyScopedAdmin, ScopedTabularInline
from emes.confirm import admin_confirm_page, admin_confirmed
from emes.thai import be_datetime

from . import services
from .models import GradeResult, LiteracyRound, LiteracyRoundTransition, RoundReopening, SkillResult, Submission, SubmissionChange


class ReadOnlyInline(ScopedTabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReopeningInline(ReadOnlyInline):
    model = RoundReopening
    fields = readonly_fields = ("school", "until", "reason", "by", "at")


class TransitionInline(ReadOnlyInline):
    model = LiteracyRoundTransition
    fields = readonly_fields = ("at", "from_status", "to_status", "by", "comment")


def _run(modeladmin, request, queryset, service, done) -> None:
    for literacy_round in queryset.select_related("office"):
        try:
            service(literacy_round, by=request.user)
        except (ValidationError, PermissionDenied) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc) or _("Only the plan officer runs the literacy rounds of this office.")
            modeladmin.message_user(request, f"{literacy_round}: {text}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"{literacy_round}: {done}", messages.SUCCESS)


@admin.register(LiteracyRound)
class LiteracyRoundAdmin(ReadOnlyScopedAdmin):
    list_display = ("__str__", "academic_year", "number", "status", "opens_at", "closes_at", "board_link")
    list_filter = ("status", "academic_year")
    search_fields = ("office__name", "office__area_code")
    readonly_fields = ("office", "academic_year", "number", "grades", "opens_at", "closes_at", "status", "improvement_flag_pct", "created_by", "created_at")
    inlines = [TransitionInline, ReopeningInline]
    actions = ["open_rounds", "close_rounds"]

    @admin.display(description=_("status board"))
    def board_link(self, obj: LiteracyRound):
        return format_html('<a href="{}">{}</a>', reverse("literacy:round", args=[obj.office.area_code, obj.pk]), _("Status board"))

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("office")

    def _rounds(self, queryset) -> list[str]:
        return [f"{r} ({r.get_status_display()}; {be_datetime(r.opens_at)} – {be_datetime(r.closes_at)})" for r in queryset]

    @admin.action(description=_("Open the window (เปิดระบบ)"))
    def open_rounds(self, request, queryset):
        if not admin_confirmed(request):
            n = queryset.count()
            return admin_confirm_page(
                self, request, queryset, title=gettext("Open %(n)s literacy rounds (เปิดระบบ)?") % {"n": n},
                what=[gettext("Open these %(n)s rounds: the schools of each office can then enter and submit their results until the round closes.") % {"n": n}],
                items=self._rounds(queryset), button=gettext("Open %(n)s rounds") % {"n": n})
        _run(self, request, queryset, services.open_round, _("The round is open (เปิดระบบ): schools can enter their results."))

    @admin.action(description=_("Close the window (ปิดระบบ)"))
    def close_rounds(self, request, queryset):
        if not admin_confirmed(request):
            n = queryset.count()
            return admin_confirm_page(
                self, request, queryset, title=gettext("Close %(n)s literacy rounds (ปิดระบบ)?") % {"n": n},
                what=[gettext("Close these %(n)s rounds: schools can no longer enter results, except those a round is reopened for with a reason.") % {"n": n}],
                items=self._rounds(queryset), button=gettext("Close %(n)s rounds") % {"n": n}, danger=True)
        _run(self, request, queryset, services.close_round, _("The round is closed (ปิดระบบ): schools can no longer enter results, except those it is reopened for."))


@admin.register(RoundReopening)
class RoundReopeningAdmin(ReadOnlyScopedAdmin):
    office_path = "round__office"
    list_display = ("round", "school", "until", "by", "at")
    list_select_related = ("round__office", "school", "by")
    search_fields = ("school__smis_code", "school__name", "reason")
    readonly_fields = ("round", "school", "until", "reason", "by", "at")


class SkillInline(ReadOnlyInline):
    model = SkillResult
    fields = readonly_fields = ("skill", "very_good", "good", "fair", "improve")


class GradeInline(ReadOnlyInline):
    model = GradeResult
    fields = readonly_fields = ("grade", "enrolled", "enrolled_reason", "assessed", "special_needs", "absent", "skills_text")
    show_change_link = True

    @admin.display(description=_("skills (very good / good / fair / needs improvement)"))
    def skills_text(self, obj: GradeResult) -> str:
        return "; ".join(f"{s.get_skill_display()}: {s.very_good}/{s.good}/{s.fair}/{s.improve}" for s in obj.skills.all())


class ChangeInline(ReadOnlyInline):
    model = SubmissionChange
    fields = readonly_fields = ("version", "action", "by", "at", "note")


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyScopedAdmin):
    office_path = "round__office"
    list_display = ("round", "school", "status", "version", "submitted_at", "updated_at")
    list_filter = ("status", "round__academic_year")
    list_select_related = ("round__office", "school")
    search_fields = ("school__smis_code", "school__name")
    readonly_fields = ("round", "school", "status", "version", "submitted_at", "updated_at", "updated_by")
    inlines = [GradeInline, ChangeInline]


@admin.register(GradeResult)
class GradeResultAdmin(ReadOnlyScopedAdmin):
    office_path = "submission__round__office"
    list_display = ("submission", "grade", "enrolled", "assessed", "special_needs", "absent")
    list_select_related = ("submission__round__office", "submission__school")
    readonly_fields = ("submission", "grade", "enrolled", "enrolled_reason", "assessed", "special_needs", "absent")
    inlines = [SkillInline]

    def has_module_permission(self, request):
        return False  # reached from a submission's page


@admin.register(SubmissionChange)
class SubmissionChangeAdmin(ReadOnlyScopedAdmin):
    office_path = "submission__round__office"
    list_display = ("submission", "version", "action", "by", "at")
    list_filter = ("action",)
    list_select_related = ("submission__round__office", "submission__school", "by")
    search_fields = ("submission__school__smis_code", "submission__school__name", "note")
    readonly_fields = ("submission", "version", "action", "data", "by", "at", "note")
