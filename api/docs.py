"""The browsable documentation of the API (Swagger UI, served by the app from
drf-spectacular-sidecar: no CDN), for logged-in users; anonymous visitors get the login page."""

from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    # The init script is a file of its own (the "split" view), so the page needs no inline
    # script under the content security policy; the page's own style carries the nonce.
    template_name = "api/swagger_ui.html"
    title = "Staffing desk API"
