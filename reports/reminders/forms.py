"""Input of the reminders page: the list filter, the chosen reminders of an action, the print batch filter."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from emes.fields import BEDateField
from reports.models import Reminder

SMALL_SELECT = {"class": "form-select form-select-sm"}
KIND_CHOICES = [
    ("", _("All obligations")), ("quarterly_report", _("Quarterly reports")), ("literacy", _("Literacy assessment")),
    ("inspection_form", _("Inspection forms")),
]


class RecordedFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All statuses")), *Reminder.Status.choices], widget=forms.Select(attrs=SMALL_SELECT))
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("All stages")), *Reminder.Stage.choices], widget=forms.Select(attrs=SMALL_SELECT))
    kind = forms.ChoiceField(label=_("Obligation"), required=False, choices=KIND_CHOICES, widget=forms.Select(attrs=SMALL_SELECT))

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class SelectionForm(forms.Form):
    """The due reminders (``candidate`` tokens "key|stage|recipient") and recorded ones (``reminder`` ids) ticked."""

    candidate = forms.MultipleChoiceField(required=False)
    reminder = forms.ModelMultipleChoiceField(queryset=Reminder.objects.none(), required=False)

    def __init__(self, data, *, office, tokens: list[str] = ()) -> None:
        super().__init__(data)
        self.fields["candidate"].choices = [(t, t) for t in tokens]
        self.fields["candidate"].error_messages["invalid_choice"] = _(
            "A ticked reminder is no longer due (it was met, sent or held meanwhile). Nothing was changed; look again below.")
        self.fields["reminder"].queryset = Reminder.objects.filter(office=office)
        self.fields["reminder"].error_messages["invalid_choice"] = _("A ticked reminder does not exist in this office.")
        self.fields["reminder"].error_messages["invalid_pk_value"] = _("A ticked reminder does not exist in this office.")


class PrintForm(forms.Form):
    """Which registered letters to schools to merge into one PDF; empty means the default batch."""

    kind = forms.ChoiceField(label=_("Obligation"), required=False, choices=KIND_CHOICES, widget=forms.Select(attrs=SMALL_SELECT))
    round = forms.TypedChoiceField(label=_("Literacy round"), required=False, coerce=int, empty_value=None, widget=forms.Select(attrs=SMALL_SELECT))
    # Dates typed in the Buddhist Era like every date of EMES (a browser's date picker would show CE).
    date_from = BEDateField(label=_("Letters dated from"), required=False)
    date_to = BEDateField(label=_("to"), required=False)

    def __init__(self, data=None, *, rounds=()) -> None:
        super().__init__(data)
        for name in ("date_from", "date_to"):
            self.fields[name].widget.attrs["class"] = "form-control form-control-sm"
        self.fields["round"].choices = [("", _("Any round"))] + [
            (r.pk, _("Round %(number)s of academic year %(year)s") % {"number": r.number, "year": r.academic_year}) for r in rounds
        ]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    @property
    def is_default(self) -> bool:
        return not any(self.cleaned_data.get(k) for k in ("kind", "round", "date_from", "date_to"))
