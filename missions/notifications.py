"""Emails about missions and shortlists, queued in the transaction of the change."""

from django.urls import reverse

from staffing import access
from staffing.mail import absolute_url, queue_email, render_email


def _send(*, subject_template, body_template, context, to):
    subject, body = render_email(
        subject_template=subject_template, body_template=body_template, context=context
    )
    queue_email(to=to, subject=subject, body=body)


def shortlist_sent_email(mission, count):
    """(subject, body, recipients) of the email that tells the client `count` profiles wait in
    the portal: what the send queues and what the mission page previews before sending."""
    context = {
        "mission": mission,
        "count": count,
        "url": absolute_url(reverse("portal:mission", args=[mission.pk])),
    }
    subject, body = render_email(
        subject_template="emails/shortlist_sent_subject.txt",
        body_template="emails/shortlist_sent.txt",
        context=context,
    )
    return subject, body, client_emails(mission.client)


def shortlist_sent(mission_id, entry_ids):
    """Tell every contact of the client that profiles wait for them in the portal."""
    from missions.models import Mission

    mission = Mission.objects.select_related("client").get(pk=mission_id)
    subject, body, to = shortlist_sent_email(mission, len(entry_ids))
    queue_email(to=to, subject=subject, body=body)


def client_answered(entry_id):
    """Tell the mission's recruiter what the client answered on a profile."""
    from missions.models import ShortlistEntry

    entry = ShortlistEntry.objects.select_related("mission__owner", "candidate").get(pk=entry_id)
    owner = entry.mission.owner
    context = {
        "entry": entry,
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
    """Remind every contact of the client that sent profiles wait for their answer."""
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
        to=client_emails(mission.client),
    )


def client_emails(client):
    """The addresses of the client's contacts who can log in to the portal."""
    contacts = client.contacts.select_related("user").filter(user__is_active=True)
    return [c.user.email for c in contacts if c.user.email]


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
