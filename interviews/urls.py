from django.urls import path

from interviews import views

app_name = "interviews"
urlpatterns = [
    path("<int:pk>/", views.interview_detail, name="detail"),
]
