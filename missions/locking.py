"""The one place that takes row locks, always in one order:

    client → mission → shortlist entry → interview → profile

Two writers that follow one order can queue behind each other but never wait on each other
in a circle, so PostgreSQL never has to break a deadlock (and the user never gets a 500).
Every service that checks a rule against rows others may change (a cap, a transition, a
placement) takes its locks here first, inside its transaction, then reads and checks.
Nothing else in the code calls `select_for_update`, but for the email outbox
(`staffing.mail`): its delivery locks one outbox row alone, in a transaction that takes no
other lock, so that row stays outside this order and cannot close a circle with it.

On SQLite `select_for_update` does nothing; there the settings make every transaction take
the write lock when it begins (`transaction_mode: IMMEDIATE`), which serialises writers.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from candidates.models import Candidate
from missions.models import Client, EntryState, Mission, ShortlistEntry

# of=("self",): lock the rows of this table only, never those of a table joined by
# select_related, which would be taken outside the order above.
# no_key=True (FOR NO KEY UPDATE): the services change these rows but never their keys, and
# this lock lets other transactions insert rows that refer to them (a timeline event, an
# interview) — a plain FOR UPDATE would make those inserts wait for it, outside the order.
LOCK = {"of": ("self",), "no_key": True}


def _locked(queryset, pk):
    return queryset.select_for_update(**LOCK).get(pk=pk)


def lock_client(client):
    """The client's row, re-read: first in the order."""
    return _locked(Client.objects, client.pk)


def lock_mission(mission):
    """The mission's row, re-read. A second writer on the same mission waits here until the
    first commits, so what it counts afterwards are committed rows."""
    return _locked(Mission.objects, mission.pk)


def lock_entry(entry):
    """An entry re-read for a write, its mission locked first (and attached to it).

    A draft entry can be deleted (taken off the shortlist) while another request waits on
    the mission: that one gets a refusal, not a server error.
    """
    mission = _locked(Mission.objects, entry.mission_id)
    try:
        entry = _locked(ShortlistEntry.objects.select_related("candidate"), entry.pk)
    except ShortlistEntry.DoesNotExist:
        raise ValidationError(
            _("This profile is no longer on the shortlist."), code="entry_gone"
        ) from None
    entry.mission = mission
    return entry


def lock_entries(mission, queryset):
    """The entries of an already locked mission that `queryset` selects, locked in primary
    key order (one order among entries too), each with the locked mission attached."""
    entries = list(
        queryset.filter(mission=mission)
        .select_related("candidate")
        .select_for_update(**LOCK)
        .order_by("pk")
    )
    for entry in entries:
        entry.mission = mission
    return entries


def lock_interview(interview):
    """An interview re-read for a write: its mission, then its entry, then itself.

    Reached through the entry's reverse relation, so this module does not import the
    `interviews` app (which sits above `missions`).
    """
    entry = lock_entry(ShortlistEntry.objects.only("pk", "mission_id").get(interviews=interview))
    interview = _locked(entry.interviews.all(), interview.pk)
    interview.entry = entry
    return interview


def lock_interviews(entry, queryset):
    """The interviews of an already locked entry that `queryset` selects, in primary key
    order, each with the locked entry attached."""
    interviews = list(queryset.filter(entry=entry).select_for_update(**LOCK).order_by("pk"))
    for interview in interviews:
        interview.entry = entry
    return interviews


def lock_profile(candidate):
    """A freelance profile's row, last in the order: R6 (one placement at a time) serialises
    two selections of the same profile on two missions here, after each has locked its own
    mission and entry."""
    return _locked(Candidate.objects, candidate.pk)


def lock_profiles(ids):
    """Several profiles' rows, in the order of their ids, last in the order (the insights'
    rollups of the profiles positioned on a mission, after its client)."""
    return list(Candidate.objects.filter(pk__in=ids).order_by("pk").select_for_update(**LOCK))


def lock_placement(mission):
    """A mission, its selected entry (a filled mission has one) and that entry's profile,
    locked in the order above: what a change of the mission's period is checked against
    (R6), so no selection of the same profile elsewhere slips in between.

    Returns the locked mission and its locked selected entries."""
    mission = lock_mission(mission)
    placements = lock_entries(mission, ShortlistEntry.objects.filter(state=EntryState.SELECTED))
    for entry in placements:
        lock_profile(entry.candidate)
    return mission, placements
