from django.urls import path

from insights import dashboard, views

app_name = "insights"
urlpatterns = [
    path("", views.index, name="index"),
    path("client/", views.client, name="client"),
]

# The dashboard keeps its historical name, `missions:dashboard` (see staffing/urls.py).
desk_urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
]
