"""The calendar invitation (.ics) and the email that carries it."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from interviews import services
from interviews.notifications import ics_invite
from missions import services as mission_services
from tests.factories import make_contact

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def entry(mission_a, candidate, recruiter):
    entry = mission_services.shortlist_candidate(
        mission=mission_a, candidate=candidate, by=recruiter
    )
    entry.report = "Strong on Django."
    entry.save(update_fields=["report"])
    mission_services.send_shortlist(mission=mission_a, by=recruiter)
    entry.refresh_from_db()
    return entry


def schedule(entry, by, at, **fields):
    return services.schedule_interview(entry=entry, by=by, scheduled_at=at, **fields)


def ics_fields(text):
    """{name: value} of the invitation's content lines (names are unique in ours)."""
    return dict(line.split(":", 1) for line in text.split("\r\n") if line)


def test_the_invite_is_one_event_in_a_calendar(entry, recruiter):
    interview = schedule(entry, recruiter, datetime(2026, 3, 10, 14, 30, tzinfo=PARIS))

    lines = ics_invite(interview).split("\r\n")

    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-2:] == ["END:VCALENDAR", ""]
    assert lines.count("BEGIN:VEVENT") == 1 and lines.count("END:VEVENT") == 1
    assert "VERSION:2.0" in lines
    assert any(line.startswith("UID:") for line in lines)


@pytest.mark.parametrize(
    ("paris_time", "utc_start", "utc_end"),
    [
        (datetime(2026, 3, 10, 14, 30), "20260310T133000Z", "20260310T151500Z"),  # winter, +1
        (datetime(2026, 7, 10, 14, 30), "20260710T123000Z", "20260710T141500Z"),  # summer, +2
    ],
)
def test_the_invite_gives_start_and_end_in_utc(paris_time, utc_start, utc_end, entry, recruiter):
    interview = schedule(entry, recruiter, paris_time.replace(tzinfo=PARIS), duration_minutes=105)

    fields = ics_fields(ics_invite(interview))

    assert fields["DTSTART"] == utc_start
    assert fields["DTEND"] == utc_end


def test_every_line_of_the_invite_ends_with_crlf(entry, recruiter):
    interview = schedule(
        entry, recruiter, datetime(2026, 3, 10, 14, 30, tzinfo=PARIS), place="Room B"
    )

    text = ics_invite(interview)

    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert "\r" not in text.replace("\r\n", "")


def test_commas_semicolons_and_newlines_are_escaped_in_text_values(entry, recruiter):
    interview = schedule(
        entry,
        recruiter,
        datetime(2026, 3, 10, 14, 30, tzinfo=PARIS),
        place="Tour Part-Dieu, 12e étage; salle B",
    )

    fields = ics_fields(ics_invite(interview))

    assert fields["LOCATION"] == "Tour Part-Dieu\\, 12e étage\\; salle B"


def test_the_invite_names_the_candidate_as_a_client_sees_them(entry, recruiter, candidate):
    interview = schedule(entry, recruiter, datetime(2026, 3, 10, 14, 30, tzinfo=PARIS))

    text = ics_invite(interview)

    assert "Camille L." in text
    assert candidate.last_name not in text, "the client only sees the last-name initial"
    assert candidate.email not in text


def test_the_scheduling_email_carries_the_invite_to_the_client_and_the_recruiter(
    entry, recruiter, alice, bob, client_a, mailoutbox, django_capture_on_commit_callbacks
):
    make_contact("carla", client_a)
    at = datetime(2026, 3, 10, 14, 30, tzinfo=PARIS)

    with django_capture_on_commit_callbacks(execute=True):
        interview = schedule(entry, recruiter, at, recruiter=recruiter)
        assert mailoutbox == [], "nothing is sent before the transaction commits"

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert sorted(email.to) == ["alice@example.com", "carla@example.com", "recruiter@example.com"]
    (filename, content, mimetype), *others = email.attachments
    assert others == []
    assert filename.endswith(".ics")
    assert mimetype.startswith("text/calendar")
    assert ics_fields(content)["UID"] == ics_fields(ics_invite(interview))["UID"]
    assert ics_fields(content)["DTSTART"] == "20260310T133000Z"
