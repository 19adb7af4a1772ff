"""Request middleware of EMES."""
from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import reverse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _


class ThaiFirstLocaleMiddleware(LocaleMiddleware):
    """Thai for everyone unless the person chose another language with the language switcher.

    The browser's Accept-Language is ignored on purpose: many office PCs run an English
    Windows, and the staff still expect the Thai interface of a Thai government system.
    """

    def process_request(self, request) -> None:
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class ForcePasswordChangeMiddleware:
    """Sends a user whose password is a one-time password to the password-change page first.

    School accounts are handed a printed one-time password (issue 3); until they choose their own,
    every page except changing it, logging out, the language switch and static files redirects there.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and self._must_change(user):
            target = reverse("password_change")
            allowed = (target, reverse("logout"), reverse("set_language"), settings.STATIC_URL)
            if not request.path.startswith(allowed):
                return redirect(f"{target}?next={request.path}" if request.method == "GET" else target)
        return self.get_response(request)

    @staticmethod
    def _must_change(user) -> bool:
        profile = getattr(user, "emes_profile", None)  # RelatedObjectDoesNotExist is an AttributeError
        return bool(profile and profile.must_change_password)


class RefuseNulMiddleware:
    """A request whose path, query or form fields hold a NUL character gets a Thai 400 page, not a 500.

    The last line of defence of issue 13 (item 5): every form field refuses NUL itself
    (``emes.text.clean_text``), but a value read outside a form, or a path segment used in a
    lookup, would reach PostgreSQL, which cannot store or compare a NUL and raises. No person types a
    NUL; a request carrying one is forged or broken, so nothing of it is processed. Uploaded files are
    not looked at (their content is theirs); only their field names and file names are.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            return render(request, "emes/bad_request.html", {
                "reason": _("The request contains a NUL character (code 0), which no field of EMES accepts."),
            }, status=400)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path:
            return True
        data = [request.GET]
        if request.method == "POST":
            data.append(request.POST)
            data.append({k: [f.name or "" for f in files] for k, files in request.FILES.lists()})
        for query in data:
            for key, values in (query.lists() if hasattr(query, "lists") else query.items()):
                if "\x00" in key or any("\x00" in str(v) for v in values):
                    return True
        return False
