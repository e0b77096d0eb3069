"""The client and interview journey in a real browser, two people at work at once.

A client contact logs in, reviews a shortlist, asks to meet one profile and declines another;
the recruiter schedules the interview and records the feedback with its failure causes; the
client selects the profile, and the mission ends filled with the other profile not retained.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from candidates.models import CandidateSkill
from interviews.models import Interview, InterviewState, Verdict
from missions import services
from missions.models import EntryState, MissionState, ShortlistEntry
from tests.factories import CandidateFactory, MissionFactory, SkillFactory

SCREENSHOTS_DIR = Path(__file__).resolve().parent / "screenshots"  # as the `screenshot` fixture
MISSION_TITLE = "Django lead developer"
OTHER_COMPANY_MISSION_TITLE = "Kafka platform architect"

# (first name, last name, email, phone, the freelancer's own rate, the rate sold to the client)
PROFILES = [
    ("Camille", "Lefèvre", "camille.lefevre@mail.test", "06 11 22 33 44", 535, 640),
    ("Hugo", "Marchand", "hugo.marchand@mail.test", "06 55 66 77 88", 545, 655),
    ("Inès", "Caron", "ines.caron@mail.test", "07 12 21 12 21", 565, 670),
]


def _text(locator):
    """The text a reader gets, spaces normalised (money uses non-breaking spaces)."""
    return " ".join(locator.text_content().split())


def _watch_console(page):
    """Collect what `page` logs as errors, CSP violations included (like `console_errors`)."""
    errors = []

    def on_console(message):
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            errors.append(" ".join(filter(None, [message.text, message.location.get("url")])))

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


@pytest.fixture
def recruiter_page(browser, browser_context_args, context, live_server):
    """A second browser, the recruiter's, speaking English like the client's."""
    recruiter_context = browser.new_context(**browser_context_args)
    language = django_settings.LANGUAGE_COOKIE_NAME
    recruiter_context.add_cookies([c for c in context.cookies() if c["name"] == language])
    page = recruiter_context.new_page()
    yield page
    recruiter_context.close()


@pytest.fixture
def recruiter_screenshot(recruiter_page, request):
    """Like `screenshot`, for the recruiter's browser: e2e/screenshots/<test>-recruiter-<label>."""

    def take(label):
        SCREENSHOTS_DIR.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "-", f"{request.node.name}-recruiter-{label}").strip("-")
        path = SCREENSHOTS_DIR / f"{name}.png"
        recruiter_page.screenshot(path=path, full_page=True)
        return path

    return take


@pytest.fixture
def sent_shortlist(recruiter, client_a, client_b, alice):
    """Client A's mission with three profiles sent to alice; client B has a mission of its own."""
    MissionFactory(client=client_b, owner=recruiter, title=OTHER_COMPANY_MISSION_TITLE)
    mission = MissionFactory(client=client_a, owner=recruiter, title=MISSION_TITLE, budget=700)
    django = SkillFactory(name="Django")
    mission.skills.create(skill=django, required=True, min_years=4)
    entries = []
    for first, last, email, phone, own_rate, client_rate in PROFILES:
        candidate = CandidateFactory(
            first_name=first, last_name=last, email=email, phone=phone, day_rate=own_rate
        )
        CandidateSkill.objects.create(
            candidate=candidate, skill=django, years=6, years_override=True
        )
        entry = services.shortlist_candidate(
            mission=mission, candidate=candidate, by=recruiter, confirm_warnings=True
        )
        entry.report = f"{first} led a Django team of five; clear and calm under questions."
        entry.client_rate = client_rate
        entry.save(update_fields=["report", "client_rate"])
        entries.append(entry)
    services.send_shortlist(mission=mission, by=recruiter)
    return mission, entries


def log_in(page, live_server, username):
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("demo")  # the factories' password
    page.get_by_role("button", name="Log in").click()


def client_card(page, name):
    return page.get_by_role("article", name=name)


def test_a_client_reviews_a_shortlist_and_the_mission_ends_filled_after_an_interview(
    page,
    live_server,
    sent_shortlist,
    recruiter,
    screenshot,
    console_errors,
    recruiter_page,
    recruiter_screenshot,
):
    mission, (met, declined, left_over) = sent_shortlist
    recruiter_console_errors = _watch_console(recruiter_page)

    # 1. Alice logs in and lands on her portal: her company's missions only.
    log_in(page, live_server, "alice")
    expect(page).to_have_url(live_server.url + reverse("portal:home"))
    expect(page.get_by_role("heading", name="My missions")).to_be_visible()
    expect(page.get_by_role("link", name=MISSION_TITLE)).to_be_visible()
    assert OTHER_COMPANY_MISSION_TITLE not in page.content()

    # 2. The shortlist shows client-safe cards: first name + initial and the rate sold.
    page.get_by_role("link", name=MISSION_TITLE).click()
    expect(page).to_have_url(live_server.url + reverse("portal:mission", args=[mission.pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text(MISSION_TITLE)
    # The page's text (closed <details> included) and its HTML source, attributes included.
    html = page.content()
    main_text = _text(page.get_by_role("main"))
    for first, last, email, phone, own_rate, client_rate in PROFILES:
        card = client_card(page, f"{first} {last[0]}.")
        expect(card).to_contain_text(f"{client_rate} €/d")
        expect(card.locator(".chip")).to_have_text(["Django · 6 yrs"])
        assert last not in main_text  # the full last name stays with the agency
        assert str(own_rate) not in main_text
        assert email not in html
        assert phone not in html
    screenshot("portal-shortlist")

    # 3a. Alice asks to meet the first profile, with her preferred slots.
    card = client_card(page, "Camille L.")
    card.get_by_text("Ask for an interview").click()
    card.get_by_label("Your preferred slots").fill("Tuesday or Thursday afternoon, on site")
    card.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Request for interview 1 of 3 with Camille L. sent"
    )
    expect(client_card(page, "Camille L.")).to_contain_text("Interview requested")

    # 3b. ...and declines the second one, with a reason and a note.
    card = client_card(page, "Hugo M.")
    card.get_by_text("Decline", exact=True).click()
    card.get_by_label("Day rate too high").check()
    card.get_by_label("Details").fill("Above what we planned for this role.")
    screenshot("decline-form")
    card.get_by_role("button", name="Confirm the decline").click()
    expect(page.get_by_role("status")).to_contain_text("Hugo M. declined.")
    expect(client_card(page, "Hugo M.")).to_have_count(0)  # moved to the closed profiles
    closed = page.locator("details.closed").filter(has_text="Closed profile")
    closed.locator("summary").click()
    expect(closed).to_contain_text("Hugo M.")
    expect(closed).to_contain_text("Day rate too high")
    expect(closed).to_contain_text("Above what we planned for this role.")

    # 4a. The recruiter sees both answers on the dashboard, then on the mission page.
    log_in(recruiter_page, live_server, recruiter.username)
    expect(recruiter_page).to_have_url(live_server.url + reverse("missions:dashboard"))
    answers = recruiter_page.locator("section").filter(
        has=recruiter_page.get_by_role("heading", name="Client answers this week")
    )
    expect(answers.locator("li").filter(has_text="Camille Lefèvre")).to_contain_text(
        "Interview requested"
    )
    expect(answers.locator("li").filter(has_text="Hugo Marchand")).to_contain_text("Declined")
    answers.get_by_role("link", name="Camille Lefèvre").click()
    expect(recruiter_page).to_have_url(
        live_server.url + reverse("missions:detail", args=[mission.pk])
    )
    entry = recruiter_page.get_by_role("article", name="Camille Lefèvre")
    expect(entry).to_contain_text("Tuesday or Thursday afternoon, on site")
    expect(recruiter_page.locator("#shortlist")).to_contain_text("Day rate too high")
    recruiter_screenshot("mission-answers")

    # 4b. It schedules interview 1 of 3. The form takes a confirmed past date, so the interview
    # is scheduled two days ago through the form itself: its feedback can then be recorded
    # without touching the database.
    entry.get_by_role("link", name="Schedule interview 1 of 3").click()
    expect(recruiter_page.get_by_role("heading", level=1)).to_contain_text(
        "Schedule an interview · Camille Lefèvre"
    )
    expect(recruiter_page.get_by_role("main")).to_contain_text("Interview 1 of 3")
    when = timezone.localtime() - timedelta(days=2)
    recruiter_page.get_by_label("Kind").select_option(label="Client interview")
    recruiter_page.get_by_label("Date and time").fill(when.strftime("%Y-%m-%dT10:00"))
    recruiter_page.get_by_label("Duration (minutes)").fill("45")
    recruiter_page.get_by_label("Place").fill("Transalp, 4 quai Perrache, Lyon")
    recruiter_page.get_by_label("Client-side interviewers").fill("Paul Girard, CTO")
    recruiter_screenshot("schedule-form")
    recruiter_page.get_by_role("button", name="Schedule interview 1 of 3").click()
    # A date in the past is most often a typo: the form asks to confirm it, then takes it.
    expect(recruiter_page.get_by_role("main")).to_contain_text("in the past")
    recruiter_page.get_by_label("Yes, this date is in the past on purpose").check()
    recruiter_page.get_by_role("button", name="Schedule interview 1 of 3").click()
    expect(recruiter_page.get_by_role("status")).to_contain_text("Interview 1 of 3 scheduled")
    expect(recruiter_page.locator(".page-head .meta")).to_contain_text("Interview 1 of 3")
    expect(recruiter_page.locator(".page-head .meta")).to_contain_text("Paul Girard, CTO (client)")

    # 4c. It records the feedback: each skill of the demand, the overall hard skills, soft
    # skills, verdict and failure causes.
    recruiter_page.get_by_role("link", name="Enter the feedback").first.click()
    expect(recruiter_page.get_by_role("heading", level=1)).to_contain_text(
        "Interview feedback · Camille Lefèvre"
    )
    django_skill = recruiter_page.get_by_role("radiogroup", name=re.compile(r"^Django"))
    django_skill.get_by_label("4", exact=True).check()
    hard = recruiter_page.get_by_role("radiogroup", name="Overall technical level")
    hard.get_by_label("4", exact=True).check()
    recruiter_page.get_by_label("Notes on the hard skills").fill(
        "Solid ORM and query tuning; explained a migration of 40 million rows."
    )
    soft = recruiter_page.get_by_role("radiogroup", name="Overall soft skills")
    soft.get_by_label("5", exact=True).check()
    recruiter_page.get_by_label("Notes on the soft skills").fill("Listens, reformulates, calm.")
    recruiter_page.get_by_role("radiogroup", name="Verdict").get_by_role(
        "radio", name=re.compile(r"^Undecided")
    ).check()
    causes = recruiter_page.get_by_role("group", name="Failure causes")
    causes.get_by_label("Day rate too high").check()
    recruiter_page.get_by_label("Notes on the causes").fill("Asks 20 € more than the budget.")
    recruiter_screenshot("feedback-form")
    recruiter_page.get_by_role("button", name="Save the feedback").click()
    expect(recruiter_page.get_by_role("status")).to_contain_text("Feedback on interview 1 saved.")
    feedback = recruiter_page.locator("section").filter(
        has=recruiter_page.get_by_role("heading", name="Recruiter's feedback")
    )
    expect(feedback).to_contain_text("4 / 5")
    expect(feedback).to_contain_text("Solid ORM and query tuning")
    expect(feedback).to_contain_text("5 / 5")
    expect(feedback.locator("dd").filter(has_text="Undecided")).to_have_count(1)
    expect(feedback.locator(".chip")).to_have_text(["Day rate too high"])
    interview = Interview.objects.get(entry=met)
    assert interview.number == 1
    assert interview.state == InterviewState.DONE
    assert interview.verdict == Verdict.UNDECIDED
    assert (interview.hard_skills_rating, interview.soft_skills_rating) == (4, 5)
    assert list(interview.causes.values_list("cause", flat=True)) == ["rate_too_high"]

    # 5. Alice selects the profile she met, after a confirmation step.
    page.reload()
    card = client_card(page, "Camille L.")
    expect(card).to_contain_text("Interviewing · 1 of 3")
    card.get_by_role("link", name="Select Camille L.").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Select Camille L. for this mission?")
    expect(page.get_by_role("main")).to_contain_text(
        "The other profile still in progress is closed as not retained."
    )
    screenshot("select-confirmation")
    page.get_by_role("button", name="Confirm: select Camille L.").click()
    expect(page.get_by_role("status")).to_contain_text("You selected Camille L.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Filled")
    expect(client_card(page, "Camille L.")).to_contain_text("Selected")
    closed = page.locator("details.closed").filter(has_text="Closed profiles")
    closed.locator("summary").click()
    expect(closed.locator(".entry").filter(has_text="Inès C.")).to_contain_text("Not retained")
    expect(closed.locator(".entry").filter(has_text="Hugo M.")).to_contain_text("Declined")
    screenshot("filled-mission")

    mission.refresh_from_db()
    assert mission.state == MissionState.FILLED
    states = dict(ShortlistEntry.objects.filter(mission=mission).values_list("pk", "state"))
    assert states == {
        met.pk: EntryState.SELECTED,
        declined.pk: EntryState.DECLINED,
        left_over.pk: EntryState.NOT_RETAINED,
    }

    # The recruiter's mission page says so too.
    recruiter_page.goto(live_server.url + reverse("missions:detail", args=[mission.pk]))
    expect(recruiter_page.get_by_role("heading", level=1)).to_contain_text("Filled")

    # The strict Content Security Policy reports blocked scripts and styles to the console.
    page.wait_for_load_state("networkidle")
    recruiter_page.wait_for_load_state("networkidle")
    assert console_errors == []
    assert recruiter_console_errors == []
