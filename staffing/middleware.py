"""Language choice: French unless the user picked another language with the switcher."""


class AgencyLanguageMiddleware:
    """Drop the browser's Accept-Language so LocaleMiddleware falls back to the language
    cookie set by the switcher, then to LANGUAGE_CODE (French, the agency's language)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class PrivateResponsesMiddleware:
    """Every page shown to a signed-in user, and every download, is kept out of shared and
    browser caches: they hold personal data (profiles, rates, CVs) that must not be served
    again from a cache to the next person on a shared computer or behind a proxy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        download = response.get("Content-Disposition", "").startswith("attachment")
        if signed_in or download:
            response["Cache-Control"] = "private, no-store"
        return response
