"""Every list of the API answers in the same number of queries for 1 row and for 20."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from candidates.models import CandidateSkill, Experience, Project
from interviews import services as interview_services
from missions import services
from tests.factories import CandidateFactory, MissionFactory, SkillFactory
from tests.queries import count_queries

RECRUITER_LISTS = [
    "/api/v1/missions/",
    "/api/v1/shortlist-entries/",
    "/api/v1/profiles/",
    "/api/v1/interviews/",
    "/api/v1/events/",
    "/api/v1/clients/",
    "/api/v1/skills/",
]
CLIENT_LISTS = [
    "/api/v1/portal/missions/",
    "/api/v1/portal/profiles/",
    "/api/v1/portal/interviews/",
]


def add_rows(count, *, client, recruiter):
    """`count` missions of the client, each with a sent profile that has skills, an
    experience, a project and an interview."""
    for index in range(count):
        mission = MissionFactory(client=client, owner=recruiter)
        skill = SkillFactory(name=f"Skill {index}")
        mission.skills.create(skill=skill, required=True, min_years=2)
        candidate = CandidateFactory()
        CandidateSkill.objects.create(candidate=candidate, skill=skill, years=3)
        experience = Experience.objects.create(
            candidate=candidate, company="Acme", role="Developer", start=date(2020, 1, 1)
        )
        experience.technologies.add(skill)
        project = Project.objects.create(
            candidate=candidate, name="Side project", context="personal"
        )
        project.technologies.add(skill)
        entry = services.shortlist_candidate(
            mission=mission, candidate=candidate, by=recruiter, confirm_warnings=True
        )
        services.update_entry(entry=entry, by=recruiter, report="Good.", client_rate=700)
        services.send_shortlist(mission=mission, by=recruiter)
        interview = interview_services.schedule_interview(
            entry=entry, by=recruiter, scheduled_at=timezone.now() + timedelta(days=2)
        )
        interview_services.record_feedback(
            interview=interview,
            by=recruiter,
            hard_skills_rating=4,
            soft_skills_rating=3,
            verdict="go",
            causes=["availability"],
        )


def counts(browser, urls):
    return {url: count_queries(browser, url) for url in urls}


@pytest.mark.parametrize(
    ("role", "urls"), [("recruiter", RECRUITER_LISTS), ("alice", CLIENT_LISTS)]
)
def test_each_list_runs_the_same_queries_for_one_row_and_for_twenty(
    role, urls, client, recruiter, alice, client_a, request
):
    client.force_login(request.getfixturevalue(role))
    add_rows(1, client=client_a, recruiter=recruiter)
    with_one = counts(client, urls)

    add_rows(19, client=client_a, recruiter=recruiter)
    with_twenty = counts(client, urls)

    assert with_twenty == with_one
