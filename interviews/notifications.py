"""Interview invitations with an .ics calendar file, sent after the write commits."""

from django.conf import settings
from django.utils import timezone

from interviews.models import INTERVIEW_CAP, Interview
from staffing.mail import queue_email, render_email


def _ics_text(value):
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def ics_invite(interview):
    """An iCalendar (RFC 5545) event for the interview, in UTC."""
    fmt = "%Y%m%dT%H%M%SZ"
    start = interview.scheduled_at.astimezone(timezone.UTC)
    end = interview.ends_at.astimezone(timezone.UTC)
    entry = interview.entry
    who = entry.candidate.client_display_name
    summary = f"{entry.mission.reference} — {who} ({interview.number}/{INTERVIEW_CAP})"
    location = interview.place or interview.video_link
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Staffing desk//Interviews//FR",
        "METHOD:REQUEST",
        "BEGIN:VEVENT",
        f"UID:interview-{interview.pk}@staffing-desk",
        f"DTSTAMP:{timezone.now().astimezone(timezone.UTC).strftime(fmt)}",
        f"DTSTART:{start.strftime(fmt)}",
        f"DTEND:{end.strftime(fmt)}",
        f"SUMMARY:{_ics_text(summary)}",
        f"LOCATION:{_ics_text(location)}",
        f"DESCRIPTION:{_ics_text(entry.mission.title)}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"


def interview_scheduled(interview_id):
    interview = Interview.objects.select_related(
        "entry__mission__client", "entry__candidate", "recruiter"
    ).get(pk=interview_id)
    client = interview.entry.mission.client
    contacts = client.contacts.select_related("user").filter(user__is_active=True)
    to = [c.user.email for c in contacts if c.user.email]
    if interview.recruiter and interview.recruiter.email:
        to.append(interview.recruiter.email)
    context = {
        "interview": interview,
        "interview_cap": INTERVIEW_CAP,
        "site_url": settings.SITE_URL,
    }
    subject, body = render_email(
        subject_template="emails/interview_scheduled_subject.txt",
        body_template="emails/interview_scheduled.txt",
        context=context,
    )
    invite = ("invite.ics", ics_invite(interview), "text/calendar; method=REQUEST")
    queue_email(to=to, subject=subject, body=body, attachments=[invite])
