"""The client portal: a contact's missions, answers on sent profiles, interviews, new demands."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from candidates.models import CandidateSkill, Experience, Project
from interviews import services as interview_services
from interviews.models import Interview, InterviewState
from missions import services
from missions.models import EntryState, Event, FailureCause, Mission, MissionState
from tests.factories import CandidateFactory, MissionFactory, SkillFactory
from tests.queries import count_queries


def send_profiles(mission, candidates, recruiter):
    """Shortlist the profiles, write their reports and send them: the recruiter's part."""
    entries = []
    for candidate in candidates:
        entry = services.shortlist_candidate(
            mission=mission, candidate=candidate, by=recruiter, confirm_warnings=True
        )
        entry.report = f"Solid profile: {candidate.first_name} knows the domain."
        entry.client_rate = 700
        entry.save()
        entries.append(entry)
    services.send_shortlist(mission=mission, by=recruiter)
    for entry in entries:
        entry.refresh_from_db()
    return entries


def schedule(entry, recruiter, *, days=2):
    return interview_services.schedule_interview(
        entry=entry,
        by=recruiter,
        scheduled_at=timezone.now() + timedelta(days=days),
        recruiter=recruiter,
    )


@pytest.fixture
def sent_entry(mission_a, candidate, recruiter):
    return send_profiles(mission_a, [candidate], recruiter)[0]


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def bob_client(client, bob):
    client.force_login(bob)
    return client


# --- My missions -------------------------------------------------------------------------


def test_home_lists_only_the_contacts_own_missions(alice_client, mission_a, mission_b):
    response = alice_client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert mission_a.reference in response.text
    assert mission_b.reference not in response.text


def test_home_shows_shortlist_progress_and_upcoming_interviews(
    alice_client, mission_a, candidates, recruiter
):
    first, second = send_profiles(mission_a, candidates[:2], recruiter)
    schedule(first, recruiter)
    response = alice_client.get(reverse("portal:home"))
    assert "2 profiles sent" in response.text
    assert "1 waiting for your answer" in response.text
    assert first.candidate.client_display_name in response.text
    assert "interview 1 of 3" in response.text


def test_recruiter_gets_403_on_the_portal(client, recruiter):
    client.force_login(recruiter)
    assert client.get(reverse("portal:home")).status_code == 403


def test_anonymous_visitor_is_sent_to_login(client, mission_a):
    response = client.get(reverse("portal:mission", args=[mission_a.pk]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


# --- The sent shortlist -----------------------------------------------------------------


def test_mission_page_shows_sent_profiles_but_not_proposed_ones(
    alice_client, mission_a, candidates, recruiter
):
    sent = send_profiles(mission_a, candidates[:1], recruiter)[0]
    draft = services.shortlist_candidate(
        mission=mission_a, candidate=candidates[1], by=recruiter, confirm_warnings=True
    )
    response = alice_client.get(reverse("portal:mission", args=[mission_a.pk]))
    assert response.status_code == 200
    assert sent.candidate.client_display_name in response.text
    assert "700" in response.text
    # The draft's whole name, not a first name that could also be a user's in the top bar.
    assert draft.candidate.client_display_name not in response.text
    assert reverse("portal:entry", args=[draft.pk]) not in response.text


def test_mission_page_counts_every_profile_sent_whether_still_in_play_or_closed(
    alice_client, mission_a, candidates, recruiter
):
    entries = send_profiles(mission_a, candidates[:3], recruiter)
    services.decline_entry(entry=entries[0], by=recruiter, reason=FailureCause.RATE_TOO_HIGH)

    response = alice_client.get(reverse("portal:mission", args=[mission_a.pk]))

    assert "3 profiles proposed by" in response.text


def test_mission_page_without_sent_profiles_says_the_recruiter_is_searching(
    alice_client, mission_a
):
    response = alice_client.get(reverse("portal:mission", args=[mission_a.pk]))
    assert "No profile sent yet" in response.text


def test_proposed_entry_is_404_for_the_client(alice_client, mission_a, candidate, recruiter):
    entry = services.shortlist_candidate(
        mission=mission_a, candidate=candidate, by=recruiter, confirm_warnings=True
    )
    for name in ("entry", "request_interview", "decline", "select"):
        assert alice_client.get(reverse(f"portal:{name}", args=[entry.pk])).status_code == 404
    response = alice_client.post(reverse("portal:decline", args=[entry.pk]), {"reason": "other"})
    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.state == EntryState.PROPOSED


# --- Answers on a profile -----------------------------------------------------------------


def test_asking_for_an_interview_moves_the_entry_and_emails_the_recruiter(
    alice_client, sent_entry, recruiter, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("portal:request_interview", args=[sent_entry.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(url, {"slots": "Tuesday afternoon, by video"})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:mission", args=[sent_entry.mission_id])
    sent_entry.refresh_from_db()
    assert sent_entry.state == EntryState.INTERVIEW_REQUESTED
    assert sent_entry.interview_slots == "Tuesday afternoon, by video"
    assert [m.to for m in mailoutbox] == [[recruiter.email]]
    assert "Tuesday afternoon" in mailoutbox[0].body


def test_interview_request_page_shows_the_form(alice_client, sent_entry):
    response = alice_client.get(reverse("portal:request_interview", args=[sent_entry.pk]))
    assert response.status_code == 200
    assert 'name="slots"' in response.text


def test_declining_with_a_reason_closes_the_entry_and_emails_the_recruiter(
    alice_client, sent_entry, recruiter, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("portal:decline", args=[sent_entry.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            url, {"reason": FailureCause.RATE_TOO_HIGH, "note": "Above our envelope"}
        )
    assert response.status_code == 302
    sent_entry.refresh_from_db()
    assert sent_entry.state == EntryState.DECLINED
    assert sent_entry.end_reason == FailureCause.RATE_TOO_HIGH
    assert sent_entry.end_note == "Above our envelope"
    assert sent_entry.slot is None
    assert [m.to for m in mailoutbox] == [[recruiter.email]]
    assert "Above our envelope" in mailoutbox[0].body


def test_declining_without_a_reason_shows_an_error_and_changes_nothing(alice_client, sent_entry):
    response = alice_client.post(reverse("portal:decline", args=[sent_entry.pk]), {"note": "x"})
    assert response.status_code == 200
    assert "Choose a reason." in response.text
    assert 'aria-invalid="true"' in response.text
    sent_entry.refresh_from_db()
    assert sent_entry.state == EntryState.SENT


def test_client_cannot_decline_for_the_candidate(alice_client, sent_entry):
    response = alice_client.post(
        reverse("portal:decline", args=[sent_entry.pk]),
        {"reason": FailureCause.CANDIDATE_WITHDREW},
    )
    assert response.status_code == 200
    sent_entry.refresh_from_db()
    assert sent_entry.state == EntryState.SENT


def test_declining_after_interviews_closes_the_entry_as_not_retained(
    alice_client, sent_entry, recruiter, mailoutbox, django_capture_on_commit_callbacks
):
    schedule(sent_entry, recruiter)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(
            reverse("portal:decline", args=[sent_entry.pk]),
            {"reason": FailureCause.TECHNICAL_LEVEL},
        )
    sent_entry.refresh_from_db()
    assert sent_entry.state == EntryState.NOT_RETAINED
    assert sent_entry.end_reason == FailureCause.TECHNICAL_LEVEL
    # The recruiter hears of the answer; the scheduled interview's cancellation goes to everyone
    # invited to it (the client side, and the freelancer on their own).
    assert sorted(sorted(m.to) for m in mailoutbox) == sorted(
        [
            ["alice@example.com", "recruiter@example.com"],
            [sent_entry.candidate.email],
            ["recruiter@example.com"],
        ]
    )


def test_a_second_answer_on_a_declined_profile_is_refused_with_a_message(alice_client, sent_entry):
    url = reverse("portal:decline", args=[sent_entry.pk])
    alice_client.post(url, {"reason": FailureCause.OTHER})
    response = alice_client.post(
        reverse("portal:request_interview", args=[sent_entry.pk]), {"slots": "Monday"}
    )
    assert response.status_code == 200
    assert "cannot go from" in response.text
    sent_entry.refresh_from_db()
    assert sent_entry.state == EntryState.DECLINED


# --- Selection ----------------------------------------------------------------------------


def test_select_asks_for_confirmation_first(alice_client, mission_a, candidates, recruiter):
    chosen, other = send_profiles(mission_a, candidates[:2], recruiter)
    response = alice_client.get(reverse("portal:select", args=[chosen.pk]))
    assert response.status_code == 200
    assert "Please confirm" in response.text
    assert "The other profile still in progress is closed as not retained." in response.text
    chosen.refresh_from_db()
    assert chosen.state == EntryState.SENT


def test_selecting_fills_the_mission_and_closes_the_others(
    alice_client,
    mission_a,
    candidates,
    recruiter,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    chosen, other = send_profiles(mission_a, candidates[:2], recruiter)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(reverse("portal:select", args=[chosen.pk]), {"note": ""})
    assert response.status_code == 302
    chosen.refresh_from_db()
    other.refresh_from_db()
    mission_a.refresh_from_db()
    assert chosen.state == EntryState.SELECTED
    assert other.state == EntryState.NOT_RETAINED
    assert mission_a.state == MissionState.FILLED
    assert recruiter.email in [address for m in mailoutbox for address in m.to]
    assert any("selected" in m.subject for m in mailoutbox)


def test_selecting_on_a_mission_on_hold_is_refused_with_a_message(
    alice_client, sent_entry, recruiter
):
    services.transition_mission(mission=sent_entry.mission, to=MissionState.ON_HOLD, by=recruiter)
    response = alice_client.post(reverse("portal:select", args=[sent_entry.pk]), {"note": ""})
    assert response.status_code == 200
    assert "cannot go from" in response.text
    sent_entry.refresh_from_db()
    assert sent_entry.state == EntryState.SENT


# --- Interviews and feedback --------------------------------------------------------------


def test_interview_schedule_lists_upcoming_and_past_interviews(
    alice_client, mission_a, candidates, recruiter
):
    first, second = send_profiles(mission_a, candidates[:2], recruiter)
    upcoming = schedule(first, recruiter, days=3)
    past = schedule(second, recruiter, days=3)
    Interview.objects.filter(pk=past.pk).update(scheduled_at=timezone.now() - timedelta(days=1))
    response = alice_client.get(reverse("portal:interviews"))
    assert response.status_code == 200
    text = response.text
    assert text.index(first.candidate.client_display_name) < text.index("Past interviews")
    assert text.index("Past interviews") < text.index(second.candidate.client_display_name)
    assert reverse("portal:feedback", args=[past.pk]) in text
    assert reverse("portal:feedback", args=[upcoming.pk]) not in text


def test_feedback_before_the_interview_is_refused(alice_client, sent_entry, recruiter):
    interview = schedule(sent_entry, recruiter)
    url = reverse("portal:feedback", args=[interview.pk])
    response = alice_client.post(url, {"feedback": "Great"}, follow=True)
    assert "once the interview has taken place" in response.text
    interview.refresh_from_db()
    assert interview.client_feedback == ""


def test_feedback_after_the_interview_is_stored_and_added_to_the_timeline(
    alice_client, alice, sent_entry, recruiter
):
    interview = schedule(sent_entry, recruiter)
    Interview.objects.filter(pk=interview.pk).update(
        scheduled_at=timezone.now() - timedelta(hours=2)
    )
    url = reverse("portal:feedback", args=[interview.pk])
    assert alice_client.get(url).status_code == 200
    response = alice_client.post(url, {"feedback": "Convincing on Kubernetes."})
    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.client_feedback == "Convincing on Kubernetes."
    assert interview.client_feedback_at is not None
    assert Event.objects.filter(entry=sent_entry, author=alice, note__contains="Kubernetes")


def test_empty_feedback_shows_an_error(alice_client, sent_entry, recruiter):
    interview = schedule(sent_entry, recruiter)
    Interview.objects.filter(pk=interview.pk).update(state=InterviewState.DONE)
    response = alice_client.post(reverse("portal:feedback", args=[interview.pk]), {"feedback": ""})
    assert response.status_code == 200
    assert "Write a few words before sending." in response.text


# --- New demand ---------------------------------------------------------------------------


def test_new_demand_arrives_as_a_draft_for_the_agency(alice_client, alice, client_a, recruiter):
    client_a.owner = recruiter
    client_a.save()
    python = SkillFactory(name="Python")
    response = alice_client.post(
        reverse("portal:new_demand"),
        {
            "title": "Data engineer",
            "description": "Pipelines for our warehouse.",
            "seniority": "senior",
            "budget": "600",
            "start_date": "2030-01-07",
            "duration_months": "6",
            "location": "Lyon",
            "remote_policy": "hybrid",
            "skills": [python.pk],
            "other_skills": "python, Airflow",
        },
    )
    mission = Mission.objects.get(title="Data engineer")
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:mission", args=[mission.pk])
    assert mission.state == MissionState.DRAFT
    assert mission.client == client_a
    assert mission.submitted_by == alice
    assert mission.owner == recruiter
    assert [ms.skill for ms in mission.skills.all()] == [python]
    assert "Airflow" in mission.description
    home = alice_client.get(reverse("portal:home"))
    assert "Draft — waiting for the agency" in home.text
    page = alice_client.get(reverse("portal:mission", args=[mission.pk]))
    assert page.status_code == 200
    assert "Draft — waiting for the agency" in page.text


def test_new_demand_needs_a_title(alice_client):
    response = alice_client.post(reverse("portal:new_demand"), {"seniority": "senior"})
    assert response.status_code == 200
    assert Mission.objects.count() == 0
    assert 'aria-invalid="true"' in response.text


def test_other_clients_draft_is_404(bob_client, alice, client_a):
    draft = services.create_mission(by=alice, client=client_a, submitted_by=alice, title="Draft")
    assert bob_client.get(reverse("portal:mission", args=[draft.pk])).status_code == 404


# --- R3: another company's objects are a 404 ----------------------------------------------


def test_other_client_gets_404_on_every_page_of_alices_mission(
    bob_client, mission_a, sent_entry, recruiter
):
    interview = schedule(sent_entry, recruiter)
    Interview.objects.filter(pk=interview.pk).update(state=InterviewState.DONE)
    urls = [
        reverse("portal:mission", args=[mission_a.pk]),
        reverse("portal:entry", args=[sent_entry.pk]),
        reverse("portal:request_interview", args=[sent_entry.pk]),
        reverse("portal:decline", args=[sent_entry.pk]),
        reverse("portal:select", args=[sent_entry.pk]),
        reverse("portal:feedback", args=[interview.pk]),
        reverse("interviews:ics", args=[interview.pk]),
    ]
    for url in urls:
        assert bob_client.get(url).status_code == 404, url


def test_other_client_posts_on_alices_entries_are_404_and_change_nothing(
    bob_client, sent_entry, recruiter
):
    interview = schedule(sent_entry, recruiter)
    Interview.objects.filter(pk=interview.pk).update(state=InterviewState.DONE)
    posts = [
        (reverse("portal:request_interview", args=[sent_entry.pk]), {"slots": "Monday"}),
        (reverse("portal:decline", args=[sent_entry.pk]), {"reason": FailureCause.OTHER}),
        (reverse("portal:select", args=[sent_entry.pk]), {"note": ""}),
        (reverse("portal:feedback", args=[interview.pk]), {"feedback": "Nope"}),
    ]
    for url, data in posts:
        assert bob_client.post(url, data).status_code == 404, url
    sent_entry.refresh_from_db()
    interview.refresh_from_db()
    assert sent_entry.state == EntryState.INTERVIEWING
    assert interview.client_feedback == ""
    assert sent_entry.mission.state != MissionState.FILLED


def test_other_clients_missions_are_not_listed(bob_client, mission_a, sent_entry):
    response = bob_client.get(reverse("portal:home"))
    assert mission_a.reference not in response.text
    response = bob_client.get(reverse("portal:interviews"))
    assert sent_entry.candidate.client_display_name not in response.text


# --- Query counts -------------------------------------------------------------------------


def _rich_profile(recruiter):
    """A profile with skills, an experience and a project, as the card reads them."""
    candidate = CandidateFactory()
    skill = SkillFactory()
    CandidateSkill.objects.create(candidate=candidate, skill=skill, years=3)
    experience = Experience.objects.create(
        candidate=candidate, company="Acme", role="Developer", start="2020-01-01"
    )
    experience.technologies.add(skill)
    project = Project.objects.create(candidate=candidate, name="Side project", context="personal")
    project.technologies.add(skill)
    return candidate


def test_mission_page_queries_do_not_grow_with_the_shortlist(
    alice_client, mission_a, recruiter, django_assert_max_num_queries
):
    url = reverse("portal:mission", args=[mission_a.pk])
    first = send_profiles(mission_a, [_rich_profile(recruiter)], recruiter)[0]
    schedule(first, recruiter)
    with_one = count_queries(alice_client, url)

    more = send_profiles(mission_a, [_rich_profile(recruiter) for _ in range(3)], recruiter)
    for entry in more:
        schedule(entry, recruiter)
    with_four = count_queries(alice_client, url)
    assert with_one == with_four
    with django_assert_max_num_queries(16):
        alice_client.get(url)


def _one_upcoming_and_one_past_interview(mission, candidates, recruiter):
    upcoming, past = send_profiles(mission, candidates, recruiter)
    schedule(upcoming, recruiter)
    schedule(past, recruiter)
    Interview.objects.filter(entry=past).update(scheduled_at=timezone.now() - timedelta(days=1))


def test_home_and_interview_pages_queries_do_not_grow(
    alice_client, mission_a, client_a, candidates, recruiter
):
    pages = [reverse("portal:home"), reverse("portal:interviews")]
    _one_upcoming_and_one_past_interview(mission_a, candidates[:2], recruiter)
    counts_one = [count_queries(alice_client, url) for url in pages]

    second = MissionFactory(client=client_a, owner=recruiter)
    _one_upcoming_and_one_past_interview(second, candidates[2:4], recruiter)
    _one_upcoming_and_one_past_interview(mission_a, candidates[4:6], recruiter)
    counts_many = [count_queries(alice_client, url) for url in pages]
    assert counts_one == counts_many
