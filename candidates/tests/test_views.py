"""The recruiter's profile pages: list and search, detail, create/edit, availability."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from candidates.models import (
    Candidate,
    CandidateSkill,
    Channel,
    Experience,
    LegalForm,
    PortageCompany,
    Project,
    Seniority,
)
from interviews.models import Interview, InterviewState
from missions import services
from missions.models import EntryState, Event, ShortlistEntry
from tests.factories import CandidateFactory, MissionFactory, SkillFactory
from tests.queries import count_queries

LIST = reverse("candidates:list")
CREATE = reverse("candidates:create")


@pytest.fixture(autouse=True)
def _english(settings):
    # Assertions read the English source strings, whatever the translations say.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def desk(client, recruiter):
    client.force_login(recruiter)
    return client


def skilled(candidate, **years):
    for name, value in years.items():
        candidate.skills.create(skill=SkillFactory(name=name), years=value)
    return candidate


def html_of(response):
    assert response.status_code == 200
    return response.content.decode()


def shown(html, *candidates):
    return [f'href="{c.get_absolute_url()}"' in html for c in candidates]


# ---------- List ----------


def test_the_list_shows_active_profiles_with_skills_rate_and_availability(desk, candidate):
    skilled(candidate, Python=6, Django=4)
    archived = CandidateFactory(archived_at=timezone.now())

    html = html_of(desk.get(LIST))

    assert shown(html, candidate, archived) == [True, False]
    assert "Camille Lefèvre" in html
    assert "<b>Python</b> 6" in html
    assert "550\u00a0€/d" in html
    assert "<strong>1</strong> active profile" in html


def test_the_search_matches_every_word_over_name_headline_and_skills(desk):
    camille = CandidateFactory(first_name="Camille", headline="Développeuse back-end")
    react = skilled(CandidateFactory(first_name="Jules", headline="Front-end"), React=3)

    assert shown(html_of(desk.get(LIST, {"q": "camille"})), camille, react) == [True, False]
    assert shown(html_of(desk.get(LIST, {"q": "react"})), camille, react) == [False, True]
    assert shown(html_of(desk.get(LIST, {"q": "jules front"})), camille, react) == [False, True]
    assert shown(html_of(desk.get(LIST, {"q": "jules back"})), camille, react) == [False, False]


def test_the_skills_filter_keeps_profiles_that_have_all_of_them(desk):
    both = skilled(CandidateFactory(), Python=2, Django=1)
    python_only = skilled(CandidateFactory(), Python=8)

    html = html_of(desk.get(LIST, {"skills": "python, DJANGO"}))

    assert shown(html, both, python_only) == [True, False]


def test_an_unknown_skill_in_the_filter_is_an_error_not_a_crash(desk, candidate):
    html = html_of(desk.get(LIST, {"skills": "Cobol"}))

    assert "No skill named: Cobol." in html
    assert shown(html, candidate) == [True]


def test_filters_by_seniority_rate_availability_and_channel(desk):
    soon = date.today() + timedelta(days=7)
    junior = CandidateFactory(seniority=Seniority.JUNIOR, day_rate=350, available_from=soon)
    senior = CandidateFactory(
        seniority=Seniority.SENIOR,
        day_rate=700,
        available_from=soon + timedelta(days=60),
        channel=Channel.REFERRAL,
    )

    def listed(**params):
        return shown(html_of(desk.get(LIST, params)), junior, senior)

    assert listed(seniority="junior") == [True, False]
    assert listed(max_rate=500) == [True, False]
    assert listed(available_before=(soon + timedelta(days=1)).isoformat()) == [True, False]
    assert listed(channel="referral") == [False, True]
    assert listed(max_rate=-5) == [True, True]  # an invalid filter is ignored, with its error


def test_the_list_is_paginated_by_25(desk):
    CandidateFactory.create_batch(26)

    first, second = html_of(desk.get(LIST)), html_of(desk.get(LIST, {"page": 2}))

    assert first.count('<th scope="row">') == 25
    assert second.count('<th scope="row">') == 1
    assert 'rel="next"' in first


def test_the_list_runs_the_same_queries_for_1_and_20_profiles(desk, mission_a, recruiter):
    first = skilled(CandidateFactory(), Python=3)
    services.shortlist_candidate(
        mission=mission_a, candidate=first, by=recruiter, confirm_warnings=True
    )
    with_one = count_queries(desk, LIST)

    for _ in range(19):
        skilled(CandidateFactory(), Python=2, Go=1, Rust=4)
    with_twenty = count_queries(desk, LIST)

    assert with_one == with_twenty


def test_the_empty_list_invites_to_add_a_profile(desk):
    html = html_of(desk.get(LIST))

    assert "No profile yet" in html
    assert f'href="{CREATE}"' in html


# ---------- Detail ----------


def detail(candidate):
    return reverse("candidates:detail", args=[candidate.pk])


def test_the_detail_shows_identity_contact_profile_and_notes(desk, candidate):
    portage = PortageCompany.objects.create(name="ITG")
    Candidate.objects.filter(pk=candidate.pk).update(
        legal_form=LegalForm.PORTAGE,
        portage_company=portage,
        languages="English (fluent)",
        soft_skill_notes="Calm under pressure",
    )
    skilled(candidate, Kubernetes=4)
    experience = Experience.objects.create(
        candidate=candidate,
        company="Orange",
        role="SRE",
        start=date(2021, 1, 1),
        end=date(2024, 6, 1),
        description="40 clusters",
    )
    experience.technologies.add(SkillFactory(name="Terraform"))
    Project.objects.create(candidate=candidate, name="Home lab", context="personal")

    html = html_of(desk.get(detail(candidate)))

    for text in (
        "Camille Lefèvre",
        "camille.lefevre@mail.test",
        "06 12 34 56 78",
        "12 rue de la Paix",
        "Développeur Python / Django",
        "Senior",
        "550\u00a0€/d",
        "Portage salarial",
        "ITG",
        "LinkedIn",
        "English (fluent)",
        "Kubernetes",
        "SRE",
        "Orange",
        "Terraform",
        "40 clusters",
        "Home lab",
        "Calm under pressure",
        "Internal: negotiable",
    ):
        assert text in html, text


def entry_on(mission, candidate, *, state=EntryState.PROPOSED, slot=1, **fields):
    return ShortlistEntry.objects.create(
        mission=mission,
        candidate=candidate,
        state=state,
        slot=slot if state in ("proposed", "sent", "interviewing", "selected") else None,
        candidate_rate=candidate.day_rate,
        **fields,
    )


def test_the_detail_lists_every_process_with_state_and_interviews(desk, candidate, mission_a):
    entry = entry_on(
        mission_a, candidate, state=EntryState.INTERVIEWING, client_rate=640, sent_at=timezone.now()
    )
    for number in (1, 2):
        Interview.objects.create(entry=entry, number=number, scheduled_at=timezone.now())
    Interview.objects.create(
        entry=entry, number=3, scheduled_at=timezone.now(), state=InterviewState.CANCELLED
    )

    html = html_of(desk.get(detail(candidate)))

    assert mission_a.reference in html
    assert "Transalp Logistique" in html
    assert "badge badge--amber" in html and "Interviewing" in html
    assert "2 of 3" in html  # the cancelled interview does not count
    assert "640\u00a0€/d" in html


def test_the_detail_shows_the_timeline_newest_first_with_its_author(
    desk, candidate, mission_a, recruiter
):
    entry = services.shortlist_candidate(
        mission=mission_a, candidate=candidate, by=recruiter, confirm_warnings=True
    )
    services.remove_from_shortlist(entry=entry, by=recruiter)

    html = html_of(desk.get(detail(candidate)))

    added = html.index("Camille Lefèvre added to the shortlist")
    removed = html.index("Camille Lefèvre removed from the shortlist")
    assert removed < added
    assert "Élodie Martin" in html


def test_the_detail_warns_when_availability_was_not_confirmed_for_3_weeks(desk, candidate):
    fresh = html_of(desk.get(detail(candidate)))
    Candidate.objects.filter(pk=candidate.pk).update(
        availability_confirmed_on=date.today() - timedelta(days=22)
    )
    stale = html_of(desk.get(detail(candidate)))

    warning = "Not confirmed for more than 3 weeks"
    assert warning not in fresh
    assert warning in stale


def test_a_placed_profile_is_shown_placed_and_its_other_active_processes_flagged(
    desk, candidate, mission_a, client_b
):
    placed_on = MissionFactory(client=client_b, start_date=mission_a.start_date)
    entry_on(placed_on, candidate, state=EntryState.SELECTED)
    entry_on(mission_a, candidate, state=EntryState.SENT, sent_at=timezone.now())
    later = MissionFactory(client=client_b, start_date=mission_a.start_date + timedelta(days=400))
    entry_on(later, candidate)

    html = html_of(desk.get(detail(candidate)))

    assert f"Placed on {placed_on.reference}" in html
    assert html.count(f"Overlaps the placement on {placed_on.reference}") == 1
    assert 'class="is-flagged"' in html


def enrich(candidate, rows, recruiter):
    for n in range(rows):
        skill = SkillFactory(name=f"Tech {n}")
        CandidateSkill.objects.create(candidate=candidate, skill=skill, years=n)
        experience = Experience.objects.create(
            candidate=candidate, company=f"Co {n}", role="Dev", start=date(2015 + n % 8, 1, 1)
        )
        experience.technologies.add(skill)
        project = Project.objects.create(candidate=candidate, name=f"P{n}", context="personal")
        project.technologies.add(skill)
        mission = MissionFactory()
        entry = entry_on(mission, candidate, state=EntryState.SENT, sent_at=timezone.now())
        Interview.objects.create(entry=entry, number=1, scheduled_at=timezone.now())
        Event.objects.create(
            mission=mission, entry=entry, candidate=candidate, author=recruiter, subject="entry"
        )


def test_the_detail_runs_the_same_queries_for_1_and_20_rows(desk, recruiter):
    few, many = CandidateFactory(), CandidateFactory()
    enrich(few, 1, recruiter)
    enrich(many, 20, recruiter)

    assert count_queries(desk, detail(few)) == count_queries(desk, detail(many))


@pytest.mark.parametrize("name", ["list", "create", "detail", "edit"])
def test_a_client_contact_gets_403_on_the_profile_pages(client, alice, candidate, name):
    args = [] if name in ("list", "create") else [candidate.pk]
    client.force_login(alice)

    assert client.get(reverse(f"candidates:{name}", args=args)).status_code == 403


def test_anonymous_users_are_sent_to_the_login_page(client, candidate):
    response = client.get(detail(candidate))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# ---------- Create and edit ----------


def management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def profile_data(**overrides):
    return {
        "first_name": "Inès",
        "last_name": "Garnier",
        "email": "ines@example.com",
        "headline": "Data engineer",
        "seniority": "confirmed",
        "day_rate": "520",
        "available_from": "2027-01-04",
        "remote_preference": "hybrid",
        "legal_form": "micro",
        "channel": "linkedin",
        **management("skills"),
        **management("experiences"),
        **management("projects"),
        **overrides,
    }


def test_creating_a_profile_saves_its_rows_and_computes_skill_years(desk, recruiter):
    python, airflow = SkillFactory(name="Python"), SkillFactory(name="Airflow")
    data = profile_data(
        **management("skills", 1),
        **{"skills-0-skill": airflow.pk, "skills-0-level": 4, "skills-0-years": "2"},
        **management("experiences", 1),
        **{
            "experiences-0-company": "SNCF",
            "experiences-0-role": "Data engineer",
            "experiences-0-start": "2020-01-01",
            "experiences-0-end": "2023-01-01",
            "experiences-0-technologies": [python.pk],
        },
        **management("projects", 1),
        **{
            "projects-0-name": "Open data",
            "projects-0-context": "personal",
            "projects-0-duration_months": "3",
            "projects-0-technologies": [airflow.pk],
        },
    )

    response = desk.post(CREATE, data)

    candidate = Candidate.objects.get(last_name="Garnier")
    assert response.status_code == 302
    assert response["Location"] == candidate.get_absolute_url()
    assert candidate.owner == recruiter
    assert candidate.availability_confirmed_on == timezone.localdate()
    assert candidate.projects.get().technologies.get() == airflow
    years = {cs.skill.name: cs.years for cs in candidate.skills.select_related("skill")}
    assert years == {"Python": 3, "Airflow": 0}  # Airflow's years are computed (no experience)


def test_an_experience_ending_before_it_starts_is_refused_and_nothing_is_saved(desk):
    data = profile_data(
        **management("experiences", 1),
        **{
            "experiences-0-company": "SNCF",
            "experiences-0-role": "Dev",
            "experiences-0-start": "2023-01-01",
            "experiences-0-end": "2022-01-01",
        },
    )

    response = desk.post(CREATE, data)

    assert "The end is before the start." in html_of(response)
    assert not Candidate.objects.exists()


@pytest.mark.parametrize("rate", ["-100", "0"])
def test_a_negative_or_zero_day_rate_is_refused(desk, rate):
    response = desk.post(CREATE, profile_data(day_rate=rate))

    html = html_of(response)
    assert "A day rate is a positive amount, in euros." in html
    assert 'aria-invalid="true"' in html
    assert not Candidate.objects.exists()


def test_portage_salarial_needs_its_portage_company(desk):
    response = desk.post(CREATE, profile_data(legal_form="portage"))

    assert "Choose the portage company." in html_of(response)
    assert not Candidate.objects.exists()


def test_a_duplicate_skill_is_refused(desk):
    python = SkillFactory(name="Python")
    data = profile_data(
        **management("skills", 2),
        **{"skills-0-skill": python.pk, "skills-0-level": 3, "skills-0-years": "1"},
        **{"skills-1-skill": python.pk, "skills-1-level": 4, "skills-1-years": "2"},
    )

    html = html_of(desk.post(CREATE, data))

    assert "Please correct the duplicate data for skill" in html
    assert not Candidate.objects.exists()


def test_editing_changes_the_profile_and_deletes_a_row(desk, candidate):
    experience = Experience.objects.create(
        candidate=candidate, company="Old", role="Dev", start=date(2019, 1, 1)
    )
    data = profile_data(
        first_name="Camille",
        last_name="Lefèvre",
        day_rate="600",
        **management("experiences", 1, initial=1),
        **{
            "experiences-0-id": experience.pk,
            "experiences-0-candidate": candidate.pk,
            "experiences-0-company": "Old",
            "experiences-0-role": "Dev",
            "experiences-0-start": "2019-01-01",
            "experiences-0-DELETE": "on",
        },
    )

    response = desk.post(reverse("candidates:edit", args=[candidate.pk]), data)

    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.day_rate == 600
    assert not candidate.experiences.exists()


def test_the_edit_page_shows_the_profile_with_its_rows(desk, candidate):
    skilled(candidate, Python=3)

    html = html_of(desk.get(reverse("candidates:edit", args=[candidate.pk])))

    assert 'value="Camille"' in html
    assert "New experience" in html
    assert 'name="skills-TOTAL_FORMS"' in html


# ---------- Availability confirmed today ----------


def confirm(candidate):
    return reverse("candidates:confirm_availability", args=[candidate.pk])


def test_confirming_availability_sets_today_and_records_nothing_else(desk, candidate):
    Candidate.objects.filter(pk=candidate.pk).update(
        availability_confirmed_on=date.today() - timedelta(days=40)
    )
    before = Candidate.objects.get(pk=candidate.pk)

    response = desk.post(confirm(candidate))

    after = Candidate.objects.get(pk=candidate.pk)
    assert response.status_code == 302
    assert after.availability_confirmed_on == timezone.localdate()
    assert after.updated_at == before.updated_at
    assert after.available_from == before.available_from
    assert not Event.objects.exists()


def test_confirming_availability_with_htmx_returns_the_panel_only(desk, candidate):
    response = desk.post(confirm(candidate), headers={"HX-Request": "true"})

    html = html_of(response)
    assert html.lstrip().startswith('<section class="panel" id="availability"')
    assert "Availability confirmed today." in html


def test_confirming_availability_needs_a_post_from_a_recruiter(desk, client, alice, candidate):
    assert desk.get(confirm(candidate)).status_code == 405
    client.force_login(alice)
    assert client.post(confirm(candidate)).status_code == 403
