"""Interview invitations with an .ics calendar file, sent after the write commits."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation

from interviews.models import INTERVIEW_CAP, Interview

logger = logging.getLogger(__name__)


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
    if not to:
        return
    try:
        with translation.override(settings.LANGUAGE_CODE):
            context = {
                "interview": interview,
                "interview_cap": INTERVIEW_CAP,
                "site_url": settings.SITE_URL,
            }
            subject = render_to_string("emails/interview_scheduled_subject.txt", context).strip()
            body = render_to_string("emails/interview_scheduled.txt", context)
        message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, to)
        message.attach("invite.ics", ics_invite(interview), "text/calendar; method=REQUEST")
        message.send()
    except Exception:  # a mail outage must not undo the scheduling
        logger.exception("Interview invitation %s failed", interview_id)
