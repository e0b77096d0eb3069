"""Hostile input never breaks the app. Property-based tests post random and malicious values
(huge strings, emoji, right-to-left text, NUL bytes, negative and enormous numbers, impossible
dates, ids of other objects, missing fields) to every form and action, and check that:

- the answer is never a server error (200, 302, 400, 403 or 404 only);
- a refused request changes nothing: every watched table is the same before and after, and a
  form page sent back (200) shows an error;
- an accepted request saves the whole record (its rows and its timeline step) and the page
  it leads to opens.

Each example runs inside a savepoint that is rolled back, so every example of a test starts
from the same data, whatever the previous ones saved.
"""

import dataclasses
import io
import os
import zipfile
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.forms import BaseForm, BaseFormSet
from django.test import Client as BrowserClient
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from candidates.models import (
    Candidate,
    CandidateSkill,
    Experience,
    PortageCompany,
    Project,
)
from interviews import services as interview_services
from interviews.models import Interview, InterviewFailureCause, InterviewState
from missions import services
from missions.models import (
    Client,
    ClientContact,
    Event,
    Mission,
    MissionSkill,
    MissionState,
    Placement,
    ShortlistEntry,
)
from tests.factories import CandidateFactory, MissionFactory, SkillFactory

# BAD_INPUT_EXAMPLES=500 searches deeper (minutes instead of seconds).
examples = hypothesis_settings(
    max_examples=int(os.environ.get("BAD_INPUT_EXAMPLES", 25)),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ALLOWED_STATUSES = {200, 302, 400, 403, 404}
MISSING = "<missing>"  # a field left out of the request altogether

# ---------------------------------------------------------------- hostile values

NASTY_TEXT = [
    "",
    " ",
    "\x00",
    "Dév\x00eloppeur",
    "x" * 10_000,
    "🧑‍💻🚀🔥" * 40,
    "\u202eexe.vurc\u202c",  # right-to-left override
    "مطور بايثون أول",
    "<script>alert(1)</script>",
    "' OR 1=1; --",
    "{{ request }}{% debug %}",
    "%(name)s %s %d",
    "\r\n\t",
    "\ufeff",
    "a" * 161,
]
NASTY_NUMBERS = [
    "-1",
    "0",
    "1",
    "10**12",
    str(10**12),
    "9" * 30,
    "-99999999999",
    "1e3",
    "3.5",
    "NaN",
    "inf",
    "١٢٣",  # Arabic-Indic digits
    "²",
    "",
    " 7 ",
    "0x1F",
    "12abc",
]
NASTY_DATES = [
    "2026-02-30",
    "2026-13-01",
    "2026-00-10",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "31/12/2026",
    "2026-1-1",
    "",
    "tomorrow",
    "2026-06-01T10:00",
]
NASTY_MOMENTS = [
    "2026-02-30T10:00",
    "2026-06-01T25:00",
    "2026-03-29T02:30",  # does not exist in Paris (clocks go forward)
    "2026-10-25T02:30",  # happens twice in Paris
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "2026-06-01",
    "",
    "soon",
]
NASTY_IDS = ["0", "-1", "abc", "1.5", "9" * 25, "", "1 OR 1=1", "١"]


def text():
    return st.one_of(st.sampled_from(NASTY_TEXT), st.text(max_size=200))


def number():
    return st.one_of(
        st.sampled_from(NASTY_NUMBERS), st.integers(-(10**13), 10**13).map(str), text()
    )


def a_date():
    return st.one_of(
        st.sampled_from(NASTY_DATES), st.dates().map(date.isoformat), st.just(future(30))
    )


def a_moment():
    return st.one_of(
        st.sampled_from(NASTY_MOMENTS),
        st.datetimes().map(lambda moment: moment.isoformat(timespec="minutes")),
    )


def an_id(*real_ids):
    """Ids of real objects (often of the wrong kind or company) and ids that are not ids."""
    return st.one_of(st.sampled_from([str(pk) for pk in real_ids]), st.sampled_from(NASTY_IDS))


def a_choice(*values):
    return st.one_of(st.sampled_from(values), text())


def field(valid, *hostile):
    """A valid value, a hostile one, or no value at all."""
    return st.one_of(st.just(valid), *hostile, st.just(MISSING))


def form_data(**strategies):
    return st.fixed_dictionaries(strategies).map(
        lambda data: {name: value for name, value in data.items() if value != MISSING}
    )


def future(days):
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def management(prefix, *, initial):
    """A formset's management form, sometimes tampered with."""
    # A huge count has its own test (test_a_tampered_form_count_builds_a_bounded_form).
    counts = st.sampled_from(["0", "1", "2", "3", "-1", "abc", "9" * 25, MISSING])
    return {
        f"{prefix}-TOTAL_FORMS": st.one_of(st.just("3"), counts),
        f"{prefix}-INITIAL_FORMS": st.one_of(st.just(str(initial)), counts),
        f"{prefix}-MIN_NUM_FORMS": st.just("0"),
        f"{prefix}-MAX_NUM_FORMS": st.just("1000"),
    }


def formset_rows(prefix, count, **row):
    return {
        f"{prefix}-{index}-{name}": strategy
        for index in range(count)
        for name, strategy in row.items()
    }


# ---------------------------------------------------------------- what changed

User = get_user_model()
WATCHED = [
    User,
    Client,
    ClientContact,
    Mission,
    MissionSkill,
    ShortlistEntry,
    Event,
    Interview,
    InterviewFailureCause,
    Candidate,
    CandidateSkill,
    Experience,
    Project,
    Experience.technologies.through,
    Project.technologies.through,
]


def snapshot():
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in WATCHED}


@dataclasses.dataclass
class Attempt:
    response: object
    posted: dict
    before: dict
    after: dict

    @property
    def status(self):
        return self.response.status_code

    @property
    def messages(self):
        return {message.level_tag for message in get_messages(self.response.wsgi_request)}

    @property
    def accepted(self):
        """A redirect without an error message: the action went through."""
        return self.status == 302 and "error" not in self.messages

    @property
    def changed(self):
        return {label for label in self.before if self.before[label] != self.after[label]}

    def added(self, model):
        label = model._meta.label
        return len(self.after[label]) - len(self.before[label])

    def new_rows(self, model):
        label = model._meta.label
        known = {row["id"] for row in self.before[label]}
        return [row for row in self.after[label] if row["id"] not in known]


def forget_messages(client):
    """Messages of earlier examples wait in the cookie (no page showed them): drop them, so
    the ones read after a request are that request's own."""
    client.cookies.pop("messages", None)
    session = client.session
    if session.pop("_messages", None) is not None:
        session.save()


def attempt(client, url, data, method="post", **kwargs):
    forget_messages(client)
    before = snapshot()
    response = getattr(client, method)(url, data, **kwargs)
    return Attempt(response, data, before, snapshot())


def forms_in(response):
    contexts = response.context if isinstance(response.context, list) else [response.context]
    for context in contexts:
        for value in context.flatten().values():
            if isinstance(value, (BaseForm, BaseFormSet)):
                yield value


def shows_a_form_error(response):
    for form in forms_in(response):
        if isinstance(form, BaseFormSet) and form.is_bound and form.total_error_count():
            return True
        if isinstance(form, BaseForm) and form.is_bound and form.errors:
            return True
    return False


def check(result, *, may_change, refusal_page=shows_a_form_error):
    """The properties every form and action shares (see the module docstring)."""
    assert result.status in ALLOWED_STATUSES, result.status
    if result.accepted:
        assert result.changed <= set(may_change), result.changed
    else:
        assert not result.changed, f"refused ({result.status}) yet changed {result.changed}"
        # A POST without a single field (no browser sends one) gets the blank form back.
        if result.status == 200 and result.posted:
            assert refusal_page(result.response), "a page sent back without saying why"


def labels(*models):
    return {model._meta.label for model in models}


@contextmanager
def rolled_back():
    """Undo whatever one example saved, so the next starts from the same data."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def opens(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


# ---------------------------------------------------------------- the data every test uses


@dataclasses.dataclass
class World:
    recruiter: object
    alice: object
    bob: object
    client_a: object
    client_b: object
    skills: list
    portage: object
    mission: object
    draft: object
    other_mission: object
    sent: object  # sent to alice, no interview
    interviewing: object  # three interviews: one past, two upcoming
    proposed: object  # not sent yet
    other_entry: object  # sent to bob's company
    past_interview: object
    upcoming_interview: object
    done_interview: object
    other_interview: object  # past, on bob's company's entry
    free: list  # profiles on no shortlist
    archived: object
    profile: object  # a profile with a skill, an experience and a project


def shortlist_and_report(mission, candidate, by):
    entry = services.shortlist_candidate(
        mission=mission, candidate=candidate, by=by, confirm_warnings=True
    )
    ShortlistEntry.objects.filter(pk=entry.pk).update(report="Solid.", client_rate=650)
    return entry


@pytest.fixture
def world(recruiter, alice, bob, client_a, client_b):
    skills = [SkillFactory(name=name) for name in ("Python", "Django", "React")]
    portage = PortageCompany.objects.create(name="Portage Plus")
    mission = MissionFactory(client=client_a, owner=recruiter, budget=700)
    mission.skills.create(skill=skills[0])
    draft = MissionFactory(client=client_a, owner=recruiter, state=MissionState.DRAFT)
    other_mission = MissionFactory(client=client_b, owner=recruiter)
    pool = CandidateFactory.create_batch(6, day_rate=500)
    sent = shortlist_and_report(mission, pool[0], recruiter)
    interviewing = shortlist_and_report(mission, pool[1], recruiter)
    other_entry = shortlist_and_report(other_mission, pool[0], recruiter)
    services.send_shortlist(mission=mission, by=recruiter)
    services.send_shortlist(mission=other_mission, by=recruiter)
    proposed = shortlist_and_report(mission, pool[2], recruiter)
    now = timezone.now()
    past, upcoming, done = (
        interview_services.schedule_interview(
            entry=interviewing, by=recruiter, scheduled_at=now + timedelta(days=days)
        )
        for days in (-2, 3, -5)
    )
    interview_services.record_feedback(
        interview=done,
        by=recruiter,
        hard_skills_rating=4,
        soft_skills_rating=4,
        verdict="go",
        hard_skills_notes="Good.",
    )
    other_interview = interview_services.schedule_interview(
        entry=other_entry, by=recruiter, scheduled_at=now - timedelta(days=1)
    )
    archived = CandidateFactory(archived_at=now)
    profile = pool[5]
    CandidateSkill.objects.create(candidate=profile, skill=skills[0], years=3)
    Experience.objects.create(
        candidate=profile, company="Transalp", role="Dev", start=date(2019, 1, 1)
    )
    Project.objects.create(candidate=profile, name="Shop", context="personal")
    for entry in (sent, interviewing, proposed, other_entry):
        entry.refresh_from_db()
    return World(
        recruiter=recruiter,
        alice=alice,
        bob=bob,
        client_a=client_a,
        client_b=client_b,
        skills=skills,
        portage=portage,
        mission=mission,
        draft=draft,
        other_mission=other_mission,
        sent=sent,
        interviewing=interviewing,
        proposed=proposed,
        other_entry=other_entry,
        past_interview=past,
        upcoming_interview=upcoming,
        done_interview=done,
        other_interview=other_interview,
        free=pool[3:5],
        archived=archived,
        profile=profile,
    )


@pytest.fixture
def desk(client, world):
    client.force_login(world.recruiter)
    return client


@pytest.fixture
def portal(world):
    browser = BrowserClient()  # its own cookies: a test may use the desk and the portal
    browser.force_login(world.alice)
    return browser


def every_id(w):
    """Ids of objects of every kind: a form that wants one kind must refuse the others."""
    return (
        w.mission.pk,
        w.other_mission.pk,
        w.sent.pk,
        w.other_entry.pk,
        w.free[0].pk,
        w.archived.pk,
        w.alice.pk,
        w.recruiter.pk,
        w.client_b.pk,
        w.skills[0].pk,
        w.past_interview.pk,
    )


# ---------------------------------------------------------------- missions


def mission_fields(w):
    ids = every_id(w)
    return {
        "client": field(str(w.client_a.pk), an_id(*ids)),
        "title": field("Senior Django developer", text()),
        "description": field("Back office.", text()),
        "seniority": field("senior", a_choice("junior", "expert")),
        "budget": field("650", number()),
        "start_date": field(future(30), a_date()),
        "duration_months": field("6", number()),
        "location": field("Lyon", text()),
        "remote_policy": field("hybrid", a_choice("remote", "on_site")),
        "technical_test": field("none", a_choice("generic", "specific")),
        "technical_test_details": field("", text()),
        "owner": field(str(w.recruiter.pk), an_id(*ids)),
    }


def mission_skill_rows(w, *, initial_ids=()):
    ids = every_id(w)
    rows = formset_rows(
        "skills",
        3,
        skill=field(str(w.skills[1].pk), an_id(*ids, *(s.pk for s in w.skills))),
        required=st.sampled_from(["on", "", MISSING]),
        min_years=field("2", number()),
        DELETE=st.sampled_from(["on", "", MISSING]),
    )
    for index, pk in enumerate(initial_ids):
        rows[f"skills-{index}-id"] = field(str(pk), an_id(*ids))
    return {**management("skills", initial=len(initial_ids)), **rows}


def kept_skill_ids(data):
    """The skill ids of the rows an accepted mission form must have saved."""
    total = int(data["skills-TOTAL_FORMS"])
    return {
        int(data[f"skills-{i}-skill"])
        for i in range(total)
        if data.get(f"skills-{i}-skill") and not data.get(f"skills-{i}-DELETE")
    }


@examples
@given(data=st.data())
def test_mission_intake_refuses_bad_input_without_saving_part_of_it(desk, world, data):
    posted = data.draw(form_data(**mission_fields(world), **mission_skill_rows(world)))
    with rolled_back():
        result = attempt(desk, reverse("missions:create"), posted)

        check(result, may_change=labels(Mission, MissionSkill, Event))
        if result.accepted:
            assert result.added(Mission) == 1
            assert result.added(Event) == 1
            mission = Mission.objects.get(pk=result.new_rows(Mission)[0]["id"])
            assert set(mission.skills.values_list("skill_id", flat=True)) == kept_skill_ids(posted)
            opens(desk, result.response["Location"])
            opens(desk, reverse("missions:matching", args=[mission.pk]))


@examples
@given(data=st.data())
def test_mission_edit_refuses_bad_input_and_keeps_the_mission_as_it_was(desk, world, data):
    existing = world.mission.skills.get()
    posted = data.draw(
        form_data(**mission_fields(world), **mission_skill_rows(world, initial_ids=[existing.pk]))
    )
    with rolled_back():
        result = attempt(desk, reverse("missions:edit", args=[world.mission.pk]), posted)

        check(result, may_change=labels(Mission, MissionSkill, Event))
        if result.accepted:
            opens(desk, result.response["Location"])
            opens(desk, reverse("missions:matching", args=[world.mission.pk]))


@examples
@given(data=st.data())
def test_entry_report_refuses_bad_rates_and_text(desk, world, data):
    entry = data.draw(st.sampled_from([world.proposed, world.sent, world.other_entry]))
    posted = data.draw(
        form_data(report=field("Knows the domain.", text()), client_rate=field("800", number()))
    )
    with rolled_back():
        result = attempt(desk, reverse("missions:entry_edit", args=[entry.pk]), posted)

        # A change on a sent entry is a step of the timeline.
        check(result, may_change=labels(ShortlistEntry, Event))
        if result.accepted:
            saved = ShortlistEntry.objects.get(pk=entry.pk)
            assert saved.client_rate >= saved.candidate_rate
            opens(desk, result.response["Location"])


@examples
@given(data=st.data())
def test_mission_transitions_refuse_illegal_moves_cleanly(desk, world, data):
    mission = data.draw(st.sampled_from([world.mission, world.draft, world.other_mission]))
    states = [state.value for state in MissionState]
    posted = data.draw(form_data(to=field("on_hold", a_choice(*states)), note=field("", text())))
    with rolled_back():
        was = mission.state
        result = attempt(desk, reverse("missions:transition", args=[mission.pk]), posted)

        # R8: a mission that ends closes its entries, which cancel their scheduled interviews.
        check(result, may_change=labels(Mission, ShortlistEntry, Interview, Event))
        assert result.status == 302
        if result.accepted:
            assert Mission.objects.get(pk=mission.pk).state == posted["to"] != was
            assert Event.objects.filter(mission=mission, to_state=posted["to"]).exists()


def is_the_confirmation_page(response):
    return "warnings" in response.context


@examples
@given(data=st.data())
def test_shortlist_add_refuses_other_objects_missing_and_non_numeric_ids(desk, world, data):
    mission = data.draw(st.sampled_from([world.mission, world.draft, world.other_mission]))
    ids = every_id(world)
    posted = data.draw(
        form_data(
            candidate=field(str(world.free[0].pk), an_id(*ids, world.proposed.candidate_id)),
            confirm=st.sampled_from(["1", "", "on", "false", "0", "\x00", MISSING]),
            next=st.sampled_from(
                [MISSING, "/missions/", "https://evil.example/", "//evil.example", "\x00"]
            ),
        )
    )
    with rolled_back():
        result = attempt(desk, reverse("missions:shortlist_add", args=[mission.pk]), posted)

        check(
            result,
            may_change=labels(ShortlistEntry, Event),
            refusal_page=is_the_confirmation_page,
        )
        if result.accepted:
            assert result.added(ShortlistEntry) == 1
            assert result.added(Event) == 1
            assert mission.shortlist.active().count() <= 4
        if result.status == 302:
            assert result.response["Location"].startswith("/")
            assert not result.response["Location"].startswith("//")


@examples
@given(data=st.data())
def test_withdraw_and_not_retained_refuse_bad_causes_and_closed_entries(desk, world, data):
    action = data.draw(st.sampled_from(["missions:entry_withdraw", "missions:entry_not_retained"]))
    entry = data.draw(
        st.sampled_from([world.sent, world.interviewing, world.proposed, world.other_entry])
    )
    posted = data.draw(
        form_data(reason=field("availability", a_choice("other", "x")), note=field("", text()))
    )
    with rolled_back():
        result = attempt(desk, reverse(action, args=[entry.pk]), posted)

        # R8: an entry that leaves cancels its scheduled interviews.
        check(result, may_change=labels(ShortlistEntry, Interview, Event))
        assert result.status == 302
        if result.accepted:
            saved = ShortlistEntry.objects.get(pk=entry.pk)
            assert saved.slot is None
            # Not retained may go without a cause: none is then recorded, never a default.
            assert saved.end_reason == posted.get("reason", "")


# ---------------------------------------------------------------- clients and contacts


COLOURS = [
    "#0d5c6e",
    "#FFFFFF",
    "0d5c6e",
    "#0d5c6",
    "#0d5c6e0",
    "#zzzzzz",
    "red",
    "#0d5c6e\x00",
    "#0d5c6e;}</style><script>alert(1)</script>",
    "x" * 10_000,
    "",
]


def client_fields(w):
    return {
        "name": field("Grenoble Énergie", text(), st.just(w.client_b.name)),
        "sector": field("Energy", text()),
        "address": field("", text()),
        "owner": field(str(w.recruiter.pk), an_id(*every_id(w))),
        "brand_colour": field("#123abc", st.sampled_from(COLOURS), text()),
        "is_active": st.sampled_from(["on", "", MISSING]),
        "notes": field("", text()),
    }


def portal_colour(world):
    alice = BrowserClient()
    alice.force_login(world.alice)
    body = opens(alice, reverse("portal:home")).content.decode()
    return body.split("--client: ", 1)[1].split(";", 1)[0]


@examples
@given(data=st.data())
def test_client_create_refuses_bad_colours_and_names(desk, world, data):
    posted = data.draw(form_data(**client_fields(world)))
    with rolled_back():
        result = attempt(desk, reverse("missions:client_create"), posted)

        check(result, may_change=labels(Client))
        if result.accepted:
            assert result.added(Client) == 1
            opens(desk, result.response["Location"])


@examples
@given(data=st.data())
def test_client_edit_keeps_the_portal_colour_a_plain_hex_colour(desk, world, data):
    posted = data.draw(form_data(**client_fields(world)))
    with rolled_back():
        result = attempt(desk, reverse("missions:client_edit", args=[world.client_a.pk]), posted)

        check(result, may_change=labels(Client))
        if result.accepted:
            opens(desk, result.response["Location"])
            if posted.get("is_active"):  # an inactive client's contacts lose the portal
                assert portal_colour(world) == posted["brand_colour"]
        else:
            assert portal_colour(world) == world.client_a.brand_colour


@examples
@given(data=st.data())
def test_contact_invitation_refuses_bad_emails_and_names(desk, world, data):
    posted = data.draw(
        form_data(
            first_name=field("Chloé", text()),
            last_name=field("Martin", text()),
            email=field(
                "chloe@example.com",
                st.sampled_from(
                    [world.alice.email, "ALICE@example.com", "x@", "@x", "a@b\x00.c", "a" * 300]
                ),
                text(),
                st.emails().map(str),
            ),
            job_title=field("", text()),
            phone=field("", text()),
        )
    )
    target = data.draw(st.sampled_from([world.client_a.pk, world.client_b.pk, 0]))
    with rolled_back():
        result = attempt(desk, reverse("missions:contact_invite", args=[target]), posted)

        check(result, may_change=labels(User, ClientContact))
        if result.accepted:
            assert result.added(User) == 1
            assert result.added(ClientContact) == 1
            user = User.objects.get(pk=result.new_rows(User)[0]["id"])
            assert not user.has_usable_password()
            assert user.groups.filter(name="client_contact").exists()


# ---------------------------------------------------------------- profiles


def candidate_fields(w):
    return {
        "first_name": field("Camille", text()),
        "last_name": field("Durand", text()),
        "email": field("", text(), st.just("camille@example.com")),
        "phone": field("", text()),
        "address": field("", text()),
        "location": field("Lyon", text()),
        "mobility": field("", text()),
        "remote_preference": field("hybrid", a_choice("remote")),
        "languages": field("", text()),
        "headline": field("Django developer", text()),
        "seniority": field("senior", a_choice("junior")),
        "day_rate": field("550", number()),
        "available_from": field("", a_date()),
        "legal_form": field("micro", a_choice("portage", "company")),
        "portage_company": field("", an_id(w.portage.pk, *every_id(w))),
        "channel": field("linkedin", a_choice("referral")),
        "consent_on": field("", a_date()),
        "soft_skill_notes": field("", text()),
        "internal_notes": field("", text()),
    }


def candidate_rows(w, *, initial=None):
    ids = every_id(w)
    skill_ids = [s.pk for s in w.skills]
    rows = {
        **management("skills", initial=1 if initial else 0),
        **formset_rows(
            "skills",
            3,
            skill=field(str(w.skills[1].pk), an_id(*ids, *skill_ids)),
            level=field("3", number()),
            years=field("2.5", number()),
            years_override=st.sampled_from(["on", "", MISSING]),
            DELETE=st.sampled_from(["on", "", MISSING]),
        ),
        **management("experiences", initial=1 if initial else 0),
        **formset_rows(
            "experiences",
            3,
            company=field("Transalp", text()),
            role=field("Developer", text()),
            start=field("2018-01-01", a_date()),
            end=field("", a_date()),
            technologies=field(str(w.skills[0].pk), an_id(*ids, *skill_ids)),
            description=field("", text()),
            DELETE=st.sampled_from(["on", "", MISSING]),
        ),
        **management("projects", initial=1 if initial else 0),
        **formset_rows(
            "projects",
            3,
            name=field("Shop", text()),
            context=field("personal", a_choice("school")),
            duration_months=field("3", number()),
            link=field("", text(), st.just("https://example.com")),
            technologies=field("", an_id(*ids, *skill_ids)),
            description=field("", text()),
            DELETE=st.sampled_from(["on", "", MISSING]),
        ),
    }
    if initial:
        other = CandidateSkill.objects.exclude(candidate=initial).values_list("pk", flat=True)
        own = {
            "skills": initial.skills.get().pk,
            "experiences": initial.experiences.get().pk,
            "projects": initial.projects.get().pk,
        }
        for prefix, pk in own.items():
            rows[f"{prefix}-0-id"] = field(str(pk), an_id(*ids, *other))
    return rows


def profile_tables():
    """The tables a profile form writes to: the profile and its skills, experiences, projects."""
    return labels(
        Candidate,
        CandidateSkill,
        Experience,
        Project,
        Experience.technologies.through,
        Project.technologies.through,
    )


@examples
@given(data=st.data())
def test_profile_create_refuses_bad_input_without_saving_part_of_the_profile(desk, world, data):
    posted = data.draw(form_data(**candidate_fields(world), **candidate_rows(world)))
    with rolled_back():
        result = attempt(desk, reverse("candidates:create"), posted)

        check(result, may_change=profile_tables())
        if result.accepted:
            assert result.added(Candidate) == 1
            opens(desk, result.response["Location"])
            opens(desk, reverse("missions:matching", args=[world.mission.pk]))
            opens(desk, reverse("candidates:list"))


@examples
@given(data=st.data())
def test_profile_edit_refuses_bad_input_and_keeps_the_profile_as_it_was(desk, world, data):
    profile = world.profile
    posted = data.draw(
        form_data(**candidate_fields(world), **candidate_rows(world, initial=profile))
    )
    with rolled_back():
        result = attempt(desk, reverse("candidates:edit", args=[profile.pk]), posted)

        check(result, may_change=profile_tables())
        if result.accepted:
            opens(desk, result.response["Location"])
            opens(desk, reverse("missions:matching", args=[world.mission.pk]))
            others = [
                r
                for r in result.after["candidates.CandidateSkill"]
                if r["candidate_id"] != profile.pk
            ]
            assert others == [
                r
                for r in result.before["candidates.CandidateSkill"]
                if r["candidate_id"] != profile.pk
            ]


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


DOCX = docx_bytes()  # once: a zip holds the time it was written


CV_LIMIT = 4096


def cv_content():
    return st.one_of(
        st.binary(max_size=CV_LIMIT * 2),
        st.binary(max_size=CV_LIMIT).map(lambda tail: b"%PDF-1.7\n" + tail),
        st.binary(max_size=64).map(lambda tail: b"PK\x03\x04" + tail),
        st.just(DOCX),
        st.just(b"%PDF-" + b"x" * CV_LIMIT),
    )


def is_a_cv(content):
    return len(content) <= CV_LIMIT and (content.startswith(b"%PDF-") or content == DOCX)


def profile_without_rows(profile, **fields):
    """The profile form as posted for `profile`, with no skill, experience or project row."""
    return {
        "first_name": profile.first_name,
        "last_name": profile.last_name,
        "headline": profile.headline,
        "seniority": profile.seniority,
        "day_rate": str(profile.day_rate),
        "legal_form": profile.legal_form,
        "channel": profile.channel,
        "remote_preference": profile.remote_preference,
        **{f"{prefix}-TOTAL_FORMS": "0" for prefix in ("skills", "experiences", "projects")},
        **{f"{prefix}-INITIAL_FORMS": "0" for prefix in ("skills", "experiences", "projects")},
        **fields,
    }


@examples
@given(
    content=cv_content(),
    name=st.sampled_from(
        ["cv.pdf", "CV.PDF", "../../cv.pdf", "a" * 300 + ".pdf", "cv.pdf\x00.exe", "😀.docx"]
    ),
)
def test_cv_upload_keeps_only_real_documents_under_a_random_name(
    desk, world, settings, content, name
):
    settings.CV_MAX_BYTES = CV_LIMIT
    profile = world.profile
    posted = profile_without_rows(
        profile, cv=SimpleUploadedFile(name, content, content_type="application/pdf")
    )
    with rolled_back():
        result = attempt(desk, reverse("candidates:edit", args=[profile.pk]), posted)

        check(result, may_change=labels(Candidate, CandidateSkill))
        assert result.accepted == is_a_cv(content)
        if result.accepted:
            saved = Candidate.objects.get(pk=profile.pk)
            stored = saved.cv.name.rsplit("/", 1)[-1]
            assert len(stored.split(".")[0]) == 32  # a random hex name, nothing of the upload
            download = desk.get(reverse("candidates:cv", args=[profile.pk]))
            assert b"".join(download.streaming_content) == content
            saved.cv.delete(save=False)


# ---------------------------------------------------------------- interviews


def schedule_fields(w):
    ids = every_id(w)
    return {
        "kind": field("client", a_choice("technical", "test")),
        "scheduled_at": field(
            (timezone.localtime() + timedelta(days=4)).strftime("%Y-%m-%dT%H:%M"), a_moment()
        ),
        "duration_minutes": field("60", number()),
        "place": field("", text()),
        "video_link": field("", text(), st.just("https://meet.example.com/x")),
        "client_interviewers": field("", text()),
        "recruiter": field(str(w.recruiter.pk), an_id(*ids)),
    }


def interview_pages_open(client, interview):
    opens(client, reverse("interviews:detail", args=[interview.pk]))
    ics = client.get(reverse("interviews:ics", args=[interview.pk]))
    assert ics.status_code == 200
    opens(client, reverse("interviews:list"))


@examples
@given(data=st.data())
def test_interview_scheduling_refuses_impossible_dates_and_a_fourth_interview(desk, world, data):
    entry = data.draw(
        st.sampled_from([world.sent, world.interviewing, world.proposed, world.other_entry])
    )
    posted = data.draw(form_data(**schedule_fields(world)))
    with rolled_back():
        result = attempt(desk, reverse("interviews:schedule", args=[entry.pk]), posted)

        check(result, may_change=labels(Interview, ShortlistEntry, Mission, Event))
        if result.accepted:
            assert result.added(Interview) == 1
            interview = Interview.objects.get(pk=result.new_rows(Interview)[0]["id"])
            assert interview.entry.interviews.counted().count() <= 3
            interview_pages_open(desk, interview)


@examples
@given(data=st.data())
def test_interview_rescheduling_refuses_impossible_dates(desk, world, data):
    interview = data.draw(
        st.sampled_from([world.upcoming_interview, world.past_interview, world.done_interview])
    )
    posted = data.draw(form_data(**schedule_fields(world)))
    with rolled_back():
        result = attempt(desk, reverse("interviews:reschedule", args=[interview.pk]), posted)

        check(result, may_change=labels(Interview, Event))
        if result.accepted:
            interview_pages_open(desk, interview)


@examples
@given(data=st.data())
def test_interview_feedback_refuses_out_of_range_ratings_and_unknown_causes(desk, world, data):
    interview = data.draw(
        st.sampled_from([world.past_interview, world.upcoming_interview, world.done_interview])
    )
    rating = st.sampled_from(["0", "6", "-1", "3.5", "", "٣", str(10**12)])
    posted = data.draw(
        form_data(
            hard_skills_rating=field("4", rating, text()),
            hard_skills_notes=field("Clean code.", text()),
            soft_skills_rating=field("2", rating, text()),
            soft_skills_notes=field("Calm.", text()),
            verdict=field("no_go", a_choice("go", "undecided")),
            summary=field("", text()),
            internal_notes=field("", text()),
            causes=field("technical_level", a_choice("other", "rate_too_high")),
            failure_notes=field("", text()),
            test_passed=field("", a_choice("true", "false")),
            test_score=field("", number()),
            test_link=field("", text()),
            draft=field("", a_choice("1")),
        )
    )
    with rolled_back():
        result = attempt(desk, reverse("interviews:feedback", args=[interview.pk]), posted)

        check(result, may_change=labels(Interview, InterviewFailureCause, Event))
        if result.accepted and "draft" in posted:
            # A draft keeps what was typed and records nothing: still to record.
            saved = Interview.objects.get(pk=interview.pk)
            assert saved.state == InterviewState.SCHEDULED
            assert saved.feedback_draft is not None
            interview_pages_open(desk, saved)
        elif result.accepted:
            saved = Interview.objects.get(pk=interview.pk)
            assert saved.state == InterviewState.DONE
            assert 1 <= saved.hard_skills_rating <= 5
            interview_pages_open(desk, saved)


# ---------------------------------------------------------------- the client portal


def answerable_entry(w):
    """Alice's own sent entries, one not sent yet, and bob's company's: only the first answer."""
    return st.sampled_from([w.sent, w.interviewing, w.proposed, w.other_entry])


@examples
@given(data=st.data())
def test_portal_answers_refuse_bad_input_and_other_companies_entries(portal, world, data):
    action = data.draw(
        st.sampled_from(["portal:request_interview", "portal:decline", "portal:select"])
    )
    entry = data.draw(answerable_entry(world))
    posted = data.draw(
        form_data(
            slots=field("Tuesday afternoon", text()),
            reason=field("rate_too_high", a_choice("candidate_withdrew", "other")),
            note=field("", text()),
        )
    )
    with rolled_back():
        result = attempt(portal, reverse(action, args=[entry.pk]), posted)

        # R8: an entry that leaves (declined, another selected) cancels its scheduled
        # interviews; a selection places the profile, whose availability follows it.
        check(
            result,
            may_change=labels(ShortlistEntry, Mission, Interview, Event, Placement, Candidate),
        )
        if entry in (world.proposed, world.other_entry):
            assert result.status == 404
        if result.accepted:
            opens(portal, result.response["Location"])
            opens(portal, reverse("portal:home"))


@examples
@given(data=st.data())
def test_portal_feedback_refuses_bad_text_and_other_companies_interviews(portal, world, data):
    interview = data.draw(
        st.sampled_from(
            [
                world.past_interview,
                world.upcoming_interview,
                world.done_interview,
                world.other_interview,
            ]
        )
    )
    posted = data.draw(form_data(feedback=field("Convincing.", text())))
    with rolled_back():
        result = attempt(portal, reverse("portal:feedback", args=[interview.pk]), posted)

        check(result, may_change=labels(Interview, Event))
        if interview == world.other_interview:
            assert result.status == 404
        if result.accepted:
            opens(portal, result.response["Location"])


@examples
@given(data=st.data())
def test_portal_new_demand_refuses_bad_input_without_saving_part_of_it(portal, world, data):
    skill_ids = [s.pk for s in world.skills]
    posted = data.draw(
        form_data(
            title=field("Data engineer", text()),
            description=field("", text()),
            seniority=field("senior", a_choice("junior")),
            budget=field("600", number()),
            start_date=field(future(20), a_date()),
            duration_months=field("", number()),
            location=field("", text()),
            remote_policy=field("hybrid", a_choice("remote")),
            skills=field(str(skill_ids[0]), an_id(*skill_ids, *every_id(world))),
            other_skills=field("", text(), st.just("Python, Kafka, python")),
        )
    )
    with rolled_back():
        result = attempt(portal, reverse("portal:new_demand"), posted)

        check(result, may_change=labels(Mission, MissionSkill, Event))
        if result.accepted:
            assert result.added(Mission) == 1
            mission = Mission.objects.get(pk=result.new_rows(Mission)[0]["id"])
            assert mission.client_id == world.client_a.pk
            assert mission.state == MissionState.DRAFT
            opens(portal, result.response["Location"])
            desk = BrowserClient()
            desk.force_login(world.recruiter)
            opens(desk, reverse("missions:detail", args=[mission.pk]))
            opens(desk, reverse("missions:matching", args=[mission.pk]))


# ---------------------------------------------------------------- search filters (GET forms)


@examples
@given(data=st.data())
def test_desk_filters_never_fail_on_hostile_query_strings(desk, world, data):
    url = data.draw(
        st.sampled_from(
            [
                reverse("missions:list"),
                reverse("missions:client_list"),
                reverse("missions:create"),
                reverse("missions:dashboard"),
                reverse("missions:matching", args=[world.mission.pk]),
                reverse("candidates:list"),
                reverse("interviews:list"),
                reverse("insights:index"),
            ]
        )
    )
    query = data.draw(
        form_data(
            q=field("", text()),
            state=field("", a_choice("open", "archived", "active", "feedback_due")),
            client=field("", an_id(*every_id(world))),
            owner=field("", an_id("me", *every_id(world))),
            skill=field("", an_id(*every_id(world))),
            skills=field("", text(), st.just("Python, Cobol")),
            seniority=field("", a_choice("senior")),
            max_rate=field("", number()),
            available_before=field("", a_date()),
            channel=field("", a_choice("linkedin")),
            sort=field("", a_choice("rate", "recent")),
            page=field("", number()),
            mine=field("", a_choice("on")),
            scope=field("", a_choice("mine")),
            recruiter=field("", an_id(*every_id(world))),
            **{"from": field("", a_date()), "to": field("", a_date())},
        )
    )
    with rolled_back():
        result = attempt(desk, url, query, method="get")

        assert result.status in ALLOWED_STATUSES
        assert not result.changed


@examples
@given(data=st.data())
def test_portal_pages_never_fail_on_hostile_query_strings(portal, world, data):
    url = data.draw(
        st.sampled_from(
            [
                reverse("portal:home"),
                reverse("portal:interviews"),
                reverse("portal:mission", args=[world.mission.pk]),
                reverse("insights:client"),
            ]
        )
    )
    query = data.draw(
        form_data(
            page=field("", number()),
            format=field("", a_choice("csv")),
            table=field("", text()),
            **{"from": field("", a_date()), "to": field("", a_date())},
        )
    )
    with rolled_back():
        result = attempt(portal, url, query, method="get")

        assert result.status in ALLOWED_STATUSES
        assert not result.changed


# ---------------------------------------------------------------- pinned findings
# Inputs the properties above once found to break a page (a 500, or a record saved that a
# page could not show), kept as plain examples so they are tried on every run.

HUGE_ID = "9" * 25
IMPOSSIBLE_DAYS = ["9999-12-31", "0001-01-01"]


def valid_demand(**changes):
    return {"title": "Data engineer", "seniority": "senior", "remote_policy": "hybrid", **changes}


def valid_schedule(w, **changes):
    moment = (timezone.localtime() + timedelta(days=4)).strftime("%Y-%m-%dT%H:%M")
    return {
        "kind": "client",
        "scheduled_at": moment,
        "duration_minutes": "60",
        "recruiter": str(w.recruiter.pk),
        **changes,
    }


def valid_mission(w, **changes):
    return {
        "client": str(w.client_a.pk),
        "title": "Senior Django developer",
        "seniority": "senior",
        "remote_policy": "hybrid",
        "technical_test": "none",
        "owner": str(w.recruiter.pk),
        "skills-TOTAL_FORMS": "0",
        "skills-INITIAL_FORMS": "0",
        **changes,
    }


@pytest.mark.parametrize(
    "query",
    [{"skill": HUGE_ID}, {"client": HUGE_ID}, {"owner": HUGE_ID}, {"client": "²"}],
)
def test_a_mission_list_filter_with_an_impossible_id_is_ignored(desk, query):
    response = desk.get(reverse("missions:list"), query)

    assert response.status_code == 200
    unfiltered = desk.get(reverse("missions:list")).context["page_obj"]
    assert list(response.context["page_obj"]) == list(unfiltered)


def test_a_demand_naming_an_impossible_skill_id_is_a_form_error(portal, world):
    response = portal.post(reverse("portal:new_demand"), valid_demand(skills=HUGE_ID))

    assert response.status_code == 200
    assert response.context["form"].errors["skills"]


def test_an_experience_naming_an_impossible_technology_id_is_a_form_error(desk, world):
    posted = {
        "first_name": "Camille",
        "last_name": "Durand",
        "headline": "Django developer",
        "seniority": "senior",
        "day_rate": "550",
        "legal_form": "micro",
        "channel": "linkedin",
        "remote_preference": "hybrid",
        **{f"{prefix}-TOTAL_FORMS": "0" for prefix in ("skills", "projects")},
        **{f"{prefix}-INITIAL_FORMS": "0" for prefix in ("skills", "experiences", "projects")},
        "experiences-TOTAL_FORMS": "1",
        "experiences-0-company": "Transalp",
        "experiences-0-role": "Developer",
        "experiences-0-start": "2019-01-01",
        "experiences-0-technologies": HUGE_ID,
    }
    before = snapshot()

    response = desk.post(reverse("candidates:create"), posted)

    assert response.status_code == 200
    assert response.context["experiences_formset"].errors[0]["technologies"]
    assert snapshot() == before


@pytest.mark.parametrize("duration", ["4193438643", "481", "14"])
def test_an_interview_duration_outside_15_to_480_minutes_is_a_form_error(desk, world, duration):
    url = reverse("interviews:schedule", args=[world.sent.pk])

    response = desk.post(url, valid_schedule(world, duration_minutes=duration))

    assert response.status_code == 200
    assert response.context["form"].errors["duration_minutes"]


@pytest.mark.parametrize("moment", ["9999-12-31T23:59", "0001-01-01T00:00"])
def test_an_interview_in_an_impossible_year_is_a_form_error(desk, world, moment):
    url = reverse("interviews:schedule", args=[world.sent.pk])

    response = desk.post(url, valid_schedule(world, scheduled_at=moment))

    assert response.status_code == 200
    assert response.context["form"].errors["scheduled_at"]


@pytest.mark.parametrize("start", IMPOSSIBLE_DAYS)
def test_a_mission_starting_in_an_impossible_year_is_a_form_error(desk, world, start):
    response = desk.post(reverse("missions:create"), valid_mission(world, start_date=start))

    assert response.status_code == 200
    assert response.context["form"].errors["start_date"]


@pytest.mark.parametrize("duration", [str(10**12), "121", "0"])
def test_a_mission_duration_outside_one_to_120_months_is_a_form_error(desk, world, duration):
    response = desk.post(reverse("missions:create"), valid_mission(world, duration_months=duration))

    assert response.status_code == 200
    assert response.context["form"].errors["duration_months"]


@pytest.mark.parametrize(
    "changes", [{"duration_months": str(10**12)}, {"start_date": "9999-12-31"}]
)
def test_a_demand_with_an_impossible_period_is_a_form_error(portal, world, changes):
    response = portal.post(reverse("portal:new_demand"), valid_demand(**changes))

    assert response.status_code == 200
    assert set(response.context["form"].errors) == set(changes)


@pytest.mark.parametrize("day", IMPOSSIBLE_DAYS)
def test_figures_for_an_impossible_period_fall_back_to_the_default_one(desk, portal, day):
    for browser, url in ((portal, "insights:client"), (desk, "insights:index")):
        response = browser.get(reverse(url), {"from": day, "to": day})

        assert response.status_code == 200
        assert response.context["form"].errors


def test_a_cv_with_a_long_file_name_is_kept_under_a_short_random_one(desk, world):
    profile = world.profile
    posted = profile_without_rows(
        profile, cv=SimpleUploadedFile("CV-" + "long-name-" * 30 + ".pdf", b"%PDF-1.7\n%%EOF")
    )

    response = desk.post(reverse("candidates:edit", args=[profile.pk]), posted)

    assert response.status_code == 302
    saved = Candidate.objects.get(pk=profile.pk)
    assert len(saved.cv.name) <= 100
    saved.cv.delete(save=False)


# ---------------------------------------------------------------- tampered form counts


@pytest.mark.parametrize(
    ("view", "prefixes", "limit"),
    [
        ("missions:create", ["skills"], 20),
        ("candidates:create", ["skills", "experiences", "projects"], 100),
    ],
)
def test_a_tampered_form_count_builds_a_bounded_form(desk, view, prefixes, limit):
    """A TOTAL_FORMS of a million must not make the server build a million rows (Django
    would build up to 2,000 per formset and send them all back: a minute per request)."""
    posted = {name: "1000000" for prefix in prefixes for name in [f"{prefix}-TOTAL_FORMS"]}
    posted.update({f"{prefix}-INITIAL_FORMS": "0" for prefix in prefixes})
    before = snapshot()

    response = desk.post(reverse(view), posted)

    assert response.status_code == 200
    formsets = {id(f): f for f in forms_in(response) if isinstance(f, BaseFormSet)}.values()
    assert len(formsets) == len(prefixes)
    for formset in formsets:
        assert len(formset.forms) <= limit
        assert formset.non_form_errors()
    assert snapshot() == before


# ---------------------------------------------------------------- NUL bytes, on every backend


def nul_cases(w):
    """(url, text field, valid data) of forms whose text reaches a text column."""
    profile = {
        "first_name": "Camille",
        "last_name": "Durand",
        "headline": "Django developer",
        "seniority": "senior",
        "day_rate": "550",
        "legal_form": "micro",
        "channel": "linkedin",
        "remote_preference": "hybrid",
        **{f"{prefix}-TOTAL_FORMS": "0" for prefix in ("skills", "experiences", "projects")},
        **{f"{prefix}-INITIAL_FORMS": "0" for prefix in ("skills", "experiences", "projects")},
    }
    return {
        "mission": (
            reverse("missions:create"),
            "title",
            {
                "client": str(w.client_a.pk),
                "title": "Senior Django developer",
                "seniority": "senior",
                "remote_policy": "hybrid",
                "technical_test": "none",
                "owner": str(w.recruiter.pk),
                "skills-TOTAL_FORMS": "0",
                "skills-INITIAL_FORMS": "0",
            },
        ),
        "client": (
            reverse("missions:client_create"),
            "notes",
            {"name": "Grenoble Énergie", "brand_colour": "#123456", "notes": "Key account"},
        ),
        "contact": (
            reverse("missions:contact_invite", args=[w.client_a.pk]),
            "last_name",
            {"first_name": "Chloé", "last_name": "Martin", "email": "chloe@example.com"},
        ),
        "profile": (reverse("candidates:create"), "internal_notes", profile),
        "report": (
            reverse("missions:entry_edit", args=[w.proposed.pk]),
            "report",
            {"report": "Knows the domain.", "client_rate": "800"},
        ),
    }


@pytest.mark.parametrize("case", ["mission", "client", "contact", "profile", "report"])
def test_a_nul_byte_in_a_text_field_is_a_form_error_not_a_database_error(desk, world, case):
    """PostgreSQL refuses NUL in text columns: the forms refuse it first, on every backend."""
    url, name, valid = nul_cases(world)[case]
    before = snapshot()

    response = desk.post(url, {**valid, name: "Python\x00Django"})

    assert response.status_code == 200
    assert "Null characters are not allowed." in response.context["form"].errors[name]
    assert snapshot() == before
    # The same data without the NUL byte goes through: the refusal was about the byte.
    assert desk.post(url, valid).status_code == 302


@pytest.mark.parametrize(
    "url", ["missions:list", "missions:client_list", "candidates:list", "interviews:list"]
)
def test_a_nul_byte_in_a_search_is_no_server_error(desk, url):
    response = desk.get(reverse(url), {"q": "Python\x00Django", "state": "\x00"})

    assert response.status_code == 200
