from django.urls import path

from interviews import views

app_name = "interviews"
urlpatterns = [
    path("", views.interview_list, name="list"),
    path("schedule/<int:entry_pk>/", views.interview_schedule, name="schedule"),
    path("<int:pk>/", views.interview_detail, name="detail"),
    path("<int:pk>/reschedule/", views.interview_reschedule, name="reschedule"),
    path("<int:pk>/cancel/", views.interview_cancel, name="cancel"),
    path("<int:pk>/no-show/", views.interview_no_show, name="no_show"),
    path("<int:pk>/feedback/", views.interview_feedback, name="feedback"),
    path("<int:pk>/invite.ics", views.interview_ics, name="ics"),
]
