"""A request budget per token (per user for the session of the browsable docs).

The rate is `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["api"]` (API_THROTTLE_RATE in the
environment), read at each request so that a deployment or a test may change it; `None`
means no budget. Counts live in Django's cache: per process with the default local-memory
cache, shared by every app server once CACHES points at a shared cache.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from api.models import ApiToken


class PerTokenThrottle(SimpleRateThrottle):
    scope = "api"

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
