"""R2 on PostgreSQL: clicks of several contacts asking for a follow-up at the same moment
make one request, and never a place beyond the cap."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from interviews import services as interview_services
from interviews.models import Interview
from missions import services
from missions.models import ShortlistEntry
from tests.factories import CandidateFactory, MissionFactory
from tests.test_concurrency import THREADS, no_emails, run_together  # noqa: F401

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row-lock races need PostgreSQL (set DATABASE_URL=postgres://…)",
    ),
]


def test_simultaneous_follow_up_requests_make_one_request(no_emails, client_a, recruiter, alice):  # noqa: F811
    mission = MissionFactory(client=client_a, budget=900)
    entry = services.shortlist_candidate(
        mission=mission, candidate=CandidateFactory(day_rate=500), by=recruiter
    )
    services.update_entry(entry=entry, by=recruiter, report="Solid.", client_rate=700)
    services.send_shortlist(mission=mission, by=recruiter)
    interview_services.schedule_interview(
        entry=entry, by=recruiter, scheduled_at=timezone.now() + timedelta(days=1)
    )
    interview_services.schedule_interview(
        entry=entry, by=recruiter, scheduled_at=timezone.now() + timedelta(days=2)
    )

    outcomes = run_together(
        [
            lambda: interview_services.request_interview(
                entry=ShortlistEntry.objects.get(pk=entry.pk), by=alice, slots="Monday"
            )
            for _ in range(THREADS)
        ]
    )

    assert sorted(outcomes, key=str) == ["follow_up_pending"] * (THREADS - 1) + ["ok"]
    entry.refresh_from_db()
    assert entry.follow_up_requested_at is not None
    assert Interview.objects.filter(entry=entry).count() == 2
