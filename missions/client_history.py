"""A client's history of turned-down profiles, read in one aggregate query for its matching.

A profile was turned down when its entry was declined by the client or not retained, or
when one of its interviews ended in a no-go. Its causes are the entry's reason and the
causes observed in its no-go interviews; each profile counts once per cause, however many
interviews it had. (Interviews are reached through the entries' reverse relation: this app
does not import `interviews`.)
"""

from django.db.models import Count, Min, Q

from candidates.client_history import ClientHistory
from missions.models import EntryState, FailureCause, ShortlistEntry

NO_GO = "no_go"  # interviews.models.Verdict.NO_GO, named here without importing it
ENDED_BY_CLIENT = Q(state__in=[EntryState.DECLINED, EntryState.NOT_RETAINED])
NO_GO_INTERVIEW = Q(interviews__verdict=NO_GO)


def _cited(cause):
    return (ENDED_BY_CLIENT & Q(end_reason=cause)) | Q(
        interviews__verdict=NO_GO, interviews__causes__cause=cause
    )


def client_history(client):
    """The `ClientHistory` of `client`, from every mission of its own (one query)."""
    counts = {
        cause: Count("pk", filter=_cited(cause), distinct=True) for cause in FailureCause.values
    }
    row = ShortlistEntry.objects.filter(mission__client=client).aggregate(
        turned_down=Count("pk", filter=ENDED_BY_CLIENT | NO_GO_INTERVIEW, distinct=True),
        lowest_refused_rate=Min("candidate_rate", filter=_cited(FailureCause.RATE_TOO_HIGH)),
        **counts,
    )
    if not row["turned_down"]:
        return None
    return ClientHistory(
        turned_down=row["turned_down"],
        by_cause={cause: row[cause] for cause in FailureCause.values if row[cause]},
        lowest_refused_rate=row["lowest_refused_rate"],
    )
