"""Request middleware of EMES."""
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


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
