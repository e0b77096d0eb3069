from django.urls import path

from missions import portal_views

app_name = "portal"
urlpatterns = [
    path("", portal_views.home, name="home"),
    path("missions/<int:pk>/", portal_views.mission, name="mission"),
]
