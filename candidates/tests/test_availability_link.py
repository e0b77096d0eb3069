"""The freelancer's availability: the stale reminder and the signed link that needs no login."""

import time
from datetime import date, datetime, timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from candidates.availability_link import make_token
from candidates.models import Candidate
from candidates.reminders import remind_stale_availability
from missions import services
from missions.models import Event

TODAY = date(2026, 3, 6)
NOW = timezone.make_aware(datetime(2026, 3, 6, 10, 0))


def link(candidate):
    return reverse("candidates:availability_link", args=[make_token(candidate)])


def remind(now, capture):
    with capture(execute=True):
        return remind_stale_availability(now=now)


def test_a_freelancer_unconfirmed_for_three_weeks_gets_one_email_with_the_link(
    candidate, mailoutbox, django_capture_on_commit_callbacks
):
    Candidate.objects.filter(pk=candidate.pk).update(availability_confirmed_on=date(2026, 2, 13))
    assert remind(NOW, django_capture_on_commit_callbacks) == 0  # exactly 3 weeks: not yet

    assert remind(NOW + timedelta(days=1), django_capture_on_commit_callbacks) == 1
    assert remind(NOW + timedelta(days=8), django_capture_on_commit_callbacks) == 0

    assert [m.to for m in mailoutbox] == [[candidate.email]]
    assert "/profiles/availability/" in mailoutbox[0].body


def test_a_new_stale_stretch_after_a_confirmation_is_reminded_again(
    candidate, mailoutbox, django_capture_on_commit_callbacks
):
    Candidate.objects.filter(pk=candidate.pk).update(availability_confirmed_on=date(2026, 1, 1))
    remind(NOW, django_capture_on_commit_callbacks)
    Candidate.objects.filter(pk=candidate.pk).update(availability_confirmed_on=TODAY)
    assert remind(NOW + timedelta(weeks=3), django_capture_on_commit_callbacks) == 0
    assert remind(NOW + timedelta(weeks=3, days=1), django_capture_on_commit_callbacks) == 1
    assert len(mailoutbox) == 2


def test_archived_profiles_and_profiles_without_email_are_not_reminded(
    candidate, mailoutbox, django_capture_on_commit_callbacks
):
    Candidate.objects.filter(pk=candidate.pk).update(
        availability_confirmed_on=date(2026, 1, 1), email=""
    )
    assert remind(NOW, django_capture_on_commit_callbacks) == 0


def test_the_link_opens_the_page_without_a_login(client, candidate):
    response = client.get(link(candidate))
    assert response.status_code == 200
    assert response.context["valid_link"] is True
    assert candidate.first_name in response.content.decode()


def test_confirming_through_the_link_updates_the_profile_and_the_processes_timeline(
    client, candidate, mission_a, recruiter
):
    entry = services.shortlist_candidate(
        mission=mission_a, candidate=candidate, by=recruiter, confirm_warnings=True
    )
    new_date = timezone.localdate() + timedelta(days=20)
    response = client.post(link(candidate), {"available_from": new_date.isoformat()})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.available_from == new_date
    assert candidate.availability_confirmed_on == timezone.localdate()
    event = Event.objects.filter(entry=entry).first()
    assert "changed their availability" in event.message
    assert event.author is None


def test_a_date_in_the_past_is_refused_with_a_form_error(client, candidate):
    before = candidate.available_from
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(link(candidate), {"available_from": yesterday.isoformat()})
    assert response.status_code == 200
    assert "in the past" in response.context["form"].errors["available_from"][0]
    candidate.refresh_from_db()
    assert candidate.available_from == before


@pytest.mark.parametrize("value", ["", "31/02/2026", "not a date"])
def test_a_missing_or_malformed_date_is_a_form_error(client, candidate, value):
    response = client.post(link(candidate), {"available_from": value})
    assert response.status_code == 200
    assert response.context["form"].errors["available_from"]


def test_a_date_years_ahead_is_refused(client, candidate):
    far = timezone.localdate() + timedelta(days=3 * 365)
    response = client.post(link(candidate), {"available_from": far.isoformat()})
    assert response.context["form"].errors["available_from"]


def invalid_page(client, token):
    response = client.get(reverse("candidates:availability_link", args=[token]))
    assert response.status_code == 200
    assert response.context["valid_link"] is False
    return response


def token_made_days_ago(candidate, days, monkeypatch):
    then = time.time() - days * 24 * 3600
    monkeypatch.setattr(time, "time", lambda: then)
    token = make_token(candidate)
    monkeypatch.undo()
    return token


def test_an_expired_link_shows_the_plain_invalid_page(client, candidate, monkeypatch):
    valid = client.get(link_for(token_made_days_ago(candidate, 13, monkeypatch)))
    assert valid.context["valid_link"] is True
    invalid_page(client, token_made_days_ago(candidate, 15, monkeypatch))


def link_for(token):
    return reverse("candidates:availability_link", args=[token])


def test_a_tampered_link_shows_the_plain_invalid_page(client, candidate):
    other = Candidate.objects.exclude(pk=candidate.pk).first()
    token = make_token(candidate)
    value, stamp, signature = token.split(":")
    invalid_page(client, f"{other.pk if other else value + '1'}:{stamp}:{signature}")
    invalid_page(client, token[:-2])
    invalid_page(client, "garbage")


def test_a_signature_made_for_another_purpose_does_not_open_the_page(client, candidate):
    token = signing.TimestampSigner(salt="another.purpose").sign(str(candidate.pk))
    invalid_page(client, token)


def test_an_archived_profile_link_no_longer_works(client, candidate):
    token = make_token(candidate)
    Candidate.objects.filter(pk=candidate.pk).update(archived_at=timezone.now())
    invalid_page(client, token)
