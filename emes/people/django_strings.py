"""Django's own password messages, listed so ``makemessages`` puts them in the project catalog.

Django ships no Thai for its password validators and password forms, so a Thai user would read
"This password is too common." in English on the Thai password pages. The project catalog
(``LOCALE_PATHS``) comes before Django's, so translating these exact msgids there is enough.
Nothing imports this module; keep the strings identical to Django 5.2's
(``django/contrib/auth/password_validation.py`` and ``forms.py``).
"""
from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_PASSWORD_MESSAGES = (
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        8,
    ),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        8,
    ),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("Your password can’t be too similar to your other personal information."),
    gettext_noop("This password is too common."),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("This password is entirely numeric."),
    gettext_noop("Your password can’t be entirely numeric."),
    gettext_noop("The two password fields didn’t match."),
    gettext_noop("Enter the same password as before, for verification."),
    gettext_noop("This account is inactive."),
)
