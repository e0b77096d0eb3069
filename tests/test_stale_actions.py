"""A stale page never hurts (SPEC §7): every desk and portal action, sent on an object whose
state has moved on since the page was drawn, gets a plain message — or a 404 for an object
that no longer exists — and changes nothing. Never a server error.

Each case is (action, state): the state is built through the real services, then the action
is posted to its real URL by the role that uses it (the recruiter on the desk, alice in the
portal), exactly as a second browser tab left open would.
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.messages import ERROR, get_messages
from django.urls import reverse
from django.utils import timezone

from interviews import services as interview_services
from interviews.models import Interview, Verdict
from missions import services
from missions.models import Event, FailureCause, Mission, MissionState, ShortlistEntry
from tests.factories import CandidateFactory

# --- the states, each built by a function of the cast ------------------------------------


def shortlist(mission, by):
    entry = services.shortlist_candidate(
        mission=mission, candidate=CandidateFactory(day_rate=500), by=by, confirm_warnings=True
    )
    ShortlistEntry.objects.filter(pk=entry.pk).update(report="Knows the domain.", client_rate=700)
    return entry


def sent(cast, count=1):
    entries = [shortlist(cast.mission, cast.recruiter) for _ in range(count)]
    services.send_shortlist(mission=cast.mission, by=cast.recruiter)
    return entries


def interview_of(cast):
    """An interview of a sent profile whose time has passed (feedback would be open)."""
    (entry,) = sent(cast)
    return interview_services.schedule_interview(
        entry=entry, by=cast.recruiter, scheduled_at=timezone.now() - timedelta(hours=2)
    )


def withdrawn(cast):
    (entry,) = sent(cast)
    return services.withdraw_entry(entry=entry, by=cast.recruiter, reason=FailureCause.OTHER)


def declined(cast):
    (entry,) = sent(cast)
    return services.decline_entry(entry=entry, by=cast.recruiter, reason=FailureCause.OTHER)


def not_retained(cast):
    interview = interview_of(cast)
    return services.mark_not_retained(entry=interview.entry, by=cast.recruiter)


def selected(cast):
    chosen, _other = sent(cast, count=2)
    return services.select_candidate(entry=chosen, by=cast.recruiter)


def other_selected(cast):
    chosen, other = sent(cast, count=2)
    services.select_candidate(entry=chosen, by=cast.recruiter)
    return other


def removed(cast):
    """A draft entry taken off the shortlist: its row is gone, its URL a 404."""
    entry = shortlist(cast.mission, cast.recruiter)
    services.remove_from_shortlist(entry=entry, by=cast.recruiter)
    return SimpleNamespace(pk=entry.pk)


def on_ended_mission(cast):
    (entry,) = sent(cast)
    services.transition_mission(
        mission=cast.mission, to=MissionState.CANCELLED, by=cast.recruiter, note="Budget frozen"
    )
    return entry


def mission_filled(cast):
    return selected(cast).mission


def mission_ended(to):
    def build(cast):
        shortlist(cast.mission, cast.recruiter)
        return services.transition_mission(
            mission=cast.mission, to=to, by=cast.recruiter, note="Client's decision"
        )

    return build


def mission_on_hold(cast):
    shortlist(cast.mission, cast.recruiter)
    return services.transition_mission(
        mission=cast.mission, to=MissionState.ON_HOLD, by=cast.recruiter, note="Budget review"
    )


def interview_cancelled(cast):
    return interview_services.cancel_interview(interview=interview_of(cast), by=cast.recruiter)


def interview_done(cast):
    return interview_services.record_feedback(
        interview=interview_of(cast), by=cast.recruiter, verdict=Verdict.GO
    )


def interview_no_show(cast):
    return interview_services.mark_no_show(interview=interview_of(cast), by=cast.recruiter)


CLOSED_ENTRIES = {
    "withdrawn": withdrawn,
    "declined": declined,
    "not retained": not_retained,
    "not retained, another selected": other_selected,
    "closed with its mission": on_ended_mission,
    "removed": removed,
}
ENDED_MISSIONS = {
    "filled": mission_filled,
    "cancelled": mission_ended(MissionState.CANCELLED),
    "lost": mission_ended(MissionState.LOST),
}
OVER_INTERVIEWS = {
    "cancelled": interview_cancelled,
    "done": interview_done,
    "no-show": interview_no_show,
}

# --- the actions: (role, URL name, POST data) ---------------------------------------------


def later():
    return (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")


SCHEDULE = {"kind": "client", "scheduled_at": later, "duration_minutes": "60"}
DESK, PORTAL = "recruiter", "alice"
ACTIONS = {
    "entry move": (DESK, "missions:entry_move", {"direction": "up"}),
    "entry remove": (DESK, "missions:entry_remove", {}),
    "entry withdraw": (DESK, "missions:entry_withdraw", {"reason": "availability"}),
    "entry select": (DESK, "missions:entry_select", {}),
    "entry not retained": (DESK, "missions:entry_not_retained", {"reason": "technical_level"}),
    "entry edit": (DESK, "missions:entry_edit", {"report": "Rewritten.", "client_rate": "800"}),
    "interview schedule": (DESK, "interviews:schedule", SCHEDULE),
    "shortlist add": (DESK, "missions:shortlist_add", {"confirm": "1"}),  # + a free profile
    "shortlist send": (DESK, "missions:shortlist_send", {}),
    "mission state": (DESK, "missions:transition", {"to": "on_hold", "note": "Paused"}),
    "interview cancel": (DESK, "interviews:cancel", {}),
    "interview no-show": (DESK, "interviews:no_show", {}),
    "interview reschedule": (DESK, "interviews:reschedule", SCHEDULE),
    "interview feedback": (
        DESK,
        "interviews:feedback",
        {"hard_skills_rating": "4", "soft_skills_rating": "4", "verdict": "go"},
    ),
    "interview feedback draft": (
        DESK,
        "interviews:feedback",
        {"draft": "1", "hard_skills_rating": "3", "verdict": "undecided"},
    ),
    "portal request interview": (PORTAL, "portal:request_interview", {"slots": "Tuesday"}),
    "portal decline": (PORTAL, "portal:decline", {"reason": "rate_too_high"}),
    "portal select": (PORTAL, "portal:select", {"note": ""}),
    "portal client feedback": (PORTAL, "portal:feedback", {"feedback": "Convincing."}),
}
KWARG_NAMES = {"interviews:schedule": "entry_pk"}


def matrix():
    entry_actions = [
        a for a in ACTIONS if a.startswith(("entry", "portal")) and "feedback" not in a
    ]
    entry_actions.append("interview schedule")
    for action in entry_actions:
        for state, build in CLOSED_ENTRIES.items():
            yield pytest.param(action, build, id=f"{action} / entry {state}")
        if action not in ("entry move", "entry edit"):  # still fine on the placed profile
            yield pytest.param(action, selected, id=f"{action} / entry selected")
    for action in ("shortlist add", "shortlist send", "mission state"):
        for state, build in ENDED_MISSIONS.items():
            yield pytest.param(action, build, id=f"{action} / mission {state}")
    for action in ("shortlist add", "shortlist send"):
        yield pytest.param(action, mission_on_hold, id=f"{action} / mission on hold")
    for action in ("interview cancel", "interview no-show", "interview reschedule"):
        for state, build in OVER_INTERVIEWS.items():
            yield pytest.param(action, build, id=f"{action} / interview {state}")
    for action in ("interview feedback", "interview feedback draft", "portal client feedback"):
        for state in ("cancelled", "no-show"):
            yield pytest.param(action, OVER_INTERVIEWS[state], id=f"{action} / interview {state}")


def snapshot():
    """Every row an action could change, as plain values."""
    return (
        list(
            ShortlistEntry.objects.order_by("pk").values_list(
                "pk", "state", "position", "slot", "report", "client_rate"
            )
        ),
        list(Mission.objects.order_by("pk").values_list("pk", "state")),
        list(
            Interview.objects.order_by("pk").values_list(
                "pk", "state", "scheduled_at", "verdict", "client_feedback", "feedback_draft_at"
            )
        ),
        Event.objects.count(),
    )


def told_plainly(response):
    """An error message queued for the next page, or a form re-rendered with its error."""
    if any(m.level == ERROR for m in get_messages(response.wsgi_request)):
        return True
    form = (response.context or {}).get("form") if response.status_code == 200 else None
    return bool(form and form.non_field_errors())


@pytest.mark.parametrize(("action", "build"), list(matrix()))
def test_a_stale_action_gets_a_plain_message_and_changes_nothing(
    action, build, client, recruiter, alice, mission_a
):
    cast = SimpleNamespace(recruiter=recruiter, mission=mission_a)
    target = build(cast)
    role, url_name, data = ACTIONS[action]
    data = {k: v() if callable(v) else v for k, v in data.items()}
    if url_name == "missions:shortlist_add":
        data["candidate"] = CandidateFactory().pk
    client.force_login(recruiter if role == DESK else alice)
    before = snapshot()

    url = reverse(url_name, kwargs={KWARG_NAMES.get(url_name, "pk"): target.pk})
    response = client.post(url, data)

    assert response.status_code < 500
    if response.status_code != 404:
        assert response.status_code in (200, 302)
        assert told_plainly(response), "no message says why nothing happened"
    assert snapshot() == before, "a stale action changed something"


def test_a_stale_move_from_the_htmx_shortlist_reloads_the_page_with_the_message(
    client, recruiter, mission_a
):
    entry = withdrawn(SimpleNamespace(recruiter=recruiter, mission=mission_a))
    client.force_login(recruiter)

    response = client.post(
        reverse("missions:entry_move", args=[entry.pk]), {"direction": "up"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert response["HX-Refresh"] == "true"
    assert [m.message for m in get_messages(response.wsgi_request)] == [
        f"{entry.candidate.full_name} is no longer on the shortlist (now: Withdrawn)."
    ]
