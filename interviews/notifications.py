"""Interview emails with their calendar invitation, queued inside the change's transaction
(`queue_email` delivers them only if it commits).

Each change sends two emails, one per audience of `interviews.calendar`: the client's contacts
and the attending recruiter get the client's text and invitation (the profile as the client
sees it, no freelancer contact details), the freelancer gets their own. The recruiter is on
the client's email only: one invitation per interview in their calendar.
"""

from django.conf import settings

from interviews import calendar
from interviews.models import INTERVIEW_CAP
from staffing.mail import queue_email, render_email


def interview_scheduled(interview):
    """The invitations to a new interview."""
    _notify(interview, "interview_scheduled")


def interview_rescheduled(interview, previous):
    """The updated invitations (higher SEQUENCE) after a move from `previous`."""
    _notify(interview, "interview_rescheduled", previous=previous)


def interview_cancelled(interview):
    """The cancellations (METHOD:CANCEL), to everyone the interview was sent to."""
    _notify(interview, "interview_cancelled")


def _notify(interview, template, **extra):
    recruiter = interview.recruiter
    client_to = [user.email for user in calendar.invited_contacts(interview)]
    if recruiter and recruiter.email:
        client_to.append(recruiter.email)
    _send(interview, calendar.CLIENT, client_to, f"emails/{template}", extra)
    freelancer_to = [interview.entry.candidate.email]
    _send(interview, calendar.FREELANCER, freelancer_to, f"emails/freelancer_{template}", extra)


def _send(interview, audience, to, template, extra):
    if not any(to):  # e.g. a profile without an email address
        return
    context = {
        "interview": interview,
        "interview_cap": INTERVIEW_CAP,
        "site_url": settings.SITE_URL,
        **extra,
    }
    subject, body = render_email(
        subject_template=f"{template}_subject.txt",
        body_template=f"{template}.txt",
        context=context,
    )
    method = calendar.method(interview)
    invite = (
        "invite.ics",
        calendar.invitation(interview, audience=audience),
        f"text/calendar; method={method}",
    )
    queue_email(to=to, subject=subject, body=body, attachments=[invite])
