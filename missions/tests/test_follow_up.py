"""The dashboard's "Follow up": one click reminds the client's contacts, at most once a day."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from missions import services
from missions.models import Event, Mission, ShortlistEntry
from tests.queries import count_queries


@pytest.fixture
def waiting(mission_a, candidate, recruiter, alice):
    entry = services.shortlist_candidate(
        mission=mission_a, candidate=candidate, by=recruiter, confirm_warnings=True
    )
    services.update_entry(entry=entry, by=recruiter, report="Knows the domain.", client_rate=700)
    services.send_shortlist(mission=mission_a, by=recruiter)
    ShortlistEntry.objects.filter(pk=entry.pk).update(sent_at=timezone.now() - timedelta(days=10))
    return entry


@pytest.fixture
def desk(client, recruiter):
    client.force_login(recruiter)
    return client


def follow_up(desk, mission):
    return desk.post(
        reverse("missions:follow_up", args=[mission.pk]),
        {"next": reverse("missions:dashboard")},
        follow=True,
    )


def test_the_dashboard_offers_follow_up_on_an_overdue_mission(desk, waiting, mission_a):
    response = desk.get(reverse("missions:dashboard"))
    assert reverse("missions:follow_up", args=[mission_a.pk]) in response.content.decode()


def test_a_mission_sent_today_has_no_follow_up_button(desk, waiting, mission_a):
    ShortlistEntry.objects.filter(pk=waiting.pk).update(sent_at=timezone.now())
    response = desk.get(reverse("missions:dashboard"))
    assert reverse("missions:follow_up", args=[mission_a.pk]) not in response.content.decode()


def test_follow_up_emails_the_client_contacts_and_records_it_on_the_timeline(
    desk, waiting, mission_a, alice, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = follow_up(desk, mission_a)
    assert response.redirect_chain[-1][0] == reverse("missions:dashboard")
    assert "Reminder sent to the contacts" in response.content.decode()
    assert [m.to for m in mailoutbox] == [[alice.email]]
    assert waiting.candidate.client_display_name in mailoutbox[0].body
    assert waiting.candidate.email not in mailoutbox[0].body  # R3: no contact details
    assert Event.objects.filter(mission=mission_a, message="Reminder sent to the client").exists()


def test_a_second_follow_up_within_a_day_is_refused_politely(
    desk, waiting, mission_a, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        follow_up(desk, mission_a)
        response = follow_up(desk, mission_a)
    assert response.status_code == 200
    assert "already reminded" in response.content.decode()
    assert len(mailoutbox) == 1


def test_follow_up_is_allowed_again_after_a_day(waiting, mission_a, recruiter):
    services.follow_up_client(mission=mission_a, by=recruiter)
    later = timezone.now() + timedelta(days=1, minutes=1)
    services.follow_up_client(mission=mission_a, by=recruiter, now=later)
    assert Mission.objects.get(pk=mission_a.pk).client_reminded_at == later


def test_follow_up_is_refused_when_nothing_waits_any_more(waiting, mission_a, recruiter, alice):
    services.client_declines(entry=waiting, by=alice, reason="rate_too_high")
    with pytest.raises(ValidationError) as refused:
        services.follow_up_client(mission=mission_a, by=recruiter)
    assert refused.value.code == "nothing_waiting"


def test_dashboard_query_count_is_the_same_with_reminded_missions(
    desk, waiting, mission_a, recruiter
):
    url = reverse("missions:dashboard")
    before = count_queries(desk, url)
    services.follow_up_client(mission=mission_a, by=recruiter)
    assert count_queries(desk, url) == before
