"""Forms of the calendar pages: input checks only; the rules (fiscal-year range, end after start) are in
``emes.calendar.services``. Dates are typed in the Buddhist Era (วว/ดด/ปปปป) like every EMES form
(``emes.fields.BEDateField``); a CE year is refused with a message saying so."""
from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from emes.fields import BEDateField
from emes.text import CleanCharField

from .models import CalendarEvent

#: The calendar's date field; a bare year ("2570") gets a message of its own in the shared field.
EventDateField = BEDateField


class EventForm(forms.Form):
    """An event the plan officer adds or edits."""

    title = CleanCharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=CalendarEvent.Kind.choices, initial=CalendarEvent.Kind.OTHER)
    starts_on = EventDateField(label=_("Starts on"))
    ends_on = EventDateField(label=_("Ends on"), help_text=_("The same day for a one-day event."))
    audience = forms.ChoiceField(label=_("Concerns"), choices=CalendarEvent.Audience.choices, initial=CalendarEvent.Audience.STAFF)
    description = CleanCharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    gantt_row = CleanCharField(
        label=_("Gantt row"), max_length=200, required=False,
        help_text=_("Only for the M&E unit's own tasks: events with the same row name form one row of the yearly Gantt chart."),
    )
    rule = CleanCharField(label=_("Rule and its source"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, f in self.fields.items():
            css = "form-select" if isinstance(f.widget, forms.Select) else "form-control"
            f.widget.attrs.setdefault("class", css)

    @classmethod
    def for_event(cls, event: CalendarEvent) -> "EventForm":
        return cls(initial={name: getattr(event, name) for name in cls.base_fields})
