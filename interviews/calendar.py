"""Calendar invitations for an interview (iCalendar, RFC 5545; scheduling, RFC 5546).

One invitation per audience, because an ATTENDEE line carries the person's email address and
every attendee receives the whole attendee list: the client's contacts must not read the
freelancer's address (R3, SPEC §5), and the freelancer has no use for the client's. So the
client's contacts get an invitation listing themselves and the recruiter, the freelancer one
listing the freelancer and the recruiter. Both share the interview's UID and SEQUENCE: each
person's calendar holds one event per interview, which a later REQUEST (higher SEQUENCE)
moves and a CANCEL removes.
"""

import unicodedata
from email.utils import parseaddr

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from interviews.models import INTERVIEW_CAP, InterviewState
from missions.audience import mission_audience

CLIENT = "client"
FREELANCER = "freelancer"


def clean(text):
    """User text fit for one calendar line: control characters (newlines, tabs, bells…)
    become spaces, runs of spaces one. The library escapes and folds the rest."""
    spaced = "".join(" " if unicodedata.category(c) == "Cc" else c for c in text or "")
    return " ".join(spaced.split())


def invited_contacts(interview):
    """The client's contacts invited to an interview: those who hear about its mission."""
    return mission_audience(interview.entry.mission)


def method(interview):
    """iTIP method: a cancelled interview removes the event, any other one places it."""
    return "CANCEL" if interview.state == InterviewState.CANCELLED else "REQUEST"


def invitation(interview, *, audience=CLIENT):
    """The interview as a calendar (text) for `audience` (CLIENT or FREELANCER), in UTC."""
    calendar = Calendar()
    calendar.add("prodid", "-//Staffing desk//Interviews//FR")
    calendar.add("version", "2.0")
    calendar.add("method", method(interview))
    calendar.add_component(_event(interview, audience))
    return calendar.to_ical().decode()


def _event(interview, audience):
    entry = interview.entry
    event = Event()
    event.add("uid", f"interview-{interview.pk}@staffing-desk")
    event.add("sequence", interview.sequence)
    event.add("dtstamp", timezone.now().astimezone(timezone.UTC))
    event.add("dtstart", interview.scheduled_at.astimezone(timezone.UTC))
    event.add("dtend", interview.ends_at.astimezone(timezone.UTC))
    event.add("summary", _summary(interview, audience))
    event.add("location", clean(interview.place or interview.video_link))
    event.add("description", clean(entry.mission.title))
    cancelled = interview.state == InterviewState.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("organizer", _organizer(interview))
    for attendee in _attendees(interview, audience):
        event.add("attendee", attendee)
    return event


def _summary(interview, audience):
    entry = interview.entry
    # The client sees the profile as on its cards (first name, initial); the freelancer, whom.
    other = entry.candidate.client_display_name if audience == CLIENT else entry.mission.client.name
    return clean(f"{entry.mission.reference} — {other} ({interview.number}/{INTERVIEW_CAP})")


def _organizer(interview):
    """The attending recruiter; without one, the agency's own sending address."""
    recruiter = interview.recruiter
    if recruiter and recruiter.email:
        return vCalAddress.new(recruiter.email, cn=_name(recruiter))
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return vCalAddress.new(address, cn=clean(name) or None)


def _attendees(interview, audience):
    if audience == CLIENT:
        invited = [(user.email, _name(user)) for user in invited_contacts(interview)]
    else:
        candidate = interview.entry.candidate
        invited = [(candidate.email, clean(candidate.full_name))] if candidate.email else []
    attendees = [
        vCalAddress.new(
            email,
            cn=name,
            cutype="INDIVIDUAL",
            role="REQ-PARTICIPANT",
            partstat="NEEDS-ACTION",
            rsvp=True,
        )
        for email, name in invited
    ]
    recruiter = interview.recruiter
    if recruiter and recruiter.email:
        # The recruiter leads the interview and organised it: no answer expected.
        attendees.append(
            vCalAddress.new(
                recruiter.email,
                cn=_name(recruiter),
                cutype="INDIVIDUAL",
                role="CHAIR",
                partstat="ACCEPTED",
                rsvp=False,
            )
        )
    return attendees


def _name(user):
    return clean(user.get_full_name()) or user.get_username()
