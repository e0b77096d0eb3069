from django.urls import path

from candidates import compliance_views, import_views, public_views, views

app_name = "candidates"
urlpatterns = [
    path("", views.candidate_list, name="list"),
    path("new/", views.candidate_create, name="create"),
    path("import/", import_views.import_upload, name="import_upload"),
    path("import/<int:pk>/", import_views.import_preview, name="import_preview"),
    path("import/<int:pk>/progress/", import_views.import_progress, name="import_progress"),
    path("<int:pk>/", views.candidate_detail, name="detail"),
    path("<int:pk>/edit/", views.candidate_edit, name="edit"),
    path("<int:pk>/cv/", views.candidate_cv, name="cv"),
    path("<int:pk>/archive/", views.candidate_archive, name="archive"),
    path("<int:pk>/export/", views.candidate_export, name="export"),
    path("<int:pk>/anonymise/", views.candidate_anonymise, name="anonymise"),
    path("<int:pk>/availability/", views.confirm_availability, name="confirm_availability"),
    path("<int:pk>/documents/", compliance_views.documents, name="documents"),
    path("documents/<int:pk>/file/", compliance_views.document_file, name="document_file"),
    path("documents/<int:pk>/check/", compliance_views.document_check, name="document_check"),
    # Public: the freelancer's signed link (no login).
    path("availability/<str:token>/", public_views.availability_link, name="availability_link"),
]
