"""Emails about missions and shortlists, queued in the transaction of the change."""

from django.urls import reverse

from missions.audience import mission_emails
from staffing import access
from staffing.mail import absolute_url, queue_email, render_email


def _send(*, subject_template, body_template, context, to):
    subject, body = render_email(
        subject_template=subject_template, body_template=body_template, context=context
    )
    queue_email(to=to, subject=subject, body=body)


def shortlist_sent_email(mission, entries):
    """(subject, body, recipients) of the email that tells the mission's contacts that
    `entries` wait in the portal: what the send queues and what the mission page previews."""
    context = {
        "mission": mission,
        "count": len(entries),
        "url": absolute_url(reverse("portal:mission", args=[mission.pk])),
        # What a client may read of each profile (SPEC §5), and its skills dossier: a portal
        # address, so the PDF is given only to a contact who logs in.
        "profiles": [
            {
                "name": entry.candidate.client_display_name,
                "headline": entry.candidate.headline,
                "dossier_url": absolute_url(reverse("portal:dossier", args=[entry.pk])),
            }
            for entry in entries
        ],
    }
    subject, body = render_email(
        subject_template="emails/shortlist_sent_subject.txt",
        body_template="emails/shortlist_sent.txt",
        context=context,
    )
    return subject, body, mission_emails(mission)


def shortlist_sent(mission_id, entry_ids):
    """Tell the mission's contacts that profiles wait for them in the portal."""
    from missions.models import Mission, ShortlistEntry

    mission = Mission.objects.select_related("client").get(pk=mission_id)
    entries = (
        ShortlistEntry.objects.filter(pk__in=entry_ids)
        .select_related("candidate")
        .order_by("position", "pk")
    )
    subject, body, to = shortlist_sent_email(mission, list(entries))
    queue_email(to=to, subject=subject, body=body)


def client_answered(entry_id, *, follow_up_number=None, interview_cap=None):
    """Tell the mission's recruiter what the client answered on a profile; with
    `follow_up_number`, that the client asks for that follow-up interview."""
    from missions.models import ShortlistEntry

    entry = ShortlistEntry.objects.select_related("mission__owner", "candidate").get(pk=entry_id)
    owner = entry.mission.owner
    context = {
        "entry": entry,
        "follow_up_number": follow_up_number,
        "interview_cap": interview_cap,
        "url": absolute_url(reverse("missions:detail", args=[entry.mission_id])),
    }
    _send(
        subject_template="emails/client_answered_subject.txt",
        body_template="emails/client_answered.txt",
        context=context,
        to=[owner.email] if owner and owner.email else [],
    )


def candidate_selected(entry_id):
    """Tell the recruiters of the placed profile's other active processes (R6)."""
    from missions.models import ShortlistEntry

    entry = ShortlistEntry.objects.select_related("mission", "candidate").get(pk=entry_id)
    others = (
        ShortlistEntry.objects.active()
        .filter(candidate=entry.candidate)
        .exclude(pk=entry.pk)
        .select_related("mission__owner")
    )
    recipients = sorted(
        {o.mission.owner.email for o in others if o.mission.owner_id and o.mission.owner.email}
    )
    _send(
        subject_template="emails/candidate_placed_subject.txt",
        body_template="emails/candidate_placed.txt",
        context={"entry": entry, "others": others},
        to=recipients,
    )


def client_follow_up(mission_id):
    """Remind the mission's contacts that sent profiles wait for their answer."""
    from missions.models import EntryState, Mission

    mission = Mission.objects.select_related("client", "owner").get(pk=mission_id)
    entries = mission.shortlist.filter(state=EntryState.SENT).select_related("candidate")
    context = {
        "mission": mission,
        "entries": list(entries.order_by("sent_at", "pk")),
        "recruiter": mission.owner,
        "url": absolute_url(reverse("portal:mission", args=[mission.pk])),
    }
    _send(
        subject_template="emails/client_follow_up_subject.txt",
        body_template="emails/client_follow_up.txt",
        context=context,
        to=mission_emails(mission),
    )


def demand_submitted(mission_id):
    """Tell the recruiters that a client submitted a demand: a draft mission to qualify."""
    from missions.models import Mission

    mission = Mission.objects.select_related("client", "submitted_by").get(pk=mission_id)
    context = {
        "mission": mission,
        "url": absolute_url(reverse("missions:detail", args=[mission.pk])),
    }
    _send(
        subject_template="emails/demand_submitted_subject.txt",
        body_template="emails/demand_submitted.txt",
        context=context,
        to=sorted({user.email for user in access.recruiters() if user.email}),
    )
