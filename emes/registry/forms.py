"""Forms of the registry pages: input checks only; the file itself is checked by the services."""
from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from emes.fields import BEYearField
from emes.fiscal import parse_academic_year


class SchoolFilterForm(forms.Form):
    """Filters of the school list (GET): a cluster of the office and a status."""

    cluster = forms.ChoiceField(label=_("Cluster"), required=False)
    status = forms.ChoiceField(
        label=_("Status"), required=False,
        choices=[("", _("All")), ("open", _("Open")), ("merged", _("Merged into another school")), ("closed", _("Closed")), ("missing", _("Missing from the latest list"))],
    )

    def __init__(self, *args, clusters: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cluster"].choices = [("", _("All clusters"))] + [(c, c) for c in clusters]


class SchoolUploadForm(forms.Form):
    """The upload of a school list (CSV or XLSX) with the academic year of its student counts."""

    file = forms.FileField(label=_("School list file (.xlsx or .csv)"))
    academic_year = BEYearField(
        label=_("Academic year (BE) of the student counts"), parse=parse_academic_year,
        help_text=_("The academic year starts on 16 May; the student counts of the file are stored for this year."),
    )

    def __init__(self, *args, max_mb: float, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("CSV (UTF-8 or TIS-620) or Excel .xlsx, first sheet, at most %(mb)s MB.") % {"mb": f"{max_mb:g}"}
        self.fields["file"].widget.attrs["accept"] = ".csv,.xlsx"
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.form_id = "upload-form"
        self.helper.add_input(Submit("submit", _("Check the file")))
