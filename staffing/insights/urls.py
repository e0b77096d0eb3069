from django.urls import path

from staffing.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.index, name="index"),
    path("client/", views.client, name="client"),
]
