from django.urls import path

from missions import portal_views

app_name = "portal"
urlpatterns = [
    path("", portal_views.home, name="home"),
    path("missions/<int:pk>/", portal_views.mission, name="mission"),
    path("profiles/<int:pk>/", portal_views.entry, name="entry"),
    path("profiles/<int:pk>/interview/", portal_views.request_interview, name="request_interview"),
    path("profiles/<int:pk>/decline/", portal_views.decline, name="decline"),
    path("profiles/<int:pk>/select/", portal_views.select, name="select"),
    path("interviews/", portal_views.interviews, name="interviews"),
    path("interviews/<int:pk>/feedback/", portal_views.feedback, name="feedback"),
    path("demand/", portal_views.new_demand, name="new_demand"),
]
