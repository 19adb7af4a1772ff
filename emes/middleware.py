"""Request middleware of EMES."""
from django.conf import settings
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
