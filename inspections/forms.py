"""Input shapes of the inspection pages; the rules live in ``inspections.services``.

Dates are typed in the Buddhist Era (วว/ดด/ปปปป) through ``emes.fields.BEDateField``, which refuses a
CE year with a Thai message (``emes.fiscal.looks_like_ce_year``); the fiscal year through ``emes.fields.BEYearField``
(``emes.fiscal.parse_fiscal_year``).
"""
from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emes.fiscal import fiscal_year_of
from emes.models import Division, School
from emes.fields import BEDateField, BEYearField, NumberKind, ThaiNumberField, ThaiNumberInput
from emes.text import CleanCharField

from .models import AnswerKind, InspectionRound, Recommendation

SM = {"class": "form-control form-control-sm"}
SELECT = {"class": "form-select form-select-sm"}


def _date(label, required=False) -> BEDateField:
    field = BEDateField(label=label, required=required)
    field.widget.attrs.update(SM)
    return field


class DivisionChoices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Division) -> str:
        return f"{obj.code} {obj.name}"


class RoundForm(forms.Form):
    """The round and its schedule; ``confirm`` is ticked to save a schedule that breaks a standard."""

    # Years and numbers through the shared fields: Thai digits are read; a CE year gets the BE hint of emes.fiscal.
    fiscal_year = BEYearField(label=_("Fiscal year (BE)"), widget=ThaiNumberInput(attrs=SM, whole=True))
    number = ThaiNumberField(kind=NumberKind.COUNT, label=_("Round"), min_value=1, max_value=20, widget=ThaiNumberInput(attrs=SM, whole=True),
                             help_text=_("1 = February, 2 = August, 3 and later = special rounds"))
    kind = forms.ChoiceField(label=_("Kind of inspection"), choices=InspectionRound.Kind.choices, widget=forms.Select(attrs=SELECT))
    title = CleanCharField(label=_("Title"), required=False, max_length=300, widget=forms.TextInput(attrs=SM))
    plan_sent_on = _date(_("Inspection plan sent to units on"))
    coordination_meeting_on = _date(_("Coordination meeting on"))
    units_notified_on = _date(_("Units told of the visit on"))
    visit_starts_on = _date(_("Visit starts on"))
    visit_ends_on = _date(_("Visit ends on"))
    summary_meeting_on = _date(_("Summary meeting on"))
    inspectors = CleanCharField(label=_("Inspectors"), required=False, widget=forms.Textarea(attrs={**SM, "rows": 2}),
                                 help_text=_("Names and positions of the inspectors, one per line."))
    confirm = forms.BooleanField(label=_("Save anyway: I have read the warnings"), required=False)

    SCHEDULE = ("kind", "title", "plan_sent_on", "coordination_meeting_on", "units_notified_on", "visit_starts_on", "visit_ends_on",
                "summary_meeting_on", "inspectors")

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["fiscal_year"]
            del self.fields["number"]

    @classmethod
    def blank(cls, used: set[tuple[int, int]]) -> "RoundForm":
        year = fiscal_year_of(timezone.localdate())
        number = next(n for n in range(1, 50) if (year, n) not in used)
        return cls(initial={"fiscal_year": year, "number": number, "kind": InspectionRound.Kind.REGULAR})

    def schedule(self) -> dict:
        return {k: self.cleaned_data[k] for k in self.SCHEDULE if k in self.cleaned_data}


class IssueForm(forms.Form):
    code = CleanCharField(label=_("Code"), required=False, max_length=20, widget=forms.TextInput(attrs=SM))
    title = CleanCharField(label=_("Issue"), widget=forms.Textarea(attrs={**SM, "rows": 2}))
    description = CleanCharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={**SM, "rows": 2}))
    divisions = DivisionChoices(label=_("Responsible divisions"), queryset=Division.objects.none(), required=False)

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["divisions"].queryset = Division.objects.filter(office=office).order_by("code")


class IndicatorForm(forms.Form):
    text = CleanCharField(label=_("Indicator"), widget=forms.Textarea(attrs={**SM, "rows": 2}))
    unit = CleanCharField(label=_("Unit"), required=False, max_length=50, widget=forms.TextInput(attrs=SM))
    target = ThaiNumberField(label=_("Target (number)"), required=False, widget=ThaiNumberInput(attrs=SM))
    target_text = CleanCharField(label=_("Target (text)"), required=False, max_length=300, widget=forms.TextInput(attrs=SM))
    answer_kind = forms.ChoiceField(label=_("Answer expected"), choices=AnswerKind.choices, widget=forms.Select(attrs=SELECT))


class QuestionForm(forms.Form):
    text = CleanCharField(label=_("Question"), widget=forms.Textarea(attrs={**SM, "rows": 2}))
    kind = forms.ChoiceField(label=_("Answer expected"), choices=AnswerKind.choices, widget=forms.Select(attrs=SELECT))
    unit = CleanCharField(label=_("Unit"), required=False, max_length=50, widget=forms.TextInput(attrs=SM))
    help_text = CleanCharField(label=_("Help"), required=False, max_length=300, widget=forms.TextInput(attrs=SM))
    required = forms.BooleanField(label=_("Required to submit"), required=False, initial=True)


class CopyIssuesForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Copy the issues of round"), queryset=InspectionRound.objects.none(), widget=forms.Select(attrs=SELECT))

    def __init__(self, *args, round: InspectionRound, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = InspectionRound.objects.filter(office=round.office).exclude(pk=round.pk).order_by("-fiscal_year", "-number")
        self.fields["source"].label_from_instance = lambda r: f"{r.number}/{r.fiscal_year} {r.title}"


class ImportIssuesForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"), widget=forms.ClearableFileInput(attrs={**SM, "accept": ".xlsx"}))


class DispatchForm(forms.Form):
    divisions = DivisionChoices(label=_("Divisions"), queryset=Division.objects.none(), required=False)
    schools = forms.ModelMultipleChoiceField(label=_("Schools"), queryset=School.objects.none(), required=False, widget=forms.CheckboxSelectMultiple)
    due_on = _date(_("Due date"))

    def __init__(self, *args, round: InspectionRound, **kwargs):
        super().__init__(*args, **kwargs)
        sent = round.dispatches.values_list
        self.fields["divisions"].queryset = Division.objects.filter(office=round.office).exclude(pk__in=sent("division_id", flat=True).exclude(division__isnull=True)).order_by("code")
        self.fields["schools"].queryset = School.objects.filter(office=round.office).open().exclude(pk__in=sent("school_id", flat=True).exclude(school__isnull=True)).order_by("smis_code")
        self.fields["schools"].label_from_instance = lambda s: f"{s.smis_code} {s.name}"
        self.fields["due_on"].help_text = _("Empty: 30 working days after today. Day/month/year in the Buddhist Era, e.g. 1/10/2568.")


class ReasonForm(forms.Form):
    reason = CleanCharField(label=_("Reason"), widget=forms.Textarea(attrs={**SM, "rows": 2}))


class CommentForm(forms.Form):
    comment = CleanCharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={**SM, "rows": 2}))


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"), widget=forms.ClearableFileInput(attrs={**SM, "accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}))
    question = forms.TypedChoiceField(label=_("For question"), required=False, coerce=int, empty_value=None, widget=forms.Select(attrs=SELECT))

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = [("", _("The form as a whole"))] + [(q.pk, f"{q.order}. {q.text[:60]}") for q in questions if q.kind == AnswerKind.FILE]


class RecommendationForm(forms.Form):
    text = CleanCharField(label=_("Recommendation"), widget=forms.Textarea(attrs={**SM, "rows": 3}))
    issue = forms.TypedChoiceField(label=_("Issue"), required=False, coerce=int, empty_value=None, widget=forms.Select(attrs=SELECT))
    divisions = DivisionChoices(label=_("Responsible divisions"), queryset=Division.objects.none(), required=False)
    due_on = _date(_("Due date"))

    def __init__(self, *args, round: InspectionRound, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issue"].choices = [("", _("(no issue)"))] + [(i.pk, f"{i.code or i.order}. {i.title[:70]}") for i in round.issues.all()]
        self.fields["divisions"].queryset = Division.objects.filter(office=round.office).order_by("code")


class FollowUpForm(forms.Form):
    text = CleanCharField(label=_("What was done"), widget=forms.Textarea(attrs={**SM, "rows": 3}))
    file = forms.FileField(label=_("Evidence file (optional)"), required=False,
                           widget=forms.ClearableFileInput(attrs={**SM, "accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}))
    to_status = forms.ChoiceField(label=_("Status"), required=False, widget=forms.Select(attrs=SELECT), choices=[
        ("", _("Unchanged (an open recommendation becomes in progress)")),
        (Recommendation.Status.IN_PROGRESS, Recommendation.Status.IN_PROGRESS.label),
        (Recommendation.Status.DONE, Recommendation.Status.DONE.label),
    ])


class CarryForm(forms.Form):
    to_round = forms.ModelChoiceField(label=_("Carry the open recommendations into round"), queryset=InspectionRound.objects.none(),
                                      widget=forms.Select(attrs=SELECT))

    def __init__(self, *args, round: InspectionRound, **kwargs):
        super().__init__(*args, **kwargs)
        later = InspectionRound.objects.filter(office=round.office).exclude(pk=round.pk)
        later = [r.pk for r in later if (r.fiscal_year, r.number) > (round.fiscal_year, round.number)]
        self.fields["to_round"].queryset = InspectionRound.objects.filter(pk__in=later).order_by("fiscal_year", "number")
        self.fields["to_round"].label_from_instance = lambda r: f"{r.number}/{r.fiscal_year} {r.title}"
