from django.urls import path

from candidates import views

app_name = "candidates"
urlpatterns = [
    path("<int:pk>/", views.candidate_detail, name="detail"),
]
