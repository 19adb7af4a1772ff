"""Forms of the plan workbook pages: input checks only; the workbook itself is checked by the services."""
from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _


class PlanUploadForm(forms.Form):
    """The upload of an action-plan workbook (.xlsx) for the office and fiscal year of the page."""

    file = forms.FileField(label=_("Action plan workbook (.xlsx)"))

    def __init__(self, *args, max_mb: float, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("The template of this page filled in, or an export of the plan edited; Excel .xlsx, at most %(mb)s MB.") % {"mb": f"{max_mb:g}"}
        self.fields["file"].widget.attrs["accept"] = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.form_id = "upload-form"
        self.helper.add_input(Submit("submit", _("Check the file")))
