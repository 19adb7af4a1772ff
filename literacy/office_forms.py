"""Forms of the office side: input shapes only; the rules live in ``literacy.services``."""
from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from emes.fields import BEDateTimeField, BEDateTimeInput, BEYearField, NumberKind, ThaiNumberField, ThaiNumberInput
from emes.fiscal import academic_year_of, parse_academic_year
from emes.models import Grade, School
from emes.text import CleanCharField

from .models import DEFAULT_GRADES

#: Grades a literacy round may assess (ป.1-ป.6, ม.1-ม.3; issue 6).
ROUND_GRADES = [(g.value, g.label) for g in Grade if g.value[0] == "p" or g.value in ("m1", "m2", "m3")]


def _datetime_field(label, required=True) -> BEDateTimeField:
    """A moment typed in the Buddhist Era, "26/02/2570 16:30" (a browser's ``datetime-local`` would take CE: issue 13 item 6)."""
    return BEDateTimeField(label=label, required=required, widget=BEDateTimeInput(attrs={"class": "form-control form-control-sm"}))


class RoundForm(forms.Form):
    """A new round; the academic year is BE (a CE year is refused with the hint of ``emes.fiscal.parse_academic_year``)."""

    academic_year = BEYearField(label=_("Academic year (BE)"), parse=parse_academic_year,
                                widget=ThaiNumberInput(attrs={"class": "form-control form-control-sm"}, whole=True))
    number = forms.TypedChoiceField(label=_("Round"), coerce=int, choices=[(n, n) for n in range(1, 5)], widget=forms.Select(attrs={"class": "form-select form-select-sm"}))
    grades = forms.MultipleChoiceField(label=_("Grades assessed"), choices=ROUND_GRADES, widget=forms.CheckboxSelectMultiple)
    opens_at = _datetime_field(_("Window opens"))
    closes_at = _datetime_field(_("Window closes"))
    improvement_flag_pct = ThaiNumberField(
        kind=NumberKind.PERCENT, label=_("Flag a school with at least this share at 'needs improvement' (%)"), max_digits=5,
        initial=30, widget=ThaiNumberInput(attrs={"class": "form-control form-control-sm"}),
    )

    @classmethod
    def blank(cls, used: set[tuple[int, int]] = frozenset()) -> "RoundForm":
        """An empty form for the current academic year and its first unused round number."""
        year = academic_year_of(timezone.localdate())
        number = next((n for n in range(1, 5) if (year, n) not in used), 1)
        return cls(initial={"academic_year": year, "number": number, "grades": DEFAULT_GRADES, "improvement_flag_pct": 30})


class RoundUpdateForm(forms.Form):
    opens_at = _datetime_field(_("Window opens"))
    closes_at = _datetime_field(_("Window closes"))
    grades = forms.MultipleChoiceField(label=_("Grades assessed"), choices=ROUND_GRADES, widget=forms.CheckboxSelectMultiple)
    improvement_flag_pct = RoundForm.base_fields["improvement_flag_pct"]


class OpenForm(forms.Form):
    closes_at = _datetime_field(_("New closing time (optional)"), required=False)


class ReopenForm(forms.Form):
    """Reopen the window for chosen schools; ``schools`` are limited to the office's open schools."""

    schools = forms.ModelMultipleChoiceField(label=_("Schools"), queryset=School.objects.none(), widget=forms.CheckboxSelectMultiple)
    until = _datetime_field(_("Open until"))
    reason = CleanCharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}), max_length=2000)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schools"].queryset = schools
        self.fields["schools"].error_messages["invalid_choice"] = _("Only schools of this office that are still open can be chosen.")


class BoardFilterForm(forms.Form):
    missing = forms.BooleanField(label=_("Missing schools only (not submitted)"), required=False)
    cluster = CleanCharField(label=_("Cluster"), required=False)

    def filters(self) -> dict:
        if not self.is_valid():
            return {"missing_only": False, "cluster": ""}
        return {"missing_only": self.cleaned_data["missing"], "cluster": self.cleaned_data["cluster"].strip()}
