"""Forms of the quarterly report pages: input checks only; the rules live in ``plans.monitoring.services``."""
from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from emes.fields import NumberKind, ThaiNumberField
from emes.text import CleanCharField, clean_formfield

from ..models import BudgetSource, Indicator, QuarterlyReport

SOURCES = list(BudgetSource.values)  # OBEC, area, other: the order of the plan pages


class ReportForm(forms.ModelForm):
    """The report's own fields and the ``version`` it was built from (optimistic concurrency)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # The model stores a whole percentage: 45.5 gets a Thai message suggesting 45 or 46, 250 one naming 100.
    progress = ThaiNumberField(
        kind=NumberKind.PERCENT, decimal_places=0, label=QuarterlyReport._meta.get_field("progress").verbose_name,
        help_text=_("A whole percentage from 0 to 100."),
    )

    class Meta:
        model = QuarterlyReport
        formfield_callback = clean_formfield  # text columns cleaned like every EMES form (emes.text)
        fields = ["implementation", "progress", "activities_done", "outcomes", "problems", "suggestions"]
        widgets = {
            "activities_done": forms.Textarea(attrs={"rows": 4}),
            "outcomes": forms.Textarea(attrs={"rows": 4}),
            "problems": forms.Textarea(attrs={"rows": 3}),
            "suggestions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = self.instance.version
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "version",
            Div(Div(Field("implementation"), css_class="col-md-6"), Div(Field("progress"), css_class="col-md-3"), css_class="row"),
            Field("activities_done"), Field("outcomes"),
            Div(Div(Field("problems"), css_class="col-md-6"), Div(Field("suggestions"), css_class="col-md-6"), css_class="row"),
        )

    def service_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


def _number(label, *, kind: NumberKind = NumberKind.NUMBER, **limits: Any) -> ThaiNumberField:
    """A number of the report (Thai digits and thousands separators read, ``emes.fields``), in a text input."""
    return ThaiNumberField(
        kind=kind, label=label, required=False, **limits,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm text-end", "inputmode": "decimal", "autocomplete": "off"}),
    )


class ResultForm(forms.Form):
    """One indicator's result: the actual value, or numerator and denominator for a percentage indicator.

    The actual's range follows the indicator (``Indicator.result_rule``), set by :class:`BaseResultFormSet`.
    """

    indicator = forms.IntegerField(widget=forms.HiddenInput)
    actual = _number(_("actual"))
    numerator = _number(_("numerator"), min_value=0)
    denominator = _number(_("denominator"), min_value=0)

    def is_empty(self) -> bool:
        return all(self.cleaned_data.get(k) is None for k in ("actual", "numerator", "denominator"))


class BaseResultFormSet(forms.BaseFormSet):
    def __init__(self, *args: Any, indicators: list[Indicator], **kwargs: Any) -> None:
        self.indicators = {i.pk: i for i in indicators}
        super().__init__(*args, **kwargs)

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        """Give the row's ``actual`` the range of its indicator (a count is whole and ≥ 0, a percentage 0-100)."""
        super().add_fields(form, index)
        pk = form.initial.get("indicator") or form.data.get(form.add_prefix("indicator"))
        try:
            indicator = self.indicators.get(int(pk))
        except (TypeError, ValueError):
            indicator = None
        if indicator is not None:
            rule = indicator.result_rule()
            form.fields["actual"] = _number(
                _("actual"), min_value=rule.min_value, max_value=rule.max_value, decimal_places=rule.decimal_places
            )

    def rows(self) -> list[dict[str, Any]]:
        """The filled rows as ``save_report(results=...)`` takes them (indicator as a pk)."""
        return [
            {k: f.cleaned_data.get(k) for k in ("indicator", "actual", "numerator", "denominator")}
            for f in self.forms if f.cleaned_data and not f.is_empty()
        ]

    def pairs(self) -> list[tuple[Indicator | None, ResultForm]]:
        """``(indicator, form)`` per row, for the template."""
        out = []
        for f in self.forms:
            pk = f.initial.get("indicator") or f.data.get(f.add_prefix("indicator"))
            try:
                out.append((self.indicators.get(int(pk)), f))
            except (TypeError, ValueError):
                out.append((None, f))
        return out


ResultFormSet = forms.formset_factory(ResultForm, formset=BaseResultFormSet, extra=0, max_num=200, validate_max=True)


def result_initial(indicators: list[Indicator], report: QuarterlyReport | None) -> list[dict[str, Any]]:
    """One row per indicator of the project, filled from the report's results."""
    results = {r.indicator_id: r for r in report.results.all()} if report is not None else {}
    rows = []
    for i in indicators:
        r = results.get(i.pk)
        rows.append({"indicator": i.pk, **({"actual": r.actual, "numerator": r.numerator, "denominator": r.denominator} if r else {})})
    return rows


class DisbursementForm(forms.Form):
    """Money of one source disbursed during the quarter (baht); empty means nothing."""

    source = forms.ChoiceField(choices=BudgetSource.choices, widget=forms.HiddenInput)
    amount = _number(_("disbursed (baht)"), kind=NumberKind.MONEY)

    @property
    def source_value(self) -> str:
        return self.initial.get("source") or self.data.get(self.add_prefix("source"), "")


class BaseDisbursementFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict[str, Any]]:
        """The rows as ``save_report(disbursements=...)`` takes them."""
        return [{"source": f.cleaned_data["source"], "amount": f.cleaned_data.get("amount")} for f in self.forms if f.cleaned_data]


DisbursementFormSet = forms.formset_factory(
    DisbursementForm, formset=BaseDisbursementFormSet, extra=0, min_num=3, max_num=3, validate_max=True, validate_min=True
)


def disbursement_initial(report: QuarterlyReport | None) -> list[dict[str, Any]]:
    amounts = {d.source: d.amount for d in report.disbursements.all()} if report is not None else {}
    return [{"source": s, "amount": amounts.get(s)} for s in SOURCES]


class TransitionForm(forms.Form):
    """A move asked on the report page or the inbox; the services check who may and whether it is legal."""

    ACTIONS = ("submit", "return", "accept", "approve", "reopen")

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    comment = CleanCharField(multiline=True, required=False, max_length=4000)
    reason = CleanCharField(multiline=True, required=False, max_length=4000)
    next = forms.ChoiceField(required=False, choices=[("report", "report"), ("inbox", "inbox")])


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"))


class InboxForm(forms.Form):
    """A bulk move of the inbox: the reports ticked and what to do with them."""

    action = forms.ChoiceField(choices=[("approve", "approve"), ("accept", "accept")])
    reports = forms.TypedMultipleChoiceField(coerce=int, choices=[])

    def __init__(self, *args: Any, report_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reports"].choices = [(pk, pk) for pk in report_ids]
        self.fields["reports"].error_messages["required"] = _("Tick at least one report.")
        self.fields["reports"].error_messages["invalid_choice"] = _("A ticked report is no longer waiting for you; reload the page.")
