from django.urls import path

from portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("missions/<int:pk>/", views.mission, name="mission"),
    path("profiles/<int:pk>/", views.entry, name="entry"),
    path("profiles/<int:pk>/interview/", views.request_interview, name="request_interview"),
    path("profiles/<int:pk>/decline/", views.decline, name="decline"),
    path("profiles/<int:pk>/select/", views.select, name="select"),
    path("interviews/", views.interviews, name="interviews"),
    path("interviews/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("demand/", views.new_demand, name="new_demand"),
]
