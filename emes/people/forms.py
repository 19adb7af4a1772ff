"""Forms of the people pages and the account pages (input checks only; rules live in services)."""
from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from emes.access import STAFF_ROLES
from emes.models import Division, Office, Role, School
from emes.text import CleanCharField, CleanCodeField

User = get_user_model()
BLANK = [("", "---------")]
DIVISION_HELP = _("Needed for a division head; for other roles, the person's division (optional).")


def _inline_helper(*rows: list[str]) -> FormHelper:
    """A crispy helper without its own <form> tag, laying ``rows`` of fields side by side."""
    helper = FormHelper()
    helper.form_tag = False
    helper.layout = Layout(*[Row(*[Column(name, css_class="col-md") for name in row]) for row in rows])
    return helper


class SchoolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: School) -> str:
        return f"{obj.smis_code} {obj.name}"


class AddMembershipForm(forms.Form):
    """Give an existing account a role in the office (the people page)."""

    username = CleanCodeField(label=_("Username"), max_length=150, help_text=_("An existing account; to create one, use “Add a new person”."))
    role = forms.ChoiceField(label=_("Role"), choices=BLANK + Role.choices)
    division = forms.ModelChoiceField(label=_("Division"), queryset=Division.objects.none(), required=False, help_text=DIVISION_HELP)
    school = SchoolChoiceField(label=_("School"), queryset=School.objects.none(), required=False, help_text=_("Only for the school role."))

    def __init__(self, *args, office: Office, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = None
        self.fields["division"].queryset = office.divisions.all()
        self.fields["school"].queryset = office.schools.open().order_by("smis_code")
        self.helper = _inline_helper(["username", "role"], ["division", "school"])

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        self.user = User.objects.filter(username=username, is_active=True).first()
        if self.user is None:
            raise forms.ValidationError(_("No active account has this username."))
        return username


class AddPersonForm(forms.Form):
    """A new staff person of the office; they set their own password from an emailed link."""

    username = CleanCodeField(label=_("Username"), max_length=150, help_text=_("Letters, digits and @/./+/-/_ only, e.g. the email name."))
    first_name = CleanCharField(label=_("First name"), max_length=150)
    last_name = CleanCharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("Email"), help_text=_("The link to set the password is sent here."))
    role = forms.ChoiceField(label=_("Role"), choices=BLANK + [(r.value, r.label) for r in Role if r in STAFF_ROLES])
    division = forms.ModelChoiceField(label=_("Division"), queryset=Division.objects.none(), required=False, help_text=DIVISION_HELP)

    def __init__(self, *args, office: Office, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = office.divisions.all()
        self.helper = _inline_helper(["first_name", "last_name"], ["username", "email"], ["role", "division"])

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        User.username_validator(username)
        return username


class EmesPasswordChangeForm(PasswordChangeForm):
    """Django's password change, with the current password explained for a one-time password."""

    def __init__(self, *args, one_time: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Current password")
        if one_time:
            self.fields["old_password"].help_text = _("The one-time password printed on the slip from the office.")
        self.helper = FormHelper()
        self.helper.form_tag = False
