from django.urls import path

from candidates import (
    catalogue_views,
    compliance_views,
    import_views,
    merge_views,
    pool_views,
    public_views,
    views,
)

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
    path("<int:pk>/cv-skills/", views.cv_skill_decide, name="cv_skill_decide"),
    path("<int:pk>/archive/", views.candidate_archive, name="archive"),
    path("<int:pk>/export/", views.candidate_export, name="export"),
    path("<int:pk>/anonymise/", views.candidate_anonymise, name="anonymise"),
    path("<int:pk>/merge/", merge_views.merge, name="merge"),
    path("<int:pk>/merge/confirm/", merge_views.merge_confirm, name="merge_confirm"),
    path("technologies/", catalogue_views.catalogue, name="catalogue"),
    path("technologies/new/", catalogue_views.skill_add, name="skill_add"),
    path("technologies/<int:pk>/alias/", catalogue_views.alias_add, name="alias_add"),
    path("pools/", pool_views.pool_list, name="pools"),
    path("pools/new/", pool_views.pool_create, name="pool_create"),
    path("pools/add/", pool_views.pool_add, name="pool_add"),
    path("pools/<int:pk>/rename/", pool_views.pool_rename, name="pool_rename"),
    path("pools/<int:pk>/delete/", pool_views.pool_delete, name="pool_delete"),
    path("pools/<int:pk>/remove/", pool_views.pool_remove, name="pool_remove"),
    path("<int:pk>/availability/", views.confirm_availability, name="confirm_availability"),
    path("<int:pk>/documents/", compliance_views.documents, name="documents"),
    path("documents/<int:pk>/file/", compliance_views.document_file, name="document_file"),
    path("documents/<int:pk>/check/", compliance_views.document_check, name="document_check"),
    # Public: the freelancer's signed link (no login).
    path("availability/<str:token>/", public_views.availability_link, name="availability_link"),
]
