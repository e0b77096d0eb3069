"""The insights' rollups always equal a full recomputation from the tables.

Missions opened in past months (and one this month) go through random sequences of the
services' actions — shortlists, interviews held in past months with failure causes, profiles
declined, withdrawn, not retained or selected, missions lost, a profile's seniority edited —
each committed as in production (the on-commit refresh runs); after every sequence the
stored rows equal what `rebuild()` would write. The property-based version is slow (marked by
the conftest); a fixed sequence runs with the quick tests.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from candidates.models import Candidate, Channel, LegalForm, PortageCompany, Seniority
from interviews import rollups
from interviews import services as interview_services
from interviews.models import FigureRollup, Verdict
from missions import services
from missions.models import EntryState, FailureCause, Mission, MissionState, ShortlistEntry
from tests.factories import CandidateFactory, SkillFactory, make_recruiter

ACTIONS = (
    "shortlist",
    "send",
    "interview",
    "decline",
    "withdraw",
    "not_retained",
    "select",
    "lose",
    "seniority",
)
CAUSES = [FailureCause.RATE_TOO_HIGH, FailureCause.TECHNICAL_LEVEL, FailureCause.SOFT_SKILLS]


@pytest.fixture
def agency(recruiter, client_a, client_b, django_capture_on_commit_callbacks):
    other = make_recruiter("thomas")
    skill = SkillFactory(name="Django")
    now = timezone.now()
    missions = []
    for n, (client, owner, days_ago) in enumerate(
        [(client_a, recruiter, 70), (client_a, other, 40), (client_b, recruiter, 0)]
    ):
        with django_capture_on_commit_callbacks(execute=True):  # committed, as in production
            mission = services.create_mission(
                by=owner,
                client=client,
                title=f"Mission {n}",
                owner=owner,
                skills=[(skill, True, 0)],
            )
            services.transition_mission(mission=mission, to=MissionState.OPEN, by=owner)
        Mission.objects.filter(pk=mission.pk).update(opened_at=now - timedelta(days=days_ago))
        missions.append(mission)
    portage = PortageCompany.objects.create(name="Portage One")
    candidates = [CandidateFactory(seniority=Seniority.JUNIOR) for _ in range(3)]
    candidates.append(
        CandidateFactory(
            channel=Channel.PORTAGE, legal_form=LegalForm.PORTAGE, portage_company=portage
        )
    )
    rollups.rebuild()  # the dates moved behind the services' back
    return missions, candidates, recruiter


def _entry(mission, candidate):
    return ShortlistEntry.objects.filter(mission=mission, candidate=candidate).first()


def act(agency, action, m, c, pick):
    """One action through the services; one the rules refuse changes nothing."""
    missions, candidates, by = agency
    mission = Mission.objects.get(pk=missions[m].pk)
    candidate = Candidate.objects.get(pk=candidates[c].pk)
    entry = _entry(mission, candidate)
    cause = CAUSES[pick % len(CAUSES)]
    try:
        if action == "shortlist":
            entry = services.shortlist_candidate(
                mission=mission, candidate=candidate, by=by, confirm_warnings=True
            )
            services.update_entry(entry=entry, by=by, report="Fit.", client_rate=500 + 10 * pick)
        elif action == "send":
            services.send_shortlist(mission=mission, by=by)
        elif action == "seniority":
            # What the profile form does, through the hook save_profile calls.
            previous = {
                "seniority": candidate.seniority,
                "channel": candidate.channel,
                "portage_company": candidate.portage_company_id,
            }
            candidate.seniority = Seniority.SENIOR if pick % 2 else Seniority.CONFIRMED
            candidate.channel = Channel.values[pick % len(Channel.values)]
            candidate.save(update_fields=["seniority", "channel"])
            rollups.profile_changed(candidate=candidate, previous=previous)
        elif entry is None:
            return
        elif action == "interview":
            held = timezone.now() - timedelta(days=10 * pick)
            interview = interview_services.schedule_interview(
                entry=entry, by=by, scheduled_at=held, recruiter=by
            )
            if pick % 3:
                interview_services.record_feedback(
                    interview=interview,
                    by=by,
                    causes=[cause],
                    hard_skills_rating=3,
                    soft_skills_rating=3,
                    verdict=Verdict.NO_GO,
                )
        elif action == "decline":
            services.decline_entry(entry=entry, by=by, reason=cause)
        elif action == "withdraw":
            services.withdraw_entry(entry=entry, by=by, reason=FailureCause.CANDIDATE_WITHDREW)
        elif action == "not_retained":
            services.mark_not_retained(entry=entry, by=by, reason=cause)
        elif action == "select":
            services.select_candidate(entry=entry, by=by, compliance_exception="Checked.")
        elif action == "lose":
            services.transition_mission(mission=mission, to=MissionState.LOST, by=by)
    except ValidationError:
        pass


def run(agency, actions, capture):
    for action in actions:
        with capture(execute=True):
            act(agency, *action)


def test_a_fixed_sequence_keeps_the_rollups_equal_to_the_tables(
    agency, django_capture_on_commit_callbacks
):
    actions = [
        ("shortlist", 0, 0, 1),
        ("shortlist", 0, 1, 2),
        ("shortlist", 1, 1, 0),
        ("shortlist", 2, 2, 3),
        ("shortlist", 2, 3, 1),
        ("shortlist", 0, 3, 2),
        ("send", 0, 0, 0),
        ("send", 1, 0, 0),
        ("send", 2, 0, 0),
        ("interview", 0, 0, 4),  # held 40 days ago, feedback with a cause
        ("interview", 1, 1, 2),
        ("decline", 0, 1, 0),  # day rate too high
        ("seniority", 0, 1, 1),
        ("not_retained", 1, 1, 1),
        ("select", 0, 0, 0),
        ("lose", 1, 0, 0),
    ]
    run(agency, actions, django_capture_on_commit_callbacks)

    assert rollups.differences() == {}
    assert FigureRollup.objects.filter(metric="cause.feedback").exists()
    assert FigureRollup.objects.filter(metric="lost.by_client", value=1).exists()
    assert ShortlistEntry.objects.filter(state=EntryState.SELECTED).exists()
    assert FigureRollup.objects.filter(metric="profiles.channel.placed", value=1).exists()


def test_a_refresh_corrects_rows_that_went_wrong(agency, django_capture_on_commit_callbacks):
    missions, candidates, by = agency
    run(agency, [("shortlist", 0, 0, 0), ("send", 0, 0, 0)], django_capture_on_commit_callbacks)
    FigureRollup.objects.filter(metric="opened").update(value=99)

    assert rollups.differences()
    rollups.rebuild()
    assert rollups.differences() == {}


action = st.tuples(
    st.sampled_from(ACTIONS),
    st.integers(0, 2),
    st.integers(0, 3),
    st.integers(0, 6),
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=st.lists(action, min_size=1, max_size=14))
def test_any_sequence_of_actions_keeps_the_rollups_equal_to_the_tables(
    agency, django_capture_on_commit_callbacks, actions
):
    # Each example starts from the fixture's rows: it runs in a savepoint rolled back after.
    with transaction.atomic():
        run(agency, actions, django_capture_on_commit_callbacks)
        assert rollups.differences() == {}
        transaction.set_rollback(True)


def test_a_new_profile_counts_as_added_in_its_month(agency, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        added = CandidateFactory(channel=Channel.REFERRAL)
        rollups.profile_changed(candidate=added)  # what save_profile calls for a new profile

    assert rollups.differences() == {}
    assert (
        FigureRollup.objects.get(
            level=FigureRollup.Level.AGENCY, metric="added.channel", key=Channel.REFERRAL
        ).value
        == Candidate.objects.filter(channel=Channel.REFERRAL).count()
    )
