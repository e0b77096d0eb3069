"""The API's URLs: /api/v1/… (recruiters), /api/v1/portal/… (client contacts), the OpenAPI
schema and its documentation page, and the page where each user manages their tokens."""

from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from api import token_views, views
from api.docs import ApiDocsView

router = SimpleRouter()
router.register("skills", views.SkillViewSet, basename="skill")
router.register("clients", views.ClientCompanyViewSet, basename="client")
router.register("missions", views.MissionViewSet, basename="mission")
router.register("shortlist-entries", views.EntryViewSet, basename="entry")
router.register("profiles", views.ProfileViewSet, basename="profile")
router.register("interviews", views.InterviewViewSet, basename="interview")
router.register("events", views.EventViewSet, basename="event")
router.register("portal/missions", views.ClientMissionViewSet, basename="portal-mission")
router.register("portal/profiles", views.ClientProfileViewSet, basename="portal-profile")
router.register("portal/interviews", views.ClientInterviewViewSet, basename="portal-interview")

app_name = "api"
v1 = [
    *router.urls,
    path("schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
]
urlpatterns = [
    # DRF's views answer an anonymous request themselves (401 with the JSON body): they are
    # exempt from LoginRequiredMiddleware's redirect to the login page.
    path("v1/", include(v1)),
    # A page for people: logged-in users only, like every page.
    path("v1/docs/", login_required(ApiDocsView.as_view(url_name="api:schema")), name="docs"),
    path("tokens/", token_views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", token_views.token_revoke, name="token_revoke"),
]
