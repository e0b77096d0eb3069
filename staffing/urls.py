from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from staffing import views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path(
        "no-access/",
        TemplateView.as_view(template_name="registration/no_role.html"),
        name="no_role",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("missions/", include("missions.urls")),
    path("profiles/", include("candidates.urls")),
    path("interviews/", include("interviews.urls")),
    path("portal/", include("missions.portal_urls")),
]
