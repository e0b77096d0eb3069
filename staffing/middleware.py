"""Language choice: French unless the user picked another language with the switcher."""


class AgencyLanguageMiddleware:
    """Drop the browser's Accept-Language so LocaleMiddleware falls back to the language
    cookie set by the switcher, then to LANGUAGE_CODE (French, the agency's language)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
