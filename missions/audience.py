"""Who hears about a mission: the one place that answers it, for every email sent to a
client about a mission (shortlist sent, follow-up, interview invitations and their changes).

A mission names its client contacts (`MissionContact`): the one who asked for it and those
who follow it. They hear about it, and no other contact of the company does: a CTO does not
want the invitations of every team's hiring. A mission that names nobody reachable (an older
mission, one created before anybody was named, or whose named contacts have all left) falls
back to every contact of the company, as it was before contacts were named: an email to a
few people too many is better than a shortlist nobody hears of.
"""

from missions.models import ClientContact

# Who can read an email about a mission: a login that still works, with an address.
_REACHABLE = {"user__is_active": True}


def mission_audience(mission):
    """The client contacts (users) who hear about `mission`, ordered by name; see above."""
    contacts = (
        ClientContact.objects.filter(client_id=mission.client_id, **_REACHABLE)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    named = [c.user for c in contacts.filter(mission_links__mission_id=mission.pk)]
    return named or [c.user for c in contacts]


def mission_emails(mission):
    """The addresses of `mission_audience(mission)`."""
    return [user.email for user in mission_audience(mission)]
