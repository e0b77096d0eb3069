"""A recruiter's day in the browser: take a demand, find profiles, shortlist four, be refused a
fifth, write the reports and send the shortlist to the client."""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from candidates.models import CandidateSkill, Seniority
from missions.models import ENTRY_ACTIVE_STATES, EntryState, Mission, MissionState
from tests.factories import (
    CandidateFactory,
    ClientFactory,
    SkillFactory,
    make_contact,
    make_recruiter,
)

BUDGET = 650
SKILL_NAMES = ["Python", "Django", "Docker", "PostgreSQL", "Kubernetes", "React"]
# The demand typed into the intake form: (skill, required, minimum years).
DEMAND = [("Python", True, 3), ("Django", True, 3), ("Docker", False, 0)]


@dataclass(frozen=True)
class Profile:
    first_name: str
    last_name: str
    seniority: str
    day_rate: int
    skills: dict = field(compare=False)  # skill name -> years

    @property
    def name(self):
        return f"{self.first_name} {self.last_name}"


# Five profiles fit the demand (Python and Django for years, seniors, around the budget);
# Thomas asks more than the budget, so positioning him needs a confirmation (R7).
CAMILLE = Profile(
    "Camille", "Lefèvre", Seniority.SENIOR, 560, {"Python": 8, "Django": 6, "Docker": 4}
)
HUGO = Profile("Hugo", "Bernard", Seniority.SENIOR, 580, {"Python": 6, "Django": 5, "Docker": 3})
THOMAS = Profile("Thomas", "Petit", Seniority.SENIOR, 690, {"Python": 7, "Django": 6, "Docker": 5})
LEA = Profile("Léa", "Garnier", Seniority.SENIOR, 520, {"Python": 5, "Django": 4, "PostgreSQL": 3})
NADIA = Profile("Nadia", "Rousseau", Seniority.EXPERT, 600, {"Python": 10, "Django": 8})
GOOD_MATCHES = [CAMILLE, HUGO, THOMAS, LEA, NADIA]  # in ranking order
JULIE = Profile("Julie", "Morel", Seniority.JUNIOR, 380, {"Python": 1, "Django": 1})
ANTOINE = Profile("Antoine", "Faure", Seniority.CONFIRMED, 450, {"React": 5, "Docker": 2})
WEAK_MATCHES = [JULIE, ANTOINE]  # in ranking order
# No demanded skill at all: matching leaves her out.
OFF_TOPIC = Profile("Sarah", "Lambert", Seniority.SENIOR, 550, {"React": 7, "Kubernetes": 2})

SHORTLISTED = [CAMILLE, HUGO, THOMAS, LEA]  # the four best scores, in ranking order
RATES_SOLD = {CAMILLE: 650, HUGO: 650, THOMAS: 760, LEA: 620}


def margin_text(profile):
    """The margin as the mission page shows it in English: `90 €/d · 13.8 %`."""
    sold = RATES_SOLD[profile]
    amount = sold - profile.day_rate
    share = round(Decimal(100 * amount) / sold, 1)
    return f"{amount}\u00a0€/d · {share}\u00a0%"


@pytest.fixture
def desk(transactional_db):
    """A recruiter, a client with a contact to email, six skills and a pool of eight profiles."""
    recruiter = make_recruiter("recruiter", first_name="Élodie", last_name="Martin")
    client = ClientFactory(name="Transalp Logistique", owner=recruiter)
    contact = make_contact("alice", client, first_name="Alice", last_name="Moreau")
    skills = {name: SkillFactory(name=name) for name in SKILL_NAMES}
    candidates = {}
    for profile in [*GOOD_MATCHES, *WEAK_MATCHES, OFF_TOPIC]:
        candidate = CandidateFactory(
            first_name=profile.first_name,
            last_name=profile.last_name,
            seniority=profile.seniority,
            day_rate=profile.day_rate,
        )
        CandidateSkill.objects.bulk_create(
            CandidateSkill(
                candidate=candidate, skill=skills[name], years=years, years_override=True
            )
            for name, years in profile.skills.items()
        )
        candidates[profile] = candidate
    return {"recruiter": recruiter, "client": client, "contact": contact, "pool": candidates}


def control(page, label):
    """The control labelled exactly `label`; a required field's label ends with a `*` mark."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}(\s*\*)?\s*$"))


def log_in(page, live_server, user):
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(live_server.url + reverse("missions:dashboard"))


def take_the_demand(page, live_server, client):
    page.goto(live_server.url + reverse("missions:create"))
    control(page, "Client").select_option(label=client.name)
    control(page, "Title").fill("Backend developer Python/Django")
    control(page, "Description").fill(
        "Rebuild the warehouse back office; the team ships every week."
    )
    control(page, "Seniority wanted").select_option(label="Senior")
    control(page, "Daily budget (€)").fill(str(BUDGET))
    start = date.today() + timedelta(days=30)
    control(page, "Start date").fill(start.isoformat())
    control(page, "Duration (months)").fill("6")
    control(page, "Location").fill("Lyon")
    for row, (skill, required, min_years) in enumerate(DEMAND):
        control(page, "Skill").nth(row).select_option(label=skill)
        control(page, "Required").nth(row).set_checked(required)
        control(page, "Minimum years").nth(row).fill(str(min_years))
    page.get_by_role("button", name="Create the mission").click()

    expect(page.get_by_role("status")).to_contain_text("created")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Backend developer Python/Django")
    expect(heading).to_contain_text("Draft")
    return Mission.objects.get(title="Backend developer Python/Django")


def open_the_mission(page):
    page.get_by_text("Change state").click()
    page.get_by_label("New state").select_option(label="Open")
    page.get_by_role("button", name="Confirm the change").click()

    expect(page.get_by_role("status")).to_have_text("The mission's state changed.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Open")


def shortlist(page, profile):
    page.get_by_role("button", name=f"Add to shortlist: {profile.name}").click()
    if profile.day_rate > BUDGET:
        # R7: a rate above the client's budget is positioned only once confirmed.
        expect(page.get_by_role("heading", level=1)).to_have_text(
            f"Position {profile.name} anyway?"
        )
        expect(page.get_by_role("alert")).to_contain_text(
            f"Day rate {profile.day_rate} € is above the client's budget of {BUDGET} €."
        )
        page.get_by_role("button", name="Confirm and add").click()
    added = page.get_by_role("status").filter(has_text="added to the shortlist")
    expect(added).to_have_text(f"{profile.name} added to the shortlist.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Matching")


def matching_row(page, profile):
    return page.get_by_role("row").filter(has=page.get_by_role("link", name=profile.name))


def active_entry_count(mission):
    return mission.shortlist.filter(state__in=ENTRY_ACTIVE_STATES).count()


def write_report(page, profile):
    entry = page.get_by_role("article", name=profile.name)
    entry.get_by_role("link", name="Report and rate").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Report on {profile.name}")
    control(page, "Why this profile").fill(
        f"{profile.first_name} has shipped Django back offices for years; "
        "clear speaker, available at the start, no notice period."
    )
    control(page, "Rate sold to the client (€/day)").fill(str(RATES_SOLD[profile]))
    page.get_by_role("button", name="Save the report").click()

    expect(page.get_by_role("status")).to_have_text("Report saved.")
    expect(entry).to_contain_text(margin_text(profile))


def see_the_ranking(page):
    """Every profile with a demanded skill, best first, each score explained in chips."""
    expect(page.get_by_role("heading", name="7 profiles ranked")).to_be_visible()
    names = page.get_by_role("row").get_by_role("link")
    expect(names).to_have_text([profile.name for profile in GOOD_MATCHES + WEAK_MATCHES])
    best = matching_row(page, CAMILLE)
    expect(best.get_by_role("cell").first).to_have_text("100 out of 100")
    for chip in ["Python 8 yrs ✓", "Django 6 yrs ✓", "Docker 4 yrs ✓", "Senior ✓"]:
        expect(best.get_by_role("listitem").filter(has_text=chip)).to_be_visible()
    expect(matching_row(page, THOMAS)).to_contain_text(f"Rate 690 € > budget {BUDGET} €")
    expect(page.get_by_role("link", name=OFF_TOPIC.name)).to_have_count(0)


def see_why_a_fifth_cannot_be_added(page, profile):
    expect(page.get_by_role("status").filter(has_text="The shortlist is full")).to_have_text(
        re.compile(r"The shortlist is full \(4 / 4\)\.")
    )
    row = matching_row(page, profile)
    add = row.get_by_role("button", name="Add to shortlist")
    expect(add).to_be_disabled()
    expect(add).to_have_accessible_description(re.compile(r"The shortlist is full \(4 / 4\)"))
    expect(row).to_contain_text("Shortlist full (4 / 4)")


def post_a_fifth_by_hand(page, live_server, mission, candidate):
    """What a stale tab or a crafted request would send: the add form, posted anyway."""
    matching_path = reverse("missions:matching", args=[mission.pk])
    refused = page.request.post(
        live_server.url + reverse("missions:shortlist_add", args=[mission.pk]),
        form={
            "csrfmiddlewaretoken": page.locator("[name=csrfmiddlewaretoken]").first.input_value(),
            "candidate": str(candidate.pk),
            "next": matching_path,
        },
        max_redirects=0,
    )
    assert refused.status == 302
    assert refused.headers["location"] == matching_path
    page.goto(live_server.url + matching_path)  # where the message waits


def test_a_recruiter_takes_a_demand_shortlists_four_profiles_and_sends_them(
    page, live_server, desk, screenshot, console_errors, mailoutbox
):
    log_in(page, live_server, desk["recruiter"])

    mission = take_the_demand(page, live_server, desk["client"])
    assert set(mission.skills.values_list("skill__name", "required", "min_years")) == {
        (skill, required, Decimal(years)) for skill, required, years in DEMAND
    }
    open_the_mission(page)

    page.get_by_role("link", name="Find profiles").click()
    see_the_ranking(page)
    screenshot("matching")

    for profile in SHORTLISTED:
        shortlist(page, profile)

    # A fifth profile: the page says why it cannot be added...
    see_why_a_fifth_cannot_be_added(page, NADIA)
    screenshot("shortlist-full")
    # ...and the server refuses it all the same (R1).
    post_a_fifth_by_hand(page, live_server, mission, desk["pool"][NADIA])
    expect(page.get_by_role("alert")).to_have_text(
        "The shortlist is full: 4 profiles at most. Remove one to add another."
    )
    expect(page.get_by_role("listitem").filter(has_text="Shortlist 4 / 4")).to_be_visible()
    assert active_entry_count(mission) == 4

    # Sending waits for every report and rate sold, and the button says so.
    page.get_by_role("link", name="Back to the mission and its shortlist").click()
    expect(page.get_by_role("heading", name="Shortlist 4 / 4")).to_be_visible()
    send = page.get_by_role("button", name="Send 4 profiles to the client")
    expect(send).to_be_disabled()
    expect(send).to_have_accessible_description(
        re.compile(r"^Write the report and the rate for the client of: .+\.$")
    )
    screenshot("reports-missing")
    for profile in SHORTLISTED:
        write_report(page, profile)
    # The mean of the four margins above: 13.8, 10.8, 9.2 and 16.1 %.
    expect(page.get_by_text("Average margin: 12.5\u00a0%")).to_be_visible()
    expect(send).to_be_enabled()

    send.click()

    expect(page.get_by_role("status")).to_have_text(
        "Shortlist sent: 4 profiles. The client contacts are notified by email."
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Shortlist sent")
    for profile in SHORTLISTED:
        expect(page.get_by_role("article", name=profile.name)).to_contain_text("Sent")
    screenshot("sent")
    mission.refresh_from_db()
    assert mission.state == MissionState.SHORTLIST_SENT
    assert set(mission.shortlist.values_list("state", flat=True)) == {EntryState.SENT}
    assert [message.to for message in mailoutbox] == [[desk["contact"].email]]
    assert reverse("portal:mission", args=[mission.pk]) in mailoutbox[0].body

    page.wait_for_load_state("networkidle")
    assert console_errors == []
