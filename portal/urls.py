from django.urls import path

from portal import dossier, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("missions/<int:pk>/", views.mission, name="mission"),
    path("profiles/<int:pk>/", views.entry, name="entry"),
    path("profiles/<int:pk>/interview/", views.request_interview, name="request_interview"),
    path("profiles/<int:pk>/decline/", views.decline, name="decline"),
    path("profiles/<int:pk>/select/", views.select, name="select"),
    path("profiles/<int:pk>/dossier.pdf", dossier.client_dossier, name="dossier"),
    path("interviews/", views.interviews, name="interviews"),
    path("interviews/<int:pk>/feedback/", views.feedback, name="feedback"),
    path("demand/", views.new_demand, name="new_demand"),
]

# The recruiter's copy of a profile's dossier keeps a desk name, `missions:entry_dossier`
# (see staffing/urls.py), so `missions` itself never imports the portal.
desk_urlpatterns = [
    path("entries/<int:pk>/dossier.pdf", dossier.desk_dossier, name="entry_dossier"),
]
