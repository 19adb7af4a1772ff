"""Forms of the annual-report page: input checks only; the rules live in ``reports.publication.services``."""
from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Field, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from emes.text import CleanCharField

from .models import AnnualReport
from .selectors import PhotoChoice

TEXT_MAX = 20_000


class NarrativeForm(forms.Form):
    """The narrative of a draft version: foreword, executive summary, synthesis of problems, committee, photographs.

    ``committee`` is one member per line, "name | position", in print order. Each image of the office's
    evidence gets a tick box and a caption (``photo_<key>``, ``caption_<key>``).
    """

    foreword = CleanCharField(label=_("Foreword (คำนำ)"), widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=TEXT_MAX)
    executive_summary = CleanCharField(
        label=_("Executive summary (บทสรุปผู้บริหาร)"), widget=forms.Textarea(attrs={"rows": 8}), required=False, max_length=TEXT_MAX,
        help_text=_("Starts as a draft written from the figures; edit it freely."),
    )
    problems_synthesis = CleanCharField(
        label=_("Synthesis of problems, obstacles and suggestions"), widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=TEXT_MAX,
    )
    committee = CleanCharField(
        label=_("Committee that prepared the report (คณะผู้จัดทำ)"), widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=TEXT_MAX,
        help_text=_("One member per line: name | position, in the order printed."),
    )

    def __init__(self, *args, photos: list[PhotoChoice] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.photo_choices = list(photos)
        for choice in self.photo_choices:
            self.fields[f"photo_{choice.key}"] = forms.BooleanField(label=choice.label, required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))
            self.fields[f"caption_{choice.key}"] = CleanCharField(
                label=_("Caption"), required=False, max_length=300, widget=forms.TextInput(attrs={"class": "form-control form-control-sm"})
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        # The photographs are laid out as a table by the template (tick box and caption side by side).
        self.helper.layout = Layout(Field("foreword"), Field("executive_summary"), Field("problems_synthesis"), Field("committee"))

    @classmethod
    def initial_for(cls, report: AnnualReport) -> dict:
        initial = {
            "foreword": report.foreword,
            "executive_summary": report.executive_summary,
            "problems_synthesis": report.problems_synthesis,
            "committee": "\n".join(f"{m.name} | {m.position}" if m.position else m.name for m in report.committee.all()),
        }
        for photo in report.photos.all():
            key = f"plan-{photo.plan_evidence_id}" if photo.plan_evidence_id else f"inspection-{photo.inspection_evidence_id}"
            initial[f"photo_{key}"] = True
            initial[f"caption_{key}"] = photo.caption
        return initial

    def committee_rows(self) -> list[tuple[str, str]]:
        rows = []
        for line in (self.cleaned_data.get("committee") or "").splitlines():
            name, _sep, position = line.partition("|")
            if name.strip():
                rows.append((name.strip(), position.strip()))
        return rows

    def photo_rows(self) -> list[tuple[str, str]]:
        return [
            (c.key, self.cleaned_data.get(f"caption_{c.key}") or "")
            for c in self.photo_choices if self.cleaned_data.get(f"photo_{c.key}")
        ]

    def photo_fields(self):
        """(tick box, caption) bound fields, for the template's table of images."""
        return [(self[f"photo_{c.key}"], self[f"caption_{c.key}"]) for c in self.photo_choices]


class TransitionForm(forms.Form):
    """A move asked on the annual-report page; the services check who may and whether it is legal."""

    ACTIONS = ("submit", "return", "approve", "publish", "circulate", "new_version", "freeze")

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    comment = CleanCharField(multiline=True, required=False, max_length=2000)
    confirm_unreviewed = forms.BooleanField(required=False)
