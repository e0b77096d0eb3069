from django.urls import path

from missions import views

app_name = "missions"
urlpatterns = [
    path("", views.mission_list, name="list"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("<int:pk>/", views.mission_detail, name="detail"),
    path("clients/<int:pk>/", views.client_detail, name="client_detail"),
]
