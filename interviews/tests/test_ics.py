"""The calendar invitation (.ics): what a calendar reads from it, parsed back with icalendar."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from interviews import services
from interviews.calendar import CLIENT, FREELANCER, invitation
from missions import services as mission_services
from tests.factories import make_contact

PARIS = ZoneInfo("Europe/Paris")
AT = datetime(2026, 3, 10, 14, 30, tzinfo=PARIS)


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


def schedule(entry, by, at=AT, **fields):
    return services.schedule_interview(entry=entry, by=by, scheduled_at=at, **fields)


def parse(text):
    """(calendar, its one event) as a calendar application reads them."""
    calendar = Calendar.from_ical(text)
    [event] = calendar.walk("VEVENT")
    return calendar, event


def attendees(event):
    """{email: (CN, ROLE, PARTSTAT, RSVP)} of the event's attendees."""
    return {
        a.email: (a.params["CN"], a.params["ROLE"], a.params["PARTSTAT"], a.params["RSVP"])
        for a in event.get("ATTENDEE", [])
    }


def test_the_invite_is_one_event_in_a_calendar_that_requests_a_place(entry, recruiter):
    interview = schedule(entry, recruiter)

    calendar, event = parse(invitation(interview))

    assert calendar["VERSION"] == "2.0"
    assert calendar["METHOD"] == "REQUEST"
    assert event["STATUS"] == "CONFIRMED"
    assert event["UID"] == f"interview-{interview.pk}@staffing-desk"
    assert event["SEQUENCE"] == 0
    assert event["DTSTAMP"].dt.tzinfo is not None


@pytest.mark.parametrize(
    ("paris_time", "utc_start", "utc_end"),
    [
        (datetime(2026, 3, 10, 14, 30), "20260310T133000Z", "20260310T151500Z"),  # winter, +1
        (datetime(2026, 7, 10, 14, 30), "20260710T123000Z", "20260710T141500Z"),  # summer, +2
    ],
)
def test_the_invite_gives_start_and_end_in_utc(paris_time, utc_start, utc_end, entry, recruiter):
    interview = schedule(entry, recruiter, paris_time.replace(tzinfo=PARIS), duration_minutes=105)

    text = invitation(interview)

    assert f"\r\nDTSTART:{utc_start}\r\n" in text
    assert f"\r\nDTEND:{utc_end}\r\n" in text
    _, event = parse(text)
    assert event["DTSTART"].dt == paris_time.replace(tzinfo=PARIS).astimezone(UTC)


def test_the_organizer_is_the_attending_recruiter(entry, recruiter):
    interview = schedule(entry, recruiter, recruiter=recruiter)

    for audience in (CLIENT, FREELANCER):
        _, event = parse(invitation(interview, audience=audience))
        assert event["ORGANIZER"] == "mailto:recruiter@example.com"
        assert event["ORGANIZER"].params["CN"] == "Élodie Martin"


def test_without_an_attending_recruiter_the_agency_organizes(entry, recruiter, settings):
    settings.DEFAULT_FROM_EMAIL = "Staffing desk <desk@agency.test>"
    interview = schedule(entry, recruiter)

    _, event = parse(invitation(interview))

    assert event["ORGANIZER"] == "mailto:desk@agency.test"
    assert event["ORGANIZER"].params["CN"] == "Staffing desk"


def test_the_client_invitation_invites_the_client_contacts_and_the_recruiter(
    entry, recruiter, alice, client_a
):
    make_contact("carla", client_a, first_name="Carla", last_name="Rossi")
    interview = schedule(entry, recruiter, recruiter=recruiter)

    _, event = parse(invitation(interview, audience=CLIENT))

    assert attendees(event) == {
        "alice@example.com": ("Alice Moreau", "REQ-PARTICIPANT", "NEEDS-ACTION", "TRUE"),
        "carla@example.com": ("Carla Rossi", "REQ-PARTICIPANT", "NEEDS-ACTION", "TRUE"),
        "recruiter@example.com": ("Élodie Martin", "CHAIR", "ACCEPTED", "FALSE"),
    }


def test_the_freelancer_invitation_invites_the_freelancer_and_the_recruiter(
    entry, recruiter, alice, candidate
):
    interview = schedule(entry, recruiter, recruiter=recruiter)

    _, event = parse(invitation(interview, audience=FREELANCER))

    assert attendees(event) == {
        candidate.email: ("Camille Lefèvre", "REQ-PARTICIPANT", "NEEDS-ACTION", "TRUE"),
        "recruiter@example.com": ("Élodie Martin", "CHAIR", "ACCEPTED", "FALSE"),
    }


def test_the_client_invitation_holds_no_contact_details_of_the_freelancer(
    entry, recruiter, alice, candidate
):
    interview = schedule(entry, recruiter, recruiter=recruiter, place="Room B")

    text = invitation(interview, audience=CLIENT)

    assert candidate.email not in text
    assert candidate.phone not in text
    assert "06 12 34 56 78" not in text
    assert candidate.last_name not in text, "the client only sees the last-name initial"
    assert "Camille L." in str(parse(text)[1]["SUMMARY"])


def test_the_summary_says_interview_n_of_the_cap_to_each_audience(entry, recruiter, client_a):
    interview = schedule(entry, recruiter)
    reference = entry.mission.reference

    _, client_event = parse(invitation(interview, audience=CLIENT))
    _, freelancer_event = parse(invitation(interview, audience=FREELANCER))

    assert client_event["SUMMARY"] == f"{reference} — Camille L. (1/3)"
    assert freelancer_event["SUMMARY"] == f"{reference} — Transalp Logistique (1/3)"


def test_commas_and_semicolons_in_a_place_survive_the_round_trip(entry, recruiter):
    place = "Tour Part-Dieu, 12e étage; salle B"
    interview = schedule(entry, recruiter, place=place)

    text = invitation(interview)

    assert "LOCATION:Tour Part-Dieu\\, 12e étage\\; salle B\r\n" in text
    assert parse(text)[1]["LOCATION"] == place


def test_control_characters_in_user_text_do_not_break_the_file(entry, recruiter):
    mission = entry.mission
    mission.title = "Lead dev\r\nBEGIN:VEVENT\x07\x1b[31m" + " très long titre" * 5
    mission.save(update_fields=["title"])
    interview = schedule(entry, recruiter, place="Salle\tB\nEND:VCALENDAR\x0b")

    text = invitation(interview)

    assert not any(c in text.replace("\r\n", "") for c in "\r\n\t\x0b\x07\x1b")
    calendar, event = parse(text)
    assert len(calendar.walk("VEVENT")) == 1
    assert event["LOCATION"] == "Salle B END:VCALENDAR"
    assert str(event["DESCRIPTION"]).startswith("Lead dev BEGIN:VEVENT [31m très long titre")


def test_every_line_is_folded_to_75_octets_and_ends_with_crlf(entry, recruiter, client_a):
    make_contact("dominique", client_a, first_name="Dominique-Alexandra", last_name="É" * 40)
    mission = entry.mission
    mission.title = "Développeur·se Django / PostgreSQL — refonte du back-office " * 2
    mission.save(update_fields=["title"])
    interview = schedule(entry, recruiter, recruiter=recruiter, place="Étage " * 30)

    for audience in (CLIENT, FREELANCER):
        octets = invitation(interview, audience=audience).encode()
        assert octets.endswith(b"\r\n")
        lines = octets.split(b"\r\n")[:-1]
        assert max(len(line) for line in lines) <= 75
        assert any(line.startswith(b" ") for line in lines), "long values are folded"
        assert b"\n" not in octets.replace(b"\r\n", b"")
