from django.urls import path

from candidates import views

app_name = "candidates"
urlpatterns = [
    path("", views.candidate_list, name="list"),
    path("new/", views.candidate_create, name="create"),
    path("<int:pk>/", views.candidate_detail, name="detail"),
    path("<int:pk>/edit/", views.candidate_edit, name="edit"),
    path("<int:pk>/cv/", views.candidate_cv, name="cv"),
    path("<int:pk>/archive/", views.candidate_archive, name="archive"),
    path("<int:pk>/availability/", views.confirm_availability, name="confirm_availability"),
]
