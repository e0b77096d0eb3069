"""Recruiter interview pages: scheduling n of 3, moves, feedback, the list and the .ics file."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews import services
from interviews.models import Interview, InterviewKind, InterviewState
from missions import services as mission_services
from missions.models import EntryState
from tests.factories import CandidateFactory, MissionFactory, make_recruiter
from tests.queries import count_queries


def sent_entry_for(mission, candidate, recruiter):
    entry = mission_services.shortlist_candidate(
        mission=mission, candidate=candidate, by=recruiter, confirm_warnings=True
    )
    entry.report = "Good fit."
    entry.client_rate = 700
    entry.save()
    mission_services.send_shortlist(mission=mission, by=recruiter)
    entry.refresh_from_db()
    return entry


def schedule(entry, recruiter, *, days=2, **fields):
    return services.schedule_interview(
        entry=entry,
        by=recruiter,
        scheduled_at=timezone.now() + timedelta(days=days),
        recruiter=recruiter,
        **fields,
    )


def in_the_past(interview, hours=2):
    Interview.objects.filter(pk=interview.pk).update(
        scheduled_at=timezone.now() - timedelta(hours=hours)
    )
    interview.refresh_from_db()
    return interview


@pytest.fixture
def entry(mission_a, candidate, recruiter):
    return sent_entry_for(mission_a, candidate, recruiter)


@pytest.fixture
def desk(client, recruiter):
    client.force_login(recruiter)
    return client


def schedule_data(recruiter, **overrides):
    when = timezone.localtime() + timedelta(days=3)
    data = {
        "kind": InterviewKind.CLIENT,
        "scheduled_at": when.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "60",
        "place": "Transalp HQ, Lyon",
        "video_link": "",
        "client_interviewers": "Marion Chevalier (CTO)",
        "recruiter": str(recruiter.pk),
    }
    return {**data, **overrides}


# --- Scheduling (R2) ---------------------------------------------------------------------


def test_schedule_page_shows_interview_1_of_3_with_the_current_recruiter(desk, entry, recruiter):
    response = desk.get(reverse("interviews:schedule", args=[entry.pk]))
    assert response.status_code == 200
    assert "Interview 1 of 3" in response.text
    assert re.search(rf'<option value="{recruiter.pk}" selected>', response.text)


def test_scheduling_creates_the_interview_and_sends_the_invitation(
    desk, entry, recruiter, alice, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(
            reverse("interviews:schedule", args=[entry.pk]), schedule_data(recruiter)
        )
    interview = Interview.objects.get(entry=entry)
    assert response.status_code == 302
    assert response["Location"] == interview.get_absolute_url()
    assert interview.number == 1
    assert interview.place == "Transalp HQ, Lyon"
    assert interview.recruiter == recruiter
    entry.refresh_from_db()
    assert entry.state == EntryState.INTERVIEWING
    client_email, freelancer_email = mailoutbox
    assert set(client_email.to) == {alice.email, recruiter.email}
    assert client_email.attachments[0][2].startswith("text/calendar")
    # Client contacts get the invitation: the profile appears as they may see it.
    assert entry.candidate.last_name not in client_email.body
    assert entry.candidate.client_display_name in client_email.body
    assert freelancer_email.to == [entry.candidate.email]
    assert freelancer_email.attachments[0][2].startswith("text/calendar")


def test_scheduling_in_the_past_is_warned_until_confirmed(desk, entry, recruiter):
    yesterday = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    url = reverse("interviews:schedule", args=[entry.pk])

    warned = desk.post(url, schedule_data(recruiter, scheduled_at=yesterday))

    assert warned.status_code == 200
    assert "This date and time are in the past." in warned.text
    assert 'name="confirm_past"' in warned.text
    assert not Interview.objects.filter(entry=entry).exists()

    confirmed = desk.post(url, schedule_data(recruiter, scheduled_at=yesterday, confirm_past="on"))

    assert confirmed.status_code == 302
    assert Interview.objects.filter(entry=entry).count() == 1


def test_a_future_interview_shows_no_past_date_box(desk, entry, recruiter):
    response = desk.get(reverse("interviews:schedule", args=[entry.pk]))

    assert 'name="confirm_past"' not in response.text


def test_schedule_page_numbers_the_next_interview(desk, entry, recruiter):
    schedule(entry, recruiter)
    schedule(entry, recruiter, days=4)
    response = desk.get(reverse("interviews:schedule", args=[entry.pk]))
    assert "Interview 3 of 3" in response.text
    assert "Schedule interview 3 of 3" in response.text


def test_fourth_interview_is_refused_with_a_message(desk, entry, recruiter):
    for days in (2, 3, 4):
        schedule(entry, recruiter, days=days)
    page = desk.get(reverse("interviews:schedule", args=[entry.pk]))
    assert "already has 3 interviews" in page.text
    assert 'disabled aria-describedby="why-full"' in page.text
    response = desk.post(reverse("interviews:schedule", args=[entry.pk]), schedule_data(recruiter))
    assert response.status_code == 200
    assert "no fourth one" in response.text
    assert entry.interviews.count() == 3


def test_cancelling_frees_the_place_for_another_interview(desk, entry, recruiter):
    first, second, third = (schedule(entry, recruiter, days=d) for d in (2, 3, 4))
    response = desk.post(reverse("interviews:cancel", args=[second.pk]), {"note": "Client ill"})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.state == InterviewState.CANCELLED
    page = desk.get(reverse("interviews:schedule", args=[entry.pk]))
    assert "Interview 3 of 3" in page.text
    desk.post(reverse("interviews:schedule", args=[entry.pk]), schedule_data(recruiter))
    assert entry.interviews.exclude(state=InterviewState.CANCELLED).count() == 3
    assert sorted(entry.interviews.counted().values_list("number", flat=True)) == [1, 2, 3]


def test_scheduling_for_a_declined_profile_shows_the_reason(desk, entry, recruiter, alice):
    mission_services.decline_entry(entry=entry, by=alice, reason="other")
    response = desk.post(reverse("interviews:schedule", args=[entry.pk]), schedule_data(recruiter))
    assert response.status_code == 200
    assert "only for a profile sent to the client" in response.text
    assert not entry.interviews.exists()


def test_schedule_form_errors_are_shown_inline(desk, entry, recruiter):
    response = desk.post(
        reverse("interviews:schedule", args=[entry.pk]),
        schedule_data(recruiter, scheduled_at="", video_link="not a link"),
    )
    assert response.status_code == 200
    assert response.text.count('aria-invalid="true"') == 2
    assert not entry.interviews.exists()


# --- Moves --------------------------------------------------------------------------------


def test_reschedule_moves_the_interview(desk, entry, recruiter):
    interview = schedule(entry, recruiter)
    new_time = (timezone.localtime() + timedelta(days=9)).replace(
        hour=10, minute=30, second=0, microsecond=0
    )
    data = schedule_data(recruiter, scheduled_at=new_time.strftime("%Y-%m-%dT%H:%M"))
    page = desk.get(reverse("interviews:reschedule", args=[interview.pk]))
    assert page.status_code == 200
    response = desk.post(reverse("interviews:reschedule", args=[interview.pk]), data)
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.scheduled_at == new_time
    assert interview.number == 1


def test_no_show_is_recorded_and_still_counts(desk, entry, recruiter):
    interview = schedule(entry, recruiter)
    response = desk.post(reverse("interviews:no_show", args=[interview.pk]))
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.state == InterviewState.NO_SHOW
    page = desk.get(reverse("interviews:schedule", args=[entry.pk]))
    assert "Interview 2 of 3" in page.text


def test_state_changes_need_a_post(desk, entry, recruiter):
    interview = schedule(entry, recruiter)
    assert desk.get(reverse("interviews:cancel", args=[interview.pk])).status_code == 405
    assert desk.get(reverse("interviews:no_show", args=[interview.pk])).status_code == 405
    interview.refresh_from_db()
    assert interview.state == InterviewState.SCHEDULED


def test_cancelling_twice_shows_a_message_not_an_error(desk, entry, recruiter):
    interview = schedule(entry, recruiter)
    desk.post(reverse("interviews:cancel", args=[interview.pk]))
    response = desk.post(reverse("interviews:cancel", args=[interview.pk]), follow=True)
    assert response.status_code == 200
    assert "cannot go from" in response.text


# --- Detail and calendar file -------------------------------------------------------------


def test_detail_page_links_the_calendar_file(desk, entry, recruiter):
    interview = schedule(entry, recruiter)
    response = desk.get(reverse("interviews:detail", args=[interview.pk]))
    assert response.status_code == 200
    assert reverse("interviews:ics", args=[interview.pk]) in response.text
    assert "Interview 1 of 3" in response.text


def test_ics_file_describes_the_interview(desk, entry, recruiter):
    interview = schedule(entry, recruiter, place="Lyon, room 3")
    response = desk.get(reverse("interviews:ics", args=[interview.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    start = interview.scheduled_at.astimezone(timezone.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert f"DTSTART:{start}\r\n" in body
    assert f"UID:interview-{interview.pk}@staffing-desk" in body
    assert "LOCATION:Lyon\\, room 3" in body
    assert (
        f"SUMMARY:{entry.mission.reference} — {entry.candidate.client_display_name} (1/3)" in body
    )


def test_client_contact_downloads_own_interview_ics_but_not_others(
    client, alice, bob, entry, recruiter
):
    interview = schedule(entry, recruiter)
    client.force_login(alice)
    assert client.get(reverse("interviews:ics", args=[interview.pk])).status_code == 200
    client.force_login(bob)
    assert client.get(reverse("interviews:ics", args=[interview.pk])).status_code == 404


@pytest.mark.parametrize(
    "name", ["list", "schedule", "detail", "reschedule", "feedback", "cancel", "no_show"]
)
def test_client_contact_gets_403_on_recruiter_pages(client, alice, entry, recruiter, name):
    interview = schedule(entry, recruiter)
    args = [] if name == "list" else [entry.pk if name == "schedule" else interview.pk]
    client.force_login(alice)
    method = client.post if name in ("cancel", "no_show") else client.get
    assert method(reverse(f"interviews:{name}", args=args)).status_code == 403
    interview.refresh_from_db()
    assert interview.state == InterviewState.SCHEDULED


# --- Feedback -----------------------------------------------------------------------------


def feedback_data(**overrides):
    data = {
        "hard_skills_rating": "4",
        "hard_skills_notes": "Drew the GKE migration on the board.",
        "soft_skills_rating": "5",
        "soft_skills_notes": "",
        "verdict": "go",
        "summary": "Very convincing.",
        "internal_notes": "Has another offer.",
        "failure_notes": "",
    }
    return {**data, **overrides}


def test_feedback_form_follows_the_order_hard_soft_verdict_causes(desk, entry, recruiter):
    interview = in_the_past(schedule(entry, recruiter))
    html = desk.get(reverse("interviews:feedback", args=[interview.pk])).text
    positions = [
        html.index(f'<span class="step" aria-hidden="true">{n}</span>{title}')
        for n, title in enumerate(["Hard skills", "Soft skills", "Verdict", "Failure causes"], 1)
    ]
    assert positions == sorted(positions)
    assert html.count('name="hard_skills_rating"') == 5
    assert 'name="test_score"' not in html


def test_recording_feedback_marks_the_interview_done(desk, entry, recruiter):
    interview = in_the_past(schedule(entry, recruiter))
    response = desk.post(
        reverse("interviews:feedback", args=[interview.pk]),
        feedback_data(causes=["rate_too_high"]),
    )
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.state == InterviewState.DONE
    assert interview.hard_skills_rating == 4
    assert interview.verdict == "go"
    assert [c.cause for c in interview.causes.all()] == ["rate_too_high"]
    detail = desk.get(reverse("interviews:detail", args=[interview.pk]))
    assert "Drew the GKE migration" in detail.text


def test_no_go_without_a_failure_cause_is_refused_inline(desk, entry, recruiter):
    interview = in_the_past(schedule(entry, recruiter))
    response = desk.post(
        reverse("interviews:feedback", args=[interview.pk]), feedback_data(verdict="no_go")
    )
    assert response.status_code == 200
    assert "A no go needs at least one failure cause." in response.text
    assert 'href="#id_causes_0"' in response.text
    interview.refresh_from_db()
    assert interview.state == InterviewState.SCHEDULED


def test_an_undecided_verdict_without_a_cause_or_a_note_is_refused_inline(desk, entry, recruiter):
    interview = in_the_past(schedule(entry, recruiter))
    response = desk.post(
        reverse("interviews:feedback", args=[interview.pk]), feedback_data(verdict="undecided")
    )
    assert response.status_code == 200
    assert (
        "An undecided verdict needs a failure cause or a note saying what to clear."
        in response.text
    )
    interview.refresh_from_db()
    assert interview.state == InterviewState.SCHEDULED


@pytest.mark.parametrize(
    "explained",
    [{"causes": ["availability"]}, {"failure_notes": "Check the notice period with him."}],
)
def test_an_undecided_verdict_with_a_cause_or_a_note_is_recorded(desk, entry, recruiter, explained):
    interview = in_the_past(schedule(entry, recruiter))
    response = desk.post(
        reverse("interviews:feedback", args=[interview.pk]),
        feedback_data(verdict="undecided", **explained),
    )
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.verdict == "undecided"


def test_a_low_rating_needs_notes(desk, entry, recruiter):
    interview = in_the_past(schedule(entry, recruiter))
    response = desk.post(
        reverse("interviews:feedback", args=[interview.pk]),
        feedback_data(hard_skills_rating="2", hard_skills_notes=""),
    )
    assert response.status_code == 200
    assert "Justify a rating of 2 or less" in response.text
    assert re.search(
        r'<textarea[^>]*aria-invalid="true"[^>]*id="id_hard_skills_notes"', response.text
    )


def test_missing_ratings_mark_the_radio_group_invalid(desk, entry, recruiter):
    interview = in_the_past(schedule(entry, recruiter))
    response = desk.post(
        reverse("interviews:feedback", args=[interview.pk]),
        feedback_data(hard_skills_rating="", verdict=""),
    )
    assert response.status_code == 200
    assert 'role="radiogroup" aria-labelledby="legend-hard" aria-invalid="true"' in response.text
    assert "Choose a verdict." in response.text


def test_feedback_before_the_interview_is_refused(desk, entry, recruiter):
    interview = schedule(entry, recruiter)
    response = desk.post(reverse("interviews:feedback", args=[interview.pk]), feedback_data())
    assert response.status_code == 200
    assert "has not taken place yet" in response.text
    interview.refresh_from_db()
    assert interview.state == InterviewState.SCHEDULED


def test_technical_test_feedback_records_the_result(desk, entry, recruiter):
    interview = in_the_past(schedule(entry, recruiter, kind=InterviewKind.TEST))
    response = desk.post(
        reverse("interviews:feedback", args=[interview.pk]),
        feedback_data(test_passed="true", test_score="85", test_link="https://codingame.test/r/1"),
    )
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.test_passed is True
    assert interview.test_score == 85


def test_feedback_of_a_cancelled_interview_is_refused(desk, entry, recruiter):
    interview = schedule(entry, recruiter)
    services.cancel_interview(interview=interview, by=recruiter)
    response = desk.get(reverse("interviews:feedback", args=[interview.pk]))
    assert response.status_code == 302


# --- The list -----------------------------------------------------------------------------


def test_list_shows_upcoming_interviews_first(desk, mission_a, candidates, recruiter):
    soon, later, past = (sent_entry_for(mission_a, c, recruiter) for c in candidates[:3])
    schedule(later, recruiter, days=9)
    schedule(soon, recruiter, days=1)
    in_the_past(schedule(past, recruiter))
    html = desk.get(reverse("interviews:list")).text
    names = [e.candidate.full_name for e in (soon, later, past)]
    assert [html.index(n) for n in names] == sorted(html.index(n) for n in names)
    assert "Feedback to enter" in html


def test_list_filters_by_state_and_by_attending_recruiter(desk, mission_a, candidates, recruiter):
    colleague = make_recruiter("colleague")
    mine, theirs = (sent_entry_for(mission_a, c, recruiter) for c in candidates[:2])
    schedule(mine, recruiter)
    cancelled = services.schedule_interview(
        entry=theirs,
        by=recruiter,
        scheduled_at=timezone.now() + timedelta(days=3),
        recruiter=colleague,
    )
    services.cancel_interview(interview=cancelled, by=recruiter)
    only_mine = desk.get(reverse("interviews:list"), {"mine": "on"}).text
    assert mine.candidate.full_name in only_mine
    assert theirs.candidate.full_name not in only_mine
    only_cancelled = desk.get(reverse("interviews:list"), {"state": "cancelled"}).text
    assert theirs.candidate.full_name in only_cancelled
    assert mine.candidate.full_name not in only_cancelled


def test_list_is_paginated(desk, client_a, recruiter):
    for _ in range(26):
        mission = MissionFactory(client=client_a, owner=recruiter)
        schedule(sent_entry_for(mission, CandidateFactory(), recruiter), recruiter)
    assert "1–25" in desk.get(reverse("interviews:list")).text
    assert "26–26" in desk.get(reverse("interviews:list"), {"page": 2}).text


def test_list_queries_do_not_grow_with_the_interviews(
    desk, client_a, recruiter, django_assert_max_num_queries
):
    def add_interview():
        mission = MissionFactory(client=client_a, owner=recruiter)
        schedule(sent_entry_for(mission, CandidateFactory(), recruiter), recruiter)

    add_interview()
    with_one = count_queries(desk, reverse("interviews:list"))
    for _ in range(5):
        add_interview()
    assert count_queries(desk, reverse("interviews:list")) == with_one
    with django_assert_max_num_queries(8):
        desk.get(reverse("interviews:list"))


def test_detail_and_feedback_queries_do_not_grow_with_previous_interviews(desk, entry, recruiter):
    first = in_the_past(schedule(entry, recruiter))
    services.record_feedback(
        interview=first,
        by=recruiter,
        hard_skills_rating=4,
        soft_skills_rating=4,
        verdict="go",
        causes=["other"],
    )
    second = in_the_past(schedule(entry, recruiter, days=3), hours=1)
    counts_one = [
        count_queries(desk, reverse(f"interviews:{n}", args=[second.pk]))
        for n in ("detail", "feedback")
    ]
    services.record_feedback(
        interview=second, by=recruiter, hard_skills_rating=4, soft_skills_rating=4, verdict="go"
    )
    third = in_the_past(schedule(entry, recruiter, days=4), hours=0)
    counts_two = [
        count_queries(desk, reverse(f"interviews:{n}", args=[third.pk]))
        for n in ("detail", "feedback")
    ]
    assert counts_one == counts_two
