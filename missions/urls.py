from django.urls import path

from missions import matching_views, placement_views, views

app_name = "missions"
urlpatterns = [
    path("", views.mission_list, name="list"),
    path("new/", views.mission_create, name="create"),
    path("<int:pk>/", views.mission_detail, name="detail"),
    path("<int:pk>/edit/", views.mission_edit, name="edit"),
    path("<int:pk>/state/", views.mission_transition, name="transition"),
    path("position/", views.position_profile, name="position"),
    path("<int:pk>/matching/", matching_views.matching, name="matching"),
    path("<int:pk>/shortlist/add/", views.shortlist_add, name="shortlist_add"),
    path("<int:pk>/shortlist/send/", views.shortlist_send, name="shortlist_send"),
    path("<int:pk>/shortlist/preview/", views.shortlist_preview, name="shortlist_preview"),
    path("<int:pk>/follow-up/", views.follow_up_client, name="follow_up"),
    path("entries/<int:pk>/", views.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/remove/", views.entry_remove, name="entry_remove"),
    path("entries/<int:pk>/move/", views.entry_move, name="entry_move"),
    path("entries/<int:pk>/withdraw/", views.entry_withdraw, name="entry_withdraw"),
    path("entries/<int:pk>/select/", views.entry_select, name="entry_select"),
    path("entries/<int:pk>/not-retained/", views.entry_not_retained, name="entry_not_retained"),
    path("placements/", placement_views.placement_list, name="placement_list"),
    path("placements/<int:pk>/", placement_views.placement_detail, name="placement"),
    path("placements/<int:pk>/extend/", placement_views.placement_extend, name="placement_extend"),
    path("placements/<int:pk>/end/", placement_views.placement_end, name="placement_end"),
    path("clients/", views.client_list, name="client_list"),
    path("clients/new/", views.client_create, name="client_create"),
    path("clients/<int:pk>/", views.client_detail, name="client_detail"),
    path("clients/<int:pk>/edit/", views.client_edit, name="client_edit"),
    path("clients/<int:pk>/invite/", views.contact_invite, name="contact_invite"),
]
