"""The portal card as the client reads it: the report in its parts, the latest experiences
open and the earlier ones folded, select once met, a notice when the profile is placed."""

from datetime import date

import pytest
from django.urls import reverse

from candidates.models import Experience
from missions import services
from missions.models import EntryState, Event, Placement
from missions.tests.test_placements import entry_on, mission_on
from portal.cards import client_card, with_card_data
from portal.tests.test_portal import schedule, send_profiles


@pytest.fixture
def sent_entry(mission_a, candidate, recruiter):
    return send_profiles(mission_a, [candidate], recruiter)[0]


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def card_of(entry):
    return client_card(with_card_data(type(entry).objects.filter(pk=entry.pk)).get())


def mission_page(client, entry):
    return client.get(reverse("portal:mission", args=[entry.mission_id])).text


def write_report(entry, by, **parts):
    services.update_entry(
        entry=entry, by=by, report="Knows logistics inside out.", client_rate=700, **parts
    )


# ---------------------------------------------------------------- the report


def test_the_card_reads_the_report_part_by_part_leaving_out_empty_parts(sent_entry, recruiter):
    write_report(
        sent_entry,
        recruiter,
        report_hard_skills="Django 8 years, PostgreSQL tuning.",
        report_risks="Has not led a team yet.",
        report_availability="Free from 4 January, full time.",
    )
    card = card_of(sent_entry)
    assert [(part.label, part.text) for part in card.report] == [
        ("Why this profile", "Knows logistics inside out."),
        ("Hard skills", "Django 8 years, PostgreSQL tuning."),
        ("Points to check", "Has not led a team yet."),
        ("Availability", "Free from 4 January, full time."),
    ]
    assert card.report.author == "Élodie Martin"


def test_the_portal_shows_each_part_under_its_heading(alice_client, sent_entry, recruiter):
    write_report(sent_entry, recruiter, report_soft_skills="Calm, explains her choices.")
    html = mission_page(alice_client, sent_entry)
    assert '<dt>Why this profile</dt><dd class="prose">Knows logistics inside out.</dd>' in html
    assert '<dt>Soft skills</dt><dd class="prose">Calm, explains her choices.</dd>' in html
    assert "<dt>Points to check</dt>" not in html


def test_a_change_of_a_part_on_a_sent_entry_is_a_step_of_the_timeline(sent_entry, recruiter):
    write_report(sent_entry, recruiter, report_risks="Notice of one month.")
    assert Event.objects.filter(
        entry=sent_entry,
        message="Camille Lefèvre: Report for the client changed: why this profile, risks",
    ).exists()


def test_the_desk_edits_every_part_of_the_report(client, recruiter, sent_entry):
    client.force_login(recruiter)
    response = client.post(
        reverse("missions:entry_edit", args=[sent_entry.pk]),
        {
            "report": "Knows the domain.",
            "report_hard_skills": "Kubernetes, Terraform.",
            "report_soft_skills": "",
            "report_risks": "",
            "report_availability": "In two weeks.",
            "client_rate": "720",
        },
    )
    assert response.status_code == 302
    sent_entry.refresh_from_db()
    assert (sent_entry.report_hard_skills, sent_entry.report_availability) == (
        "Kubernetes, Terraform.",
        "In two weeks.",
    )


def test_a_part_too_long_is_a_form_error(client, recruiter, sent_entry):
    client.force_login(recruiter)
    response = client.post(
        reverse("missions:entry_edit", args=[sent_entry.pk]),
        {"report": "Fine.", "report_risks": "x" * 1001, "client_rate": "720"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["report_risks"] == [
        "Ensure this value has at most 1000 characters (it has 1001)."
    ]


# ---------------------------------------------------------------- experiences


def test_the_card_opens_the_three_latest_experiences_and_folds_the_others(alice_client, sent_entry):
    for year in (2014, 2016, 2018, 2020, 2022):
        Experience.objects.create(
            candidate=sent_entry.candidate,
            company=f"Company {year}",
            role="Developer",
            start=date(year, 1, 1),
            end=date(year + 1, 12, 31),
        )
    card = card_of(sent_entry)
    assert [x.company for x in card.recent_experiences] == [
        "Company 2022",
        "Company 2020",
        "Company 2018",
    ]
    assert [x.company for x in card.earlier_experiences] == ["Company 2016", "Company 2014"]
    html = mission_page(alice_client, sent_entry)
    folded = html[html.index('<details class="more">') :]
    assert "2 earlier experiences" in folded
    assert folded.index("Company 2016") < folded.index("</details>")


# ---------------------------------------------------------------- select


def test_select_is_offered_once_the_client_has_met_the_profile(alice_client, sent_entry, recruiter):
    select_url = reverse("portal:select", args=[sent_entry.pk])
    assert select_url not in mission_page(alice_client, sent_entry)
    schedule(sent_entry, recruiter)
    assert select_url in mission_page(alice_client, sent_entry)


# ---------------------------------------------------------------- placed elsewhere


def test_a_profile_placed_elsewhere_shows_a_notice_naming_nothing_of_the_other_mission(
    alice, client, candidate, client_a, client_b
):
    placed = mission_on(client_b, date(2027, 1, 1), 6, title="Secret programme")
    wanted = mission_on(client_a, date(2027, 2, 1), 3)
    entry_on(placed, candidate, state=EntryState.SELECTED)
    entry = entry_on(wanted, candidate, state=EntryState.INTERVIEWING)
    client.force_login(alice)
    html = mission_page(client, entry)
    assert "This profile is no longer available for your mission's dates." in html
    assert "The freelancer has started another mission, until 30 June 2027." in html
    for secret in ("Secret programme", client_b.name, placed.reference):
        assert secret not in html
    assert reverse("portal:select", args=[entry.pk]) not in html
    assert reverse("portal:request_interview", args=[entry.pk]) not in html


def test_the_notice_tells_the_placements_end_once_extended(
    alice, client, candidate, client_a, client_b
):
    placed = mission_on(client_b, date(2027, 1, 1), 6)
    wanted = mission_on(client_a, date(2027, 2, 1), 3)
    selected = entry_on(placed, candidate, state=EntryState.SELECTED)
    Placement.objects.filter(entry=selected).update(end=date(2027, 9, 30))
    entry = entry_on(wanted, candidate, state=EntryState.INTERVIEWING)
    client.force_login(alice)

    html = mission_page(client, entry)

    assert "The freelancer has started another mission, until 30 September 2027." in html


def test_a_profile_free_again_has_no_notice(alice_client, sent_entry):
    assert "no longer available" not in mission_page(alice_client, sent_entry)


# ---------------------------------------------------------------- the breadcrumb


def test_the_profile_page_has_one_trail_back_to_its_mission(alice_client, sent_entry):
    html = alice_client.get(reverse("portal:entry", args=[sent_entry.pk])).text
    trail = html[html.index('<ol class="crumbs">') : html.index("</ol>")]
    mission_url = reverse("portal:mission", args=[sent_entry.mission_id])
    assert [reverse("portal:home"), mission_url] == [
        part.split('"')[0] for part in trail.split('href="')[1:]
    ]
    assert '<li aria-current="page">Camille L.</li>' in trail
    assert html.count(f'href="{mission_url}"') == 1
