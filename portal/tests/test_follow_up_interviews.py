"""Follow-up interviews from the portal: the client asks for interview 2 and 3 of 3 (R2)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from interviews import services as interview_services
from interviews.models import Interview
from missions.models import EntryState, Event, ShortlistEntry
from portal.tests.test_portal import schedule, send_profiles


@pytest.fixture
def interviewing(mission_a, candidate, recruiter):
    """Camille, sent to alice and met once."""
    entry = send_profiles(mission_a, [candidate], recruiter)[0]
    schedule(entry, recruiter)
    entry.refresh_from_db()
    return entry


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def ask(client, entry, slots="Tuesday afternoon"):
    return client.post(
        reverse("portal:request_interview", args=[entry.pk]), {"slots": slots}, follow=True
    )


def test_the_card_of_a_profile_met_once_offers_interview_2_of_3(alice_client, interviewing):
    response = alice_client.get(reverse("portal:mission", args=[interviewing.mission_id]))
    assert "Ask for interview 2 of 3" in response.text


def test_asking_for_a_second_interview_records_it_and_tells_the_recruiter(
    alice_client, interviewing, mailoutbox, django_capture_on_commit_callbacks
):
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(alice_client, interviewing)
    assert "Request for interview 2 of 3 with Camille L. sent" in response.text
    interviewing.refresh_from_db()
    assert interviewing.state == EntryState.INTERVIEWING
    assert interviewing.follow_up_requested_at is not None
    assert interviewing.interview_slots == "Tuesday afternoon"
    assert Event.objects.filter(
        entry=interviewing,
        message="Interview 2 of 3 requested by the client for Camille Lefèvre",
        note="Tuesday afternoon",
    ).exists()
    [email] = mailoutbox
    assert email.to == ["recruiter@example.com"]
    assert (
        email.subject == "M-2026-00001: the client asks for interview 2 of 3 with Camille Lefèvre"
    )
    assert "asks for interview 2 of 3 with Camille Lefèvre" in email.body


def test_the_card_says_the_request_waits_and_offers_no_second_one(alice_client, interviewing):
    ask(alice_client, interviewing)
    response = alice_client.get(reverse("portal:mission", args=[interviewing.mission_id]))
    assert "You asked for interview 2 of 3: your recruiter will propose a slot." in response.text
    assert "Ask for interview" not in response.text


def test_a_second_request_while_one_waits_is_refused_with_a_message(alice_client, interviewing):
    ask(alice_client, interviewing)
    response = ask(alice_client, interviewing, slots="Friday")
    assert "You already asked for another interview with Camille L." in response.text
    interviewing.refresh_from_db()
    assert interviewing.interview_slots == "Tuesday afternoon"
    assert Event.objects.filter(entry=interviewing, message__contains="requested").count() == 1


def test_scheduling_the_requested_interview_answers_the_request(
    alice_client, interviewing, recruiter
):
    ask(alice_client, interviewing)
    interview = schedule(interviewing, recruiter, days=5)
    interviewing.refresh_from_db()
    assert (interview.number, interviewing.follow_up_requested_at) == (2, None)
    response = alice_client.get(reverse("portal:mission", args=[interviewing.mission_id]))
    assert "Ask for interview 3 of 3" in response.text


def test_a_fourth_interview_is_refused_at_the_cap(alice_client, interviewing, recruiter):
    schedule(interviewing, recruiter, days=4)
    schedule(interviewing, recruiter, days=6)
    card = alice_client.get(reverse("portal:mission", args=[interviewing.mission_id])).text
    assert "Ask for interview" not in card
    response = ask(alice_client, interviewing)
    assert (
        "Camille L. has had 3 interviews for this mission, the most there can be: "
        "select the profile or decline it."
    ) in response.text
    interviewing.refresh_from_db()
    assert interviewing.follow_up_requested_at is None
    assert Interview.objects.filter(entry=interviewing).count() == 3


def test_a_waiting_request_holds_the_last_place(alice_client, interviewing, recruiter):
    schedule(interviewing, recruiter, days=4)  # interview 2 of 3
    ask(alice_client, interviewing)  # interview 3 of 3 asked for
    with pytest.raises(ValidationError) as refused:
        interview_services.request_interview(
            entry=ShortlistEntry.objects.get(pk=interviewing.pk), by=None, slots=""
        )
    assert refused.value.code == "follow_up_pending"


def test_a_cancelled_interview_frees_its_place_for_a_request(alice_client, interviewing, recruiter):
    second = schedule(interviewing, recruiter, days=4)
    third = schedule(interviewing, recruiter, days=6)
    interview_services.cancel_interview(interview=third, by=recruiter)
    response = ask(alice_client, interviewing)
    assert "Request for interview 3 of 3 with Camille L. sent" in response.text
    assert second.number == 2


def test_the_request_page_says_which_interview_it_is(alice_client, interviewing):
    response = alice_client.get(reverse("portal:request_interview", args=[interviewing.pk]))
    assert "Interview 2 of 3" in response.text


def test_another_company_asking_for_a_follow_up_gets_404(client, bob, interviewing):
    client.force_login(bob)
    response = client.post(reverse("portal:request_interview", args=[interviewing.pk]), {})
    assert response.status_code == 404
    interviewing.refresh_from_db()
    assert interviewing.follow_up_requested_at is None


def test_the_first_request_still_moves_a_sent_profile(
    alice_client, mission_a, candidates, recruiter
):
    [entry] = send_profiles(mission_a, candidates[:1], recruiter)
    response = ask(alice_client, entry)
    entry.refresh_from_db()
    assert entry.state == EntryState.INTERVIEW_REQUESTED
    assert "Request for interview 1 of 3" in response.text


def test_a_past_interview_still_counts(alice_client, interviewing):
    Interview.objects.filter(entry=interviewing).update(
        scheduled_at=timezone.now() - timedelta(days=1)
    )
    response = ask(alice_client, interviewing)
    assert "Request for interview 2 of 3" in response.text


def test_the_desk_shows_the_request_and_offers_to_schedule_it(
    client, recruiter, alice_client, interviewing
):
    ask(alice_client, interviewing)
    client.force_login(recruiter)
    html = client.get(reverse("missions:detail", args=[interviewing.mission_id])).text
    assert "The client asks for interview 2 of 3" in html
    assert "preferred slots: Tuesday afternoon" in html
    assert "Schedule interview 2 of 3" in html


def test_a_waiting_request_ends_with_the_profile_leaving_the_process(
    alice_client, interviewing, recruiter
):
    ask(alice_client, interviewing)
    alice_client.post(
        reverse("portal:decline", args=[interviewing.pk]), {"reason": "technical_level"}
    )
    interviewing.refresh_from_db()
    assert (interviewing.state, interviewing.follow_up_requested_at) == (
        EntryState.NOT_RETAINED,
        None,
    )
