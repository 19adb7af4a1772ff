"""Forms of the plan's direction and of strategy-level indicator results (input validation only)."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from emes.fields import ThaiNumberField
from emes.text import CleanCharField


class DirectionForm(forms.Form):
    vision = CleanCharField(label=_("vision"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    mission = CleanCharField(label=_("mission"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 5}),
                             help_text=_("One item per line."))
    goals = CleanCharField(label=_("goals"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 5}),
                           help_text=_("One item per line."))


class StrategyResultsForm(forms.Form):
    """One quarter's actual per strategy-level indicator; a field per indicator, named ``ind-<pk>``."""

    quarter = forms.TypedChoiceField(label=_("quarter"), choices=[(q, q) for q in (1, 2, 3, 4)], coerce=int)

    def __init__(self, *args, indicators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for ind in self.indicators:
            rule = ind.result_rule()
            self.fields[f"ind-{ind.pk}"] = ThaiNumberField(
                label=ind.name, required=False, min_value=rule.min_value, max_value=rule.max_value, decimal_places=2)

    def values(self) -> dict:
        return {ind: self.cleaned_data.get(f"ind-{ind.pk}") for ind in self.indicators}
