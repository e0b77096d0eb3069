"""The dashboard's counts say what needs doing ("1 without any profile"), and the side
navigation shows how many missions, profiles, clients and interviews there are."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from insights import context_processors
from interviews.services import schedule_interview
from missions import services
from missions.models import MissionState, ShortlistEntry
from tests.factories import CandidateFactory, ClientFactory, MissionFactory
from tests.queries import count_queries


@pytest.fixture
def desk(client, recruiter):
    client.force_login(recruiter)
    return client


def sent(mission, candidate, by):
    entry = services.shortlist_candidate(
        mission=mission, candidate=candidate, by=by, confirm_warnings=True
    )
    entry.report = "Solid background."
    entry.client_rate = 640
    entry.save()
    services.send_shortlist(mission=mission, by=by)
    return entry


def stat_card(body, state_label):
    """The text of the counter card of one mission state."""
    for card in re.findall(r'<a class="stat".*?</a>', body, re.S):
        if f">{state_label}</span>" in card:
            return re.sub(r"<[^>]+>", " ", card).split()
    raise AssertionError(f"no card for {state_label}")


def test_the_open_card_counts_missions_without_any_profile(desk, client_a, recruiter, candidate):
    MissionFactory(client=client_a, state=MissionState.OPEN)
    MissionFactory(client=client_a, state=MissionState.OPEN)
    with_profile = MissionFactory(client=client_a, state=MissionState.OPEN)
    services.shortlist_candidate(mission=with_profile, candidate=candidate, by=recruiter)

    body = desk.get(reverse("missions:dashboard")).content.decode()

    assert stat_card(body, "Open") == ["Open", "3", "2", "without", "any", "profile"]


def test_the_draft_card_counts_the_demands_from_the_portal(desk, client_a, alice, recruiter):
    MissionFactory(client=client_a, state=MissionState.DRAFT, submitted_by=alice)
    MissionFactory(client=client_a, state=MissionState.DRAFT)

    body = desk.get(reverse("missions:dashboard")).content.decode()

    assert stat_card(body, "Draft") == ["Draft", "2", "1", "demand", "from", "the", "portal"]


def test_the_shortlist_sent_card_counts_missions_waiting_past_the_follow_up_date(
    desk, client_a, candidates, recruiter
):
    late = MissionFactory(client=client_a, state=MissionState.OPEN)
    entry = sent(late, candidates[0], recruiter)
    ShortlistEntry.objects.filter(pk=entry.pk).update(sent_at=timezone.now() - timedelta(days=20))
    sent(MissionFactory(client=client_a, state=MissionState.OPEN), candidates[1], recruiter)

    body = desk.get(reverse("missions:dashboard")).content.decode()

    assert stat_card(body, "Shortlist sent")[-6:] == [
        "1",
        "waiting",
        "past",
        "the",
        "follow-up",
        "date",
    ]


def test_the_interviewing_card_counts_the_interviews_planned(desk, mission_a, candidate, recruiter):
    entry = sent(mission_a, candidate, recruiter)
    schedule_interview(entry=entry, by=recruiter, scheduled_at=timezone.now() + timedelta(days=2))

    body = desk.get(reverse("missions:dashboard")).content.decode()

    assert stat_card(body, "Interviewing") == ["Interviewing", "1", "1", "interview", "planned"]


def test_a_card_with_nothing_to_say_has_no_caption(desk, client_a):
    MissionFactory(client=client_a, state=MissionState.OPEN)
    MissionFactory(client=client_a, state=MissionState.DRAFT)

    body = desk.get(reverse("missions:dashboard")).content.decode()

    assert stat_card(body, "Draft") == ["Draft", "1"]


def nav_counts(body):
    nav = re.search(r'<nav class="nav".*?</nav>', body, re.S).group(0)
    return {
        label: count.replace("\xa0", " ").replace(",", " ")
        for label, count in re.findall(r'>(\w+) <span class="count">([\d,\s\xa0]+\+?)<', nav)
    }


def test_the_side_navigation_shows_the_counts(desk, client_a, recruiter, mission_a, candidate):
    MissionFactory(client=client_a, state=MissionState.FILLED)
    MissionFactory(client=client_a, state=MissionState.OPEN, archived_at=timezone.now())
    ClientFactory(name="Dormant", is_active=False)
    CandidateFactory(archived_at=timezone.now())
    entry = sent(mission_a, candidate, recruiter)
    schedule_interview(entry=entry, by=recruiter, scheduled_at=timezone.now() + timedelta(days=1))

    body = desk.get(reverse("candidates:list")).content.decode()

    assert nav_counts(body) == {"Missions": "1", "Profiles": "1", "Clients": "1", "Interviews": "1"}


def test_the_navigation_counts_stop_at_the_cap_and_say_there_are_more(
    desk, client_a, recruiter, mission_a, candidate, monkeypatch
):
    monkeypatch.setattr(context_processors, "NAV_COUNT_CAP", 2)
    CandidateFactory.create_batch(2)
    MissionFactory(client=client_a)

    for url in (reverse("candidates:list"), reverse("missions:dashboard")):
        counts = nav_counts(desk.get(url).content.decode())

        assert counts["Profiles"] == "2+"
        assert counts["Missions"] == "2"


def test_the_navigation_counts_cost_one_query_whatever_the_data(desk, client_a, recruiter):
    url = reverse("interviews:list")
    small = count_queries(desk, url)
    for _ in range(5):
        ClientFactory()
        MissionFactory(client=client_a)
    CandidateFactory.create_batch(5)

    assert count_queries(desk, url) == small


def test_the_portal_does_not_count_the_desk(client, alice):
    client.force_login(alice)

    body = client.get(reverse("portal:home")).content.decode()

    assert 'class="count"' not in body
