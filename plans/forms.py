"""Forms of the plan pages: input checks only; the rules of the plan live in ``plans.services``.

Dates are typed in the Buddhist Era (วว/ดด/ปปปป, e.g. 1/10/2568) and money in baht through the shared
fields of ``emes.fields`` (a CE year is refused with a hint; Thai digits and thousands separators are read;
money is never negative and has at most 2 decimals). ``BEDateField`` is re-exported here for old imports.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Field, Layout
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from emes.fields import BEDateField, NumberKind, ThaiNumberField
from emes.models import Division, Office, Role
from emes.text import CleanCharField, clean_formfield

from .models import BudgetSource, Project, Strategy
from .selectors import ACHIEVEMENT_LABELS, ACHIEVEMENT_ORDER, FISCAL_MONTHS, project_status_choices
from .services import EDIT_ALL, budget_line_problems

User = get_user_model()


def _person(user) -> str:
    return user.get_full_name() or user.username


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return _person(obj)


class StrategyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Strategy) -> str:
        return f"{obj.code} {obj.name[:90]}"


class StrategyMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Strategy) -> str:
        return f"[{obj.get_level_display()}] {obj.code} {obj.name[:90]}"


def frame_strategies(office: Office, fiscal_year: int):
    """Strategies a project of ``office`` in ``fiscal_year`` may serve: the office's and the shared ones."""
    return Strategy.objects.filter(Q(office=office) | Q(office__isnull=True), fiscal_year=fiscal_year).order_by("level", "code")


class PlanFilterForm(forms.Form):
    """Filters of the project table of the overview (GET)."""

    division = forms.ModelChoiceField(label=_("Division"), queryset=Division.objects.none(), required=False, empty_label=_("All divisions"))
    strategy = StrategyChoiceField(label=_("Strategy"), queryset=Strategy.objects.none(), required=False, empty_label=_("All strategies"))
    owner = PersonChoiceField(label=_("Project owner"), queryset=User.objects.none(), required=False, empty_label=_("All owners"))
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, office: Office, fiscal_year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = Division.objects.filter(office=office).order_by("code")
        self.fields["strategy"].queryset = frame_strategies(office, fiscal_year)
        self.fields["owner"].queryset = User.objects.filter(
            owned_projects__office=office, owned_projects__fiscal_year=fiscal_year
        ).distinct().order_by("first_name", "last_name", "username")
        self._set_status_choices()

    def _set_status_choices(self) -> None:
        self.fields["status"].choices = [("", _("Any status")), *project_status_choices()]
        self.fields["status"].help_text = _("Implementation status in the latest counted quarterly report.")

    def filters(self) -> dict[str, Any]:
        """The valid filters as ``plans.selectors`` takes them (empty when the form is not valid)."""
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class IndicatorFilterForm(PlanFilterForm):
    """Filters of the indicator list (GET): the overview's, with achievement instead of status."""

    achievement = forms.ChoiceField(label=_("Achievement"), required=False)

    def _set_status_choices(self) -> None:
        del self.fields["status"]
        self.fields["achievement"].choices = [("", _("Any achievement")), *((k, ACHIEVEMENT_LABELS[k]) for k in ACHIEVEMENT_ORDER)]


class TransitionForm(forms.Form):
    """A move of the plan asked on the overview; the services check who may and whether it is legal."""

    ACTIONS = ("submit", "approve", "return", "amend")

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    comment = CleanCharField(multiline=True, required=False, max_length=2000)
    reason = CleanCharField(multiline=True, required=False, max_length=2000)


class ProjectForm(forms.ModelForm):
    """The project's fields: all of them for the plan officer, its details for its owner (``plans.services``)."""

    start_date = BEDateField(label=_("start"), required=False)
    end_date = BEDateField(label=_("end"), required=False)
    budget = ThaiNumberField(kind=NumberKind.MONEY, label=Project._meta.get_field("budget").verbose_name)

    class Meta:
        model = Project
        formfield_callback = clean_formfield  # text columns cleaned like every EMES form (emes.text)
        fields = [
            "code", "name", "strategy", "strategies", "division", "owner", "budget",
            "rationale", "objectives", "targets_quantity", "targets_quality", "responsible_people", "start_date", "end_date",
        ]
        widgets = {
            "name": forms.TextInput,
            "rationale": forms.Textarea(attrs={"rows": 4}),
            "objectives": forms.Textarea(attrs={"rows": 4}),
            "targets_quantity": forms.Textarea(attrs={"rows": 3}),
            "targets_quality": forms.Textarea(attrs={"rows": 3}),
            "strategies": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args: Any, scope: str, has_budget_lines: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        project: Project = self.instance
        self.scope = scope
        if scope == EDIT_ALL:
            strategies = frame_strategies(project.office, project.fiscal_year)
            self.fields["strategy"] = StrategyChoiceField(
                label=_("main strategy"), queryset=strategies.filter(Q(office=project.office) | Q(pk=project.strategy_id))
            )
            self.fields["strategies"] = StrategyMultipleChoiceField(
                label=_("also serves"), queryset=strategies, required=False, widget=forms.SelectMultiple(attrs={"size": 6}),
                help_text=_("Other strategies or policies the project serves, besides its main strategy. Hold Ctrl to choose several."),
            )
            self.fields["division"].queryset = Division.objects.filter(office=project.office).order_by("code")
            self.fields["owner"] = PersonChoiceField(
                label=_("project owner"), required=False,
                queryset=User.objects.filter(
                    memberships__office=project.office, memberships__role__in=[r for r in Role.values if r != Role.SCHOOL]
                ).distinct().order_by("first_name", "last_name", "username"),
            )
            if has_budget_lines:
                self.fields["budget"].disabled = True
                self.fields["budget"].help_text = _("The sum of the budget lines below; change the lines to change it.")
        else:
            for name in ("code", "name", "strategy", "strategies", "division", "owner", "budget"):
                del self.fields[name]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        plan_fields = [
            Div(Div(Field("code"), css_class="col-md-3"), Div(Field("name"), css_class="col-md-9"), css_class="row"),
            Div(Div(Field("strategy"), css_class="col-md-6"), Div(Field("strategies"), css_class="col-md-6"), css_class="row"),
            Div(Div(Field("division"), css_class="col-md-5"), Div(Field("owner"), css_class="col-md-4"), Div(Field("budget"), css_class="col-md-3"), css_class="row"),
        ] if scope == EDIT_ALL else []
        self.helper.layout = Layout(
            *plan_fields,
            Field("rationale"), Field("objectives"),
            Div(Div(Field("targets_quantity"), css_class="col-md-6"), Div(Field("targets_quality"), css_class="col-md-6"), css_class="row"),
            Div(Div(Field("responsible_people"), css_class="col-md-6"), Div(Field("start_date"), css_class="col-md-3"), Div(Field("end_date"), css_class="col-md-3"), css_class="row"),
        )

    def service_data(self) -> dict[str, Any]:
        """The cleaned fields as ``plans.services.update_project`` takes them (disabled fields left out)."""
        return {k: v for k, v in self.cleaned_data.items() if not self.fields[k].disabled}


def _money_field(label) -> ThaiNumberField:
    return ThaiNumberField(
        kind=NumberKind.MONEY, label=label, required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "form-control form-control-sm text-end"}),
    )


class BudgetLineForm(forms.Form):
    """One source's money (baht) and its planned quarters; an empty row means no money from that source."""

    source = forms.ChoiceField(choices=BudgetSource.choices, widget=forms.HiddenInput)
    amount = _money_field(_("amount (baht)"))
    q1 = _money_field(_("Q1"))
    q2 = _money_field(_("Q2"))
    q3 = _money_field(_("Q3"))
    q4 = _money_field(_("Q4"))

    @property
    def source_label(self) -> str:
        value = self.initial.get("source") or self.data.get(self.add_prefix("source"))
        return BudgetSource(value).label if value in BudgetSource.values else ""

    def is_empty(self) -> bool:
        return not any(self.cleaned_data.get(k) for k in ("amount", "q1", "q2", "q3", "q4"))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors or self.is_empty():
            return data
        problems = budget_line_problems(
            self.source_label, data.get("amount") or Decimal("0"), [data.get(f"q{q}") or Decimal("0") for q in (1, 2, 3, 4)]
        )
        if problems:
            raise ValidationError(problems)
        return data


class BaseBudgetLineFormSet(forms.BaseFormSet):
    def lines(self) -> list[dict[str, Any]]:
        """The non-empty rows as ``update_project(budget_lines=...)`` takes them."""
        return [
            {k: (f.cleaned_data.get(k) or Decimal("0")) if k != "source" else f.cleaned_data["source"] for k in ("source", "amount", "q1", "q2", "q3", "q4")}
            for f in self.forms if not f.is_empty()
        ]


BudgetLineFormSet = forms.formset_factory(BudgetLineForm, formset=BaseBudgetLineFormSet, extra=0, min_num=3, max_num=3, validate_max=True)


def budget_line_initial(lines) -> list[dict[str, Any]]:
    """One row per source (OBEC, area, other) filled from the project's lines."""
    by_source = {line.source: line for line in lines}
    rows = []
    for source in BudgetSource.values:
        line = by_source.get(source)
        rows.append({"source": source, **({k: getattr(line, k) for k in ("amount", "q1", "q2", "q3", "q4")} if line else {})})
    return rows


class ActivityForm(forms.Form):
    """An activity: its order, name, planned months (fiscal order ต.ค. … ก.ย.), budget (baht) and who is responsible."""

    order = ThaiNumberField(kind=NumberKind.COUNT, label=_("no."), min_value=1, max_value=999, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "form-control form-control-sm w-4-5em"}))
    name = CleanCharField(label=_("activity"), max_length=500, required=False,
                           widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}))
    months = forms.TypedMultipleChoiceField(label=_("planned months"), coerce=int, required=False, choices=FISCAL_MONTHS, widget=forms.CheckboxSelectMultiple)
    budget = _money_field(_("budget (baht)"))
    responsible = CleanCharField(label=_("responsible"), max_length=300, required=False,
                                  widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "placeholder": _("responsible")}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        deleting = self.cleaned_data.get("DELETE")
        if not deleting and self.has_changed() and not (data.get("name") or "").strip():
            self.add_error("name", _("Give the activity a name (or tick delete)."))
        return data


class BaseActivityFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict[str, Any]]:
        """The kept activities as ``update_project(activities=...)`` takes them, in their order."""
        out = []
        for position, form in enumerate(self.forms, start=1):
            data = form.cleaned_data
            if not data or data.get("DELETE") or not (data.get("name") or "").strip():
                continue
            out.append({
                "order": data.get("order") or position + 1000,  # rows without a number go last, in page order
                "name": data["name"], "months": data.get("months") or [], "budget": data.get("budget") or Decimal("0"),
                "responsible": data.get("responsible", ""),
            })
        return out


ActivityFormSet = forms.formset_factory(ActivityForm, formset=BaseActivityFormSet, extra=2, can_delete=True, max_num=100, validate_max=True)


def activity_initial(activities) -> list[dict[str, Any]]:
    return [
        {"order": a.order, "name": a.name, "months": a.months, "budget": a.budget, "responsible": a.responsible}
        for a in activities
    ]

