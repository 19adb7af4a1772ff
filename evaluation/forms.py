"""Input of the evaluation pages: validation only; the services do the work (docs/evaluation.md)."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from emes.fields import BEDateField
from emes.models import Division, Role, School
from emes.text import CleanCharField

from .library import standard_choices
from .models import EvaluationForm, FormItem, FormSection


def _bootstrap(form: forms.Form) -> None:
    """Bootstrap classes on the widgets (the templates render fields one by one)."""
    for field in form.fields.values():
        w = field.widget
        if isinstance(w, (forms.CheckboxInput,)):
            w.attrs.setdefault("class", "form-check-input")
        elif isinstance(w, forms.CheckboxSelectMultiple):
            continue
        elif isinstance(w, forms.Select):
            w.attrs.setdefault("class", "form-select form-select-sm")
        else:
            w.attrs.setdefault("class", "form-control form-control-sm")


class NewFormForm(forms.Form):
    """A new form: from the library, a copy of a previous form of the office, or empty."""

    title = CleanCharField(label=_("Title"), max_length=300, required=False, help_text=_("Empty: the title of the form it starts from."))
    standard = forms.ChoiceField(label=_("Start from a standard form"), required=False, choices=[("", "—"), *standard_choices()])
    copy_of = forms.ModelChoiceField(label=_("Or copy a previous form"), required=False, queryset=EvaluationForm.objects.none())

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy_of"].queryset = EvaluationForm.objects.filter(office=office)
        _bootstrap(self)

    def clean(self):
        data = super().clean()
        if data.get("standard") and data.get("copy_of"):
            raise forms.ValidationError(_("Choose a standard form or a previous form, not both."))
        if not data.get("standard") and not data.get("copy_of") and not data.get("title"):
            raise forms.ValidationError(_("Give a title for an empty form."))
        return data


class SectionForm(forms.Form):
    title = CleanCharField(label=_("Section title"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)


class ItemForm(forms.Form):
    section = forms.ModelChoiceField(label=_("Section"), queryset=FormSection.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=FormItem.Kind.choices)
    text = CleanCharField(label=_("Question"), max_length=500)
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    choices = CleanCharField(label=_("Choices (one per line)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, form: EvaluationForm, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = form.sections.all()
        _bootstrap(self)


class RespondentsForm(forms.Form):
    """Respondents by role, division and school of the office (at creation and added later)."""

    roles = forms.MultipleChoiceField(label=_("Respondents by role"), required=False, choices=Role.choices, widget=forms.CheckboxSelectMultiple)
    divisions = forms.ModelMultipleChoiceField(label=_("Respondents by division"), required=False, queryset=Division.objects.none(), widget=forms.CheckboxSelectMultiple)
    schools = forms.ModelMultipleChoiceField(label=_("Respondents by school"), required=False, queryset=School.objects.none())

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["divisions"].queryset = Division.objects.filter(office=office).order_by("code")
        self.fields["schools"].queryset = School.objects.filter(office=office).order_by("smis_code")
        _bootstrap(self)


class EvaluationCreateForm(forms.Form):
    """A new evaluation: form, target, window (BE dates), public link, respondents by role, division, school."""

    form = forms.ModelChoiceField(label=_("Form"), queryset=EvaluationForm.objects.none())
    title = CleanCharField(label=_("Title"), max_length=300)
    target = forms.ChoiceField(label=_("Evaluates"), required=False)
    opens_on = BEDateField(label=_("Opens on"))
    closes_on = BEDateField(label=_("Closes on"))
    public = forms.BooleanField(label=_("Public link and QR code (no login)"), required=False, initial=True)
    roles = forms.MultipleChoiceField(label=_("Respondents by role"), required=False, choices=Role.choices, widget=forms.CheckboxSelectMultiple)
    divisions = forms.ModelMultipleChoiceField(label=_("Respondents by division"), required=False, queryset=Division.objects.none(), widget=forms.CheckboxSelectMultiple)
    schools = forms.ModelMultipleChoiceField(label=_("Respondents by school"), required=False, queryset=School.objects.none())

    def __init__(self, *args, office, targets: list[tuple[str, str, object]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].queryset = EvaluationForm.objects.filter(office=office)
        self.fields["divisions"].queryset = Division.objects.filter(office=office).order_by("code")
        self.fields["schools"].queryset = School.objects.filter(office=office).order_by("smis_code")
        self._targets = {value: obj for value, _label, obj in targets}
        self.fields["target"].choices = [("", _("Nothing in particular")), *((v, label) for v, label, _o in targets)]
        _bootstrap(self)

    def clean_target(self):
        value = self.cleaned_data.get("target") or ""
        if value and value not in self._targets:
            raise forms.ValidationError(_("Choose one of the given targets."))
        return self._targets.get(value)

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error("closes_on", _("The window closes before it opens."))
        return data


class ReasonForm(forms.Form):
    reason = CleanCharField(label=_("Reason"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class BandsForm(forms.Form):
    """The interpretation bands as text: one band a line, its lowest mean then its label ("4.51 มากที่สุด")."""

    bands = CleanCharField(label=_("Interpretation bands (one a line: lowest mean, label)"), widget=forms.Textarea(attrs={"rows": 5}), max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self)

    def clean_bands(self) -> list[list]:
        rows = []
        for n, line in enumerate(self.cleaned_data["bands"].splitlines(), start=1):
            if not line.strip():
                continue
            low, _sep, label = line.strip().partition(" ")
            try:
                value = float(low)
            except ValueError:
                raise forms.ValidationError(_("Line %(n)s: start with the lowest mean, e.g. 4.51.") % {"n": n}) from None
            if not (1 <= value <= 5) or not label.strip():
                raise forms.ValidationError(_("Line %(n)s: a mean from 1.00 to 5.00, then the label.") % {"n": n})
            rows.append([value, label.strip()])
        return rows
