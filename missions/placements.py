"""Placements (R6): a profile is placed by its selected shortlist entry, for the period of
that entry's mission (see `missions.periods`). Every page that shows whether a profile is
free reads it from here; the rule itself is checked on `Placement` rows, whose dates may
move away from the mission's (an extension, an early end)."""

from missions.models import EntryState, Placement, ShortlistEntry
from missions.periods import Period


def placed_period(entry):
    """The dates a selected entry places its profile for: its placement's (extended or ended
    early since) when loaded with the entry (`select_related("placement")`), else its
    mission's period."""
    placement = None
    if ShortlistEntry.placement.is_cached(entry):
        try:
            placement = entry.placement
        except Placement.DoesNotExist:  # loaded, and none: selected without the service
            pass
    return placement.period if placement is not None else entry.mission.period


def current_placement(entries, *, today, during=None, excluding_mission=None):
    """Among `entries` (their missions loaded), the selected one whose placement has not
    ended by `today` and overlaps the period `during` (when given), if any; the latest
    starting one when several qualify. An entry on `excluding_mission` is left out."""
    still_running = Period.from_day(today)
    placements = [
        entry
        for entry in entries
        if entry.state == EntryState.SELECTED
        and entry.mission_id != getattr(excluding_mission, "pk", None)
        and placed_period(entry).overlaps(still_running)
        and (during is None or placed_period(entry).overlaps(during))
    ]
    return max(placements, key=lambda e: placed_period(e).start or today, default=None)


def selected_entries(candidate_ids):
    """The selected entries of the given profiles, with what `current_placement` reads."""
    return ShortlistEntry.objects.filter(
        candidate_id__in=candidate_ids, state=EntryState.SELECTED
    ).select_related("mission", "mission__client", "placement")


def current_placements(candidate_ids, *, today, during=None, excluding_mission=None):
    """{candidate id: placement entry} for the given profiles, in one query (R6)."""
    return placements_among(
        selected_entries(candidate_ids),
        today=today,
        during=during,
        excluding_mission=excluding_mission,
    )


def placements_among(selected, *, today, during=None, excluding_mission=None):
    """`current_placements` from their `selected_entries`, already read."""
    by_candidate = {}
    for entry in selected:
        by_candidate.setdefault(entry.candidate_id, []).append(entry)
    placed = {
        candidate_id: current_placement(
            entries, today=today, during=during, excluding_mission=excluding_mission
        )
        for candidate_id, entries in by_candidate.items()
    }
    return {candidate_id: entry for candidate_id, entry in placed.items() if entry}


def placement_period(mission, *, today):
    """The dates a selection on `mission` places its profile for: the mission's period, from
    the day of the selection when the mission's start is unknown."""
    start = mission.start_date or today
    return Period.of_mission(start, mission.duration_months)


def overlapping_placement(candidate, period, *, excluding_mission=None):
    """The profile's placement on another mission that shares a day with `period`, if any:
    what R6 forbids. Read it after the profile is locked (`missions.locking.lock_profile`)."""
    placements = Placement.objects.filter(candidate_id=candidate.pk).overlapping(period)
    if excluding_mission is not None:
        placements = placements.exclude(mission_id=excluding_mission.pk)
    return placements.select_related("mission").order_by("start", "pk").first()
