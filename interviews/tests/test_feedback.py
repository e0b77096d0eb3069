"""Feedback as recruiters give it: each skill of the demand, then the overall hard skills, the
test's result, soft skills, the verdict and the causes; a draft to finish later."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from interviews import services
from interviews.models import Interview, InterviewKind, InterviewSkillRating, InterviewState
from interviews.reminders import remind_missing_feedback
from missions import services as mission_services
from missions.models import MissionSkill, TechnicalTest
from tests.factories import SkillFactory
from tests.queries import count_queries


@pytest.fixture
def demand(mission_a):
    """Kubernetes (4 years) and Terraform required, Grafana nice to have."""
    skills = {name: SkillFactory(name=name) for name in ("Kubernetes", "Terraform", "Grafana")}
    MissionSkill.objects.create(mission=mission_a, skill=skills["Kubernetes"], min_years=4)
    MissionSkill.objects.create(mission=mission_a, skill=skills["Terraform"])
    MissionSkill.objects.create(mission=mission_a, skill=skills["Grafana"], required=False)
    return skills


@pytest.fixture
def interview(mission_a, candidate, recruiter, demand):
    """Interview 1 for a sent profile, which took place two hours ago."""
    entry = mission_services.shortlist_candidate(
        mission=mission_a, candidate=candidate, by=recruiter, confirm_warnings=True
    )
    entry.report = "Good fit."
    entry.client_rate = 700
    entry.save()
    mission_services.send_shortlist(mission=mission_a, by=recruiter)
    interview = services.schedule_interview(
        entry=entry,
        by=recruiter,
        scheduled_at=timezone.now() + timedelta(days=1),
        recruiter=recruiter,
    )
    Interview.objects.filter(pk=interview.pk).update(
        scheduled_at=timezone.now() - timedelta(hours=2)
    )
    interview.refresh_from_db()
    return interview


@pytest.fixture
def desk(client, recruiter):
    client.force_login(recruiter)
    return client


def complete(demand, **overrides):
    """A complete feedback: both required skills rated, Grafana left out."""
    data = {
        f"skill_{demand['Kubernetes'].pk}": "5",
        f"skill_{demand['Kubernetes'].pk}_notes": "Drew a zero-downtime GKE upgrade.",
        f"skill_{demand['Terraform'].pk}": "4",
        f"skill_{demand['Terraform'].pk}_notes": "",
        "hard_skills_rating": "4",
        "hard_skills_notes": "At the level asked.",
        "soft_skills_rating": "5",
        "verdict": "go",
        "summary": "Very convincing on Kubernetes.",
        "internal_notes": "",
        "failure_notes": "",
    }
    return {**data, **overrides}


def post(desk, interview, data):
    return desk.post(reverse("interviews:feedback", args=[interview.pk]), data)


# --- the order of the form ----------------------------------------------------------------


def test_the_form_rates_each_skill_of_the_demand_before_the_overall_level(desk, interview, demand):
    html = desk.get(reverse("interviews:feedback", args=[interview.pk])).text

    k8s, terraform, grafana = (demand[n].pk for n in ("Kubernetes", "Terraform", "Grafana"))
    legends = [
        f'<legend id="legend-skill_{k8s}">Kubernetes<span class="tag">required · 4 yrs min.</span>',
        f'<legend id="legend-skill_{terraform}">Terraform<span class="tag">required</span>',
        f'<legend id="legend-skill_{grafana}">Grafana<span class="tag">nice to have</span>',
        '<legend id="legend-hard">Overall technical level',
        '<span class="step" aria-hidden="true">2</span>Soft skills',
        '<span class="step" aria-hidden="true">3</span>Verdict',
        '<span class="step" aria-hidden="true">4</span>Failure causes',
    ]
    positions = [html.index(legend) for legend in legends]
    assert positions == sorted(positions)
    assert html.count(f'name="skill_{demand["Kubernetes"].pk}"') == 5


# --- saved for good -------------------------------------------------------------------------


def test_the_feedback_records_a_rating_per_skill_and_shows_them_in_the_demands_order(
    desk, interview, demand
):
    response = post(desk, interview, complete(demand, **{f"skill_{demand['Grafana'].pk}": "3"}))

    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.state == InterviewState.DONE
    assert {(r.skill.name, r.rating, r.notes) for r in interview.skill_ratings.all()} == {
        ("Kubernetes", 5, "Drew a zero-downtime GKE upgrade."),
        ("Terraform", 4, ""),
        ("Grafana", 3, ""),
    }
    detail = desk.get(reverse("interviews:detail", args=[interview.pk])).text
    assert re.findall(r"<dt>(\w+)</dt><dd><strong>(\d) / 5</strong>", detail) == [
        ("Kubernetes", "5"),
        ("Terraform", "4"),
        ("Grafana", "3"),
    ]
    assert "Drew a zero-downtime GKE upgrade." in detail


def test_a_required_skill_left_unrated_is_a_form_error_and_nothing_is_saved(
    desk, interview, demand
):
    response = post(desk, interview, complete(demand, **{f"skill_{demand['Terraform'].pk}": ""}))

    assert response.status_code == 200
    assert "Rate Terraform from 1 to 5: the demand requires it." in response.text
    assert f'href="#id_skill_{demand["Terraform"].pk}_0"' in response.text
    interview.refresh_from_db()
    assert interview.state == InterviewState.SCHEDULED
    assert not InterviewSkillRating.objects.exists()


def test_a_low_skill_rating_needs_notes(desk, interview, demand):
    response = post(desk, interview, complete(demand, **{f"skill_{demand['Grafana'].pk}": "2"}))

    assert response.status_code == 200
    assert "Justify a rating of 2 or less" in response.text
    interview.refresh_from_db()
    assert interview.state == InterviewState.SCHEDULED


def test_a_rating_out_of_the_scale_is_a_form_error(desk, interview, demand):
    response = post(desk, interview, complete(demand, **{f"skill_{demand['Kubernetes'].pk}": "9"}))

    assert response.status_code == 200
    assert "Select a valid choice. 9 is not one of the available choices." in response.text
    assert not InterviewSkillRating.objects.exists()


def test_correcting_a_recorded_feedback_replaces_the_skill_ratings(desk, interview, demand):
    post(desk, interview, complete(demand, **{f"skill_{demand['Grafana'].pk}": "3"}))

    post(desk, interview, complete(demand, **{f"skill_{demand['Kubernetes'].pk}": "3"}))

    ratings = {r.skill.name: r.rating for r in interview.skill_ratings.all()}
    assert ratings == {"Kubernetes": 3, "Terraform": 4}


def test_only_the_skills_of_the_demand_can_be_rated(interview, recruiter):
    other = SkillFactory(name="COBOL")

    with pytest.raises(ValidationError) as refused:
        services.record_feedback(
            interview=interview,
            by=recruiter,
            hard_skills_rating=4,
            soft_skills_rating=4,
            verdict="go",
            skill_ratings={other.pk: (5, "")},
        )

    assert refused.value.code == "skill_not_in_demand"
    interview.refresh_from_db()
    assert interview.state == InterviewState.SCHEDULED


# --- the test's result ----------------------------------------------------------------------


def test_a_technical_interview_for_a_mission_with_a_test_records_its_result(
    desk, interview, demand, mission_a
):
    mission_a.technical_test = TechnicalTest.SPECIFIC
    mission_a.technical_test_details = "CodinGame, 1 hour"
    mission_a.save()
    Interview.objects.filter(pk=interview.pk).update(kind=InterviewKind.TECHNICAL)
    page = desk.get(reverse("interviews:feedback", args=[interview.pk])).text
    assert 'name="test_score"' in page
    assert "CodinGame, 1 hour" in page

    post(
        desk,
        interview,
        complete(
            demand,
            test_passed="true",
            test_score="82",
            test_link="https://www.codingame.com/report/abc",
        ),
    )

    interview.refresh_from_db()
    assert (interview.test_passed, interview.test_score, interview.test_link) == (
        True,
        82,
        "https://www.codingame.com/report/abc",
    )
    detail = desk.get(reverse("interviews:detail", args=[interview.pk])).text
    assert "Passed" in detail
    assert "82 %" in detail


def test_a_test_score_above_100_is_a_form_error(desk, interview, demand):
    Interview.objects.filter(pk=interview.pk).update(kind=InterviewKind.TEST)

    response = post(desk, interview, complete(demand, test_score="150"))

    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 100." in response.text
    interview.refresh_from_db()
    assert interview.state == InterviewState.SCHEDULED


def test_a_client_interview_has_no_test_result(desk, interview):
    page = desk.get(reverse("interviews:feedback", args=[interview.pk])).text

    assert 'name="test_score"' not in page


# --- drafts ---------------------------------------------------------------------------------


def draft(demand, **values):
    return {"draft": "1", **values}


def test_a_draft_keeps_what_is_typed_and_leaves_the_interview_to_record(desk, interview, demand):
    kubernetes = f"skill_{demand['Kubernetes'].pk}"

    response = post(
        desk,
        interview,
        draft(
            demand,
            **{kubernetes: "5", f"{kubernetes}_notes": "Strong on operators."},
            verdict="no_go",
            causes=["rate_too_high"],
        ),
    )

    assert response.status_code == 302
    interview.refresh_from_db()
    assert interview.state == InterviewState.SCHEDULED
    assert (interview.verdict, interview.hard_skills_rating, interview.feedback_at) == (
        "",
        None,
        None,
    )
    assert not interview.causes.exists()
    assert not interview.skill_ratings.exists()
    assert interview.feedback_draft_at is not None
    form = desk.get(reverse("interviews:feedback", args=[interview.pk])).text
    assert re.search(rf'<input type="radio" name="{kubernetes}" value="5"[^>]*checked', form)
    assert "Strong on operators." in form
    assert re.search(r'<input type="radio" name="verdict" value="no_go"[^>]*checked', form)
    assert re.search(r'value="rate_too_high"[^>]*checked', form)


def test_a_draft_gives_no_verdict_to_the_pages_and_still_gets_the_reminder(
    desk, interview, demand, recruiter, mailoutbox
):
    post(desk, interview, draft(demand, verdict="go"))
    Interview.objects.filter(pk=interview.pk).update(
        scheduled_at=timezone.now() - timedelta(days=3)
    )

    detail = desk.get(reverse("interviews:detail", args=[interview.pk])).text
    mission_page = desk.get(reverse("missions:detail", args=[interview.entry.mission_id])).text

    interview_list = desk.get(reverse("interviews:list")).text
    assert "Feedback started, not recorded yet" in detail
    assert "Finish the feedback" in detail
    assert "To record" in mission_page
    assert "draft saved, to finish" in interview_list
    assert remind_missing_feedback(now=timezone.now()) == 1


def test_finishing_a_draft_records_the_feedback_and_clears_the_draft(desk, interview, demand):
    post(desk, interview, draft(demand, verdict="undecided"))

    response = post(desk, interview, complete(demand))

    assert response.status_code == 302
    interview.refresh_from_db()
    assert (interview.state, interview.verdict) == (InterviewState.DONE, "go")
    assert (interview.feedback_draft, interview.feedback_draft_at) == (None, None)


def test_bad_input_in_a_draft_is_a_form_error_and_nothing_is_saved(desk, interview, demand):
    Interview.objects.filter(pk=interview.pk).update(kind=InterviewKind.TEST)

    response = post(
        desk,
        interview,
        draft(demand, test_score="-3", test_link="not a link", hard_skills_rating="7"),
    )

    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 0." in response.text
    assert "Enter a valid URL." in response.text
    assert "Select a valid choice. 7 is not one of the available choices." in response.text
    interview.refresh_from_db()
    assert interview.feedback_draft is None


def test_a_recorded_feedback_cannot_go_back_to_a_draft(desk, interview, demand, recruiter):
    post(desk, interview, complete(demand))
    interview.refresh_from_db()

    page = desk.get(reverse("interviews:feedback", args=[interview.pk])).text
    response = post(desk, interview, draft(demand, verdict="no_go"))

    assert 'name="draft"' not in page
    assert response.status_code == 200
    assert "The feedback of this interview is already recorded" in response.text
    interview.refresh_from_db()
    assert (interview.verdict, interview.feedback_draft) == ("go", None)


def test_a_draft_for_a_cancelled_interview_is_refused(interview, recruiter):
    services.cancel_interview(interview=interview, by=recruiter)

    with pytest.raises(ValidationError):
        services.save_feedback_draft(interview=interview, by=recruiter, verdict="go")


# --- queries ---------------------------------------------------------------------------------


def test_the_feedback_and_detail_pages_do_not_grow_with_the_skills_rated(
    desk, interview, demand, recruiter, mission_a
):
    def rate_everything():
        services.record_feedback(
            interview=interview,
            by=recruiter,
            hard_skills_rating=4,
            soft_skills_rating=4,
            verdict="go",
            skill_ratings={asked.skill_id: (4, "ok") for asked in mission_a.skills.all()},
        )

    rate_everything()
    urls = [reverse(f"interviews:{n}", args=[interview.pk]) for n in ("detail", "feedback")]
    with_three = [count_queries(desk, url) for url in urls]
    for n in range(17):
        MissionSkill.objects.create(mission=mission_a, skill=SkillFactory(name=f"Tool {n}"))
    rate_everything()

    assert [count_queries(desk, url) for url in urls] == with_three


# --- personal data ---------------------------------------------------------------------------


def test_anonymising_scrubs_the_skill_notes_exports_them_and_drops_a_cancelled_draft(
    interview, demand, recruiter, mission_a, candidate
):
    from candidates import gdpr

    services.record_feedback(
        interview=interview,
        by=recruiter,
        hard_skills_rating=4,
        soft_skills_rating=4,
        verdict="go",
        skill_ratings={demand["Kubernetes"].pk: (5, "Lefèvre ran the upgrade alone.")},
    )
    second = services.schedule_interview(
        entry=interview.entry, by=recruiter, scheduled_at=timezone.now() - timedelta(hours=1)
    )
    services.save_feedback_draft(
        interview=second, by=recruiter, hard_skills_notes="Camille hesitated."
    )
    exported = gdpr.export_candidate(gdpr.export_queryset().get(pk=candidate.pk))
    mission_services.mark_not_retained(entry=interview.entry, by=recruiter, reason="other")

    gdpr.anonymise_candidate(candidate=candidate)

    (first_export, second_export) = exported["shortlist_entries"][0]["interviews"]
    assert first_export["skill_ratings"] == [
        {"skill": "Kubernetes", "rating": 5, "notes": "Lefèvre ran the upgrade alone."}
    ]
    assert second_export["feedback_draft"]["hard_skills_notes"] == "Camille hesitated."
    assert InterviewSkillRating.objects.get().notes == (
        f"Anonymised #{candidate.pk} ran the upgrade alone."
    )
    second.refresh_from_db()
    assert (second.state, second.feedback_draft) == (InterviewState.CANCELLED, None)


# --- the timeline ---------------------------------------------------------------------------


def test_a_no_go_shows_its_verdict_and_causes_on_the_timeline_in_the_readers_language(
    desk, interview, demand
):
    data = complete(
        demand,
        verdict="no_go",
        causes=["soft_skills", "rate_too_high"],
        soft_skills_rating="2",
        soft_skills_notes="Hard to follow.",
    )
    assert post(desk, interview, data).status_code == 302
    step = interview.entry.events.get(message_code="interview_feedback")

    assert step.text == "Feedback on interview 1: No go"
    assert step.note_text == "Causes: Day rate too high, Soft skills / communication"
    page = desk.get(reverse("missions:detail", args=[interview.entry.mission_id])).text
    assert "Causes: Day rate too high, Soft skills / communication" in page
    with translation.override("fr"):
        assert step.text == "Retour sur l’entretien 1\u00a0: No go"


def test_a_go_leaves_no_causes_on_the_timeline(desk, interview, demand):
    assert post(desk, interview, complete(demand)).status_code == 302

    step = interview.entry.events.get(message_code="interview_feedback")

    assert step.text == "Feedback on interview 1: Go"
    assert step.note_text == ""
