from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import TemplateView
from django.views.i18n import set_language

import insights.urls
import missions.urls
import portal.urls
from staffing import views

# The root URL map is the one kernel module that knows every app: it wires them together.
# The desk's dashboard is drawn by `insights` (the top layer) but keeps its name in the
# `missions` namespace, so `missions` itself never imports `insights`; so does the
# recruiter's copy of a skills dossier, drawn by `portal`.
missions_patterns = (
    missions.urls.urlpatterns + insights.urls.desk_urlpatterns + portal.urls.desk_urlpatterns,
    "missions",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path(
        "no-access/",
        TemplateView.as_view(template_name="registration/no_role.html"),
        name="no_role",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    # The switcher is on the login page too, so anonymous visitors may use it.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("missions/", include(missions_patterns)),
    path("profiles/", include("candidates.urls")),
    path("interviews/", include("interviews.urls")),
    path("portal/", include("portal.urls")),
    path("insights/", include("insights.urls")),
    path("api/", include("api.urls")),
]
