"""The mission page's send button: disabled with the service's own reason, one primary action
per page, and a preview of the client's email before sending."""

import html
import re

import pytest
from django.urls import reverse

from missions import services
from missions.models import EntryState, MissionState
from tests.factories import MissionFactory
from tests.queries import count_queries


@pytest.fixture
def desk(client, recruiter):
    client.force_login(recruiter)
    return client


def positioned(mission, candidate, by, *, report="Solid Django background."):
    entry = services.shortlist_candidate(
        mission=mission, candidate=candidate, by=by, confirm_warnings=True
    )
    entry.report = report
    entry.client_rate = 640
    entry.save()
    return entry


def send_button(body):
    form = re.search(r"<form[^>]*shortlist/send/[^>]*>(.*?)</form>", body, re.S).group(1)
    return re.search(r"<button[^>]*>", form).group(0), html.unescape(form)


def test_the_send_button_is_disabled_with_its_reason_on_a_draft_mission(
    desk, client_a, candidate, recruiter
):
    mission = MissionFactory(client=client_a, state=MissionState.DRAFT)
    positioned(mission, candidate, recruiter)

    body = desk.get(reverse("missions:detail", args=[mission.pk])).content.decode()

    button, form = send_button(body)
    assert "disabled" in button
    assert 'aria-describedby="send-why"' in button
    assert "A shortlist can be sent only on an open mission (now: Draft)." in form


def test_the_send_button_names_the_profiles_without_a_report(desk, mission_a, candidate, recruiter):
    positioned(mission_a, candidate, recruiter, report="")

    button, form = send_button(desk.get(mission_a.get_absolute_url()).content.decode())

    assert "disabled" in button
    assert "Write the report and the rate for the client of: Camille Lefèvre." in form


def test_with_nothing_to_send_the_button_says_so(desk, mission_a):
    button, form = send_button(desk.get(mission_a.get_absolute_url()).content.decode())

    assert "disabled" in button
    assert "Add at least one profile before sending." in form


def test_a_shortlist_ready_to_go_makes_sending_the_one_primary_action(
    desk, mission_a, candidate, recruiter
):
    positioned(mission_a, candidate, recruiter)

    body = desk.get(mission_a.get_absolute_url()).content.decode()

    button, _form = send_button(body)
    assert "disabled" not in button
    assert "btn--primary" in button
    assert len(re.findall(r'class="btn[^"]*btn--primary', body)) == 1


def test_an_open_mission_without_profiles_makes_find_profiles_the_one_primary_action(
    desk, mission_a
):
    body = desk.get(mission_a.get_absolute_url()).content.decode()

    primaries = re.findall(r'<a class="btn[^"]*btn--primary"[^>]*>([^<]*)<', body)
    assert primaries == ["Find profiles"]


def test_the_preview_shows_the_email_the_send_then_delivers(
    desk, mission_a, candidates, recruiter, alice, mailoutbox, django_capture_on_commit_callbacks
):
    for candidate in candidates[:2]:
        positioned(mission_a, candidate, recruiter)

    preview = html.unescape(
        desk.get(reverse("missions:shortlist_preview", args=[mission_a.pk])).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(reverse("missions:shortlist_send", args=[mission_a.pk]))

    sent = mailoutbox[0]
    assert sent.subject in preview
    assert sent.body.strip() in preview
    assert "alice@example.com" in preview
    assert f"{mission_a.title}: 2 new profiles to review" in preview


def test_the_preview_of_a_draft_mission_shows_why_it_cannot_be_sent(
    desk, client_a, candidate, recruiter
):
    mission = MissionFactory(client=client_a, state=MissionState.DRAFT)
    positioned(mission, candidate, recruiter)

    body = desk.get(reverse("missions:shortlist_preview", args=[mission.pk])).content.decode()

    button, form = send_button(body)
    assert "disabled" in button
    assert "A shortlist can be sent only on an open mission (now: Draft)." in form
    assert mission.shortlist.get().state == EntryState.PROPOSED


def test_the_preview_answers_in_the_same_number_of_queries_for_one_or_four_profiles(
    desk, mission_a, candidates, recruiter
):
    url = reverse("missions:shortlist_preview", args=[mission_a.pk])
    positioned(mission_a, candidates[0], recruiter)
    one = count_queries(desk, url)
    for candidate in candidates[1:4]:
        positioned(mission_a, candidate, recruiter)

    assert count_queries(desk, url) == one
