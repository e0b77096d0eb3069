"""The writes that used to live in views and admin, now services: archives and restores,
the contact invitation, the client's decline, and the report and price of an entry."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from missions import contacts, services
from missions.locking import lock_entry
from missions.models import (
    ClientContact,
    EntryState,
    Event,
    FailureCause,
    Mission,
    MissionState,
    ShortlistEntry,
)
from staffing import access


def shortlist(mission, candidate, by, *, report="Knows the domain.", client_rate=650):
    entry = services.shortlist_candidate(
        mission=mission, candidate=candidate, by=by, confirm_warnings=True
    )
    ShortlistEntry.objects.filter(pk=entry.pk).update(report=report, client_rate=client_rate)
    entry.refresh_from_db()
    return entry


def sent(mission, candidate, by):
    entry = shortlist(mission, candidate, by)
    services.send_shortlist(mission=mission, by=by)
    entry.refresh_from_db()
    return entry


def interviewing(entry, by):
    with transaction.atomic():
        services.start_interviewing(entry=lock_entry(entry), by=by)
    entry.refresh_from_db()
    return entry


def code_of(excinfo):
    return excinfo.value.code


@pytest.fixture
def desk(client, recruiter):
    client.force_login(recruiter)
    return client


# ---------------------------------------------------------------- archives


def test_an_open_mission_is_not_archived_and_nothing_is_written(mission_a, recruiter):
    events = Event.objects.count()

    with pytest.raises(ValidationError) as excinfo:
        services.archive_mission(mission=mission_a, by=recruiter)

    assert code_of(excinfo) == "mission_not_final"
    mission_a.refresh_from_db()
    assert mission_a.archived_at is None
    assert Event.objects.count() == events


def test_a_finished_mission_is_archived_then_restored_with_a_step_each(mission_a, recruiter):
    Mission.objects.filter(pk=mission_a.pk).update(state=MissionState.LOST)

    services.archive_mission(mission=mission_a, by=recruiter)
    mission_a.refresh_from_db()
    assert mission_a.archived_at is not None

    services.restore_mission(mission=mission_a, by=recruiter)
    mission_a.refresh_from_db()
    assert mission_a.archived_at is None
    assert list(
        mission_a.events.filter(author=recruiter).order_by("pk").values_list("message", flat=True)
    ) == ["Mission archived", "Mission restored from the archive"]


def test_a_client_with_an_unfinished_mission_is_not_archived(client_a, mission_a, recruiter):
    with pytest.raises(ValidationError) as excinfo:
        services.archive_client(client=client_a, by=recruiter)

    assert code_of(excinfo) == "client_has_open_missions"
    assert "M-2026-00001" in excinfo.value.messages[0]
    client_a.refresh_from_db()
    assert client_a.is_active is True


def test_a_client_is_archived_then_restored(client_a, recruiter):
    services.archive_client(client=client_a, by=recruiter)
    client_a.refresh_from_db()
    assert client_a.is_active is False

    services.restore_client(client=client_a, by=recruiter)
    client_a.refresh_from_db()
    assert client_a.is_active is True


def test_the_admin_restores_an_archived_client(client, admin_user, client_a):
    client_a.is_active = False
    client_a.save(update_fields=["is_active"])
    client.force_login(admin_user)

    client.post(
        reverse("admin:missions_client_changelist"),
        {"action": "restore_clients", "_selected_action": [client_a.pk]},
    )

    client_a.refresh_from_db()
    assert client_a.is_active is True


# ---------------------------------------------------------------- the contact invitation


def invite(client, by, email="chloe@transalp.test"):
    return contacts.invite_contact(
        client=client, by=by, first_name="Chloé", last_name="Martin", email=email
    )


def test_an_invitation_creates_the_login_the_contact_and_the_role_and_mails_after_commit(
    client_a, recruiter, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        contact = invite(client_a, recruiter, email="  Chloe@Transalp.TEST ")
        assert mailoutbox == [], "no email before the commit"

    assert contact.client == client_a
    assert contact.user.username == contact.user.email == "chloe@transalp.test"
    assert not contact.user.has_usable_password()
    assert contact.user.groups.filter(name=access.CLIENT_CONTACT).exists()
    assert [m.to for m in mailoutbox] == [["chloe@transalp.test"]]


def test_an_email_already_used_is_refused_whatever_its_case_and_nothing_is_created(
    client_a, client_b, recruiter, alice
):
    users, contacts_before = get_user_model().objects.count(), ClientContact.objects.count()

    with pytest.raises(ValidationError) as excinfo:
        invite(client_b, recruiter, email=alice.email.upper())

    assert code_of(excinfo) == "email_taken"
    assert get_user_model().objects.count() == users
    assert ClientContact.objects.count() == contacts_before


def test_a_contact_is_not_invited_to_an_archived_client(client_a, recruiter):
    client_a.is_active = False
    client_a.save(update_fields=["is_active"])

    with pytest.raises(ValidationError) as excinfo:
        invite(client_a, recruiter)

    assert code_of(excinfo) == "client_archived"
    assert not get_user_model().objects.filter(email="chloe@transalp.test").exists()


def test_the_invitation_page_shows_a_used_email_as_a_field_error(desk, client_a, alice):
    response = desk.post(
        reverse("missions:contact_invite", args=[client_a.pk]),
        {"first_name": "Alice", "last_name": "Again", "email": alice.email},
    )

    assert response.status_code == 200
    assert "A user with this email already exists." in response.context["form"].errors["email"]


# ---------------------------------------------------------------- the client's decline


def test_the_client_declines_a_sent_profile(
    mission_a, candidate, recruiter, alice, mailoutbox, django_capture_on_commit_callbacks
):
    entry = sent(mission_a, candidate, recruiter)

    with django_capture_on_commit_callbacks(execute=True):
        services.client_declines(
            entry=entry, by=alice, reason=FailureCause.RATE_TOO_HIGH, note="Too high"
        )

    entry.refresh_from_db()
    assert entry.state == EntryState.DECLINED
    assert entry.end_reason == FailureCause.RATE_TOO_HIGH
    assert [m.to for m in mailoutbox] == [[recruiter.email]]


def test_a_decline_after_interviews_started_is_not_retained_even_from_a_stale_row(
    mission_a, candidate, recruiter, alice, mailoutbox, django_capture_on_commit_callbacks
):
    stale = sent(mission_a, candidate, recruiter)  # the portal page read it as "sent"
    interviewing(ShortlistEntry.objects.get(pk=stale.pk), recruiter)

    with django_capture_on_commit_callbacks(execute=True):
        services.client_declines(entry=stale, by=alice, reason=FailureCause.TECHNICAL_LEVEL)

    entry = ShortlistEntry.objects.get(pk=stale.pk)
    assert entry.state == EntryState.NOT_RETAINED
    assert entry.events.filter(
        from_state=EntryState.INTERVIEWING, to_state=EntryState.NOT_RETAINED, author=alice
    ).exists()
    assert [m.to for m in mailoutbox] == [[recruiter.email]]


def test_a_second_decline_is_refused_and_no_email_leaves(
    mission_a, candidate, recruiter, alice, mailoutbox, django_capture_on_commit_callbacks
):
    entry = sent(mission_a, candidate, recruiter)
    services.client_declines(entry=entry, by=alice, reason=FailureCause.OTHER)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as exc:
        services.client_declines(entry=entry, by=alice, reason=FailureCause.OTHER)

    assert code_of(exc) == "illegal_transition"
    assert mailoutbox == []


# ---------------------------------------------------------------- report and price


def test_a_proposed_entry_changes_freely_without_a_step(mission_a, candidate, recruiter):
    entry = shortlist(mission_a, candidate, recruiter)
    events = Event.objects.count()

    services.update_entry(entry=entry, by=recruiter, report="Better report.", client_rate=700)

    entry.refresh_from_db()
    assert (entry.report, entry.client_rate) == ("Better report.", 700)
    assert Event.objects.count() == events


def test_a_price_change_on_a_sent_entry_leaves_a_step_with_both_prices(
    mission_a, candidate, recruiter
):
    entry = sent(mission_a, candidate, recruiter)

    services.update_entry(entry=entry, by=recruiter, report=entry.report, client_rate=700)

    entry.refresh_from_db()
    assert entry.client_rate == 700
    messages = list(entry.events.filter(author=recruiter).values_list("message", flat=True))
    assert "Camille Lefèvre: Rate for the client changed: 650 € → 700 €" in messages


def test_a_report_change_on_an_entry_in_interviews_leaves_a_step(mission_a, candidate, recruiter):
    entry = interviewing(sent(mission_a, candidate, recruiter), recruiter)

    services.update_entry(entry=entry, by=recruiter, report="Shines in pairing.", client_rate=650)

    assert entry.events.filter(
        message="Camille Lefèvre: Report for the client changed: why this profile",
        author=recruiter,
    ).exists()


def test_saving_the_same_values_writes_nothing(mission_a, candidate, recruiter):
    entry = sent(mission_a, candidate, recruiter)
    events = Event.objects.count()

    services.update_entry(entry=entry, by=recruiter, report=entry.report, client_rate=650)

    assert Event.objects.count() == events


@pytest.mark.parametrize("close", ["select", "decline"])
def test_a_selected_or_closed_entry_refuses_any_change_and_nothing_changes(
    mission_a, candidate, recruiter, alice, close
):
    entry = sent(mission_a, candidate, recruiter)
    if close == "select":
        services.select_candidate(entry=entry, by=alice)
    else:
        services.client_declines(entry=entry, by=alice, reason=FailureCause.OTHER)
    events = Event.objects.count()

    with pytest.raises(ValidationError) as excinfo:
        services.update_entry(entry=entry, by=recruiter, report="Changed.", client_rate=900)

    assert code_of(excinfo) == "entry_closed"
    entry.refresh_from_db()
    assert (entry.report, entry.client_rate) == ("Knows the domain.", 650)
    assert Event.objects.count() == events


def test_the_report_page_of_a_selected_entry_says_it_can_no_longer_change(
    desk, mission_a, candidate, recruiter, alice
):
    entry = sent(mission_a, candidate, recruiter)
    services.select_candidate(entry=entry, by=alice)

    response = desk.post(
        reverse("missions:entry_edit", args=[entry.pk]),
        {"report": "Changed.", "client_rate": "900"},
        follow=True,
    )

    assert response.status_code == 200
    assert "can no longer change" in " ".join(str(m) for m in response.context["messages"])
    entry.refresh_from_db()
    assert entry.client_rate == 650


def test_the_admin_edits_a_sent_price_on_the_timeline_and_refuses_a_selected_one(
    client, admin_user, mission_a, candidates, recruiter, alice
):
    kept = shortlist(mission_a, candidates[0], recruiter)
    chosen = sent(mission_a, candidates[1], recruiter)  # both are sent
    client.force_login(admin_user)

    def post(entry, rate):
        url = reverse("admin:missions_shortlistentry_change", args=[entry.pk])
        inline = {"interviews-TOTAL_FORMS": 0, "interviews-INITIAL_FORMS": 0}
        return client.post(url, {"report": "Knows the domain.", "client_rate": rate, **inline})

    assert post(kept, "700").status_code == 302
    assert kept.events.filter(message__contains="650 € → 700 €", author=admin_user).exists()

    services.select_candidate(entry=chosen, by=alice)
    response = post(chosen, "900")

    assert response.status_code == 200
    assert "can no longer change" in response.text
    chosen.refresh_from_db()
    assert chosen.client_rate == 650


def test_the_client_form_does_not_archive_a_client_with_an_unfinished_mission(
    desk, client_a, mission_a, recruiter
):
    response = desk.post(
        reverse("missions:client_edit", args=[client_a.pk]),
        # The box unticked on a page that showed the client active (the hidden initial value).
        {
            "name": "Transalp",
            "owner": recruiter.pk,
            "brand_colour": "#123abc",
            "initial-is_active": "True",
        },
    )

    assert response.status_code == 200
    assert "M-2026-00001" in " ".join(response.context["form"].errors["is_active"])
    client_a.refresh_from_db()
    assert (client_a.name, client_a.is_active) == ("Transalp Logistique", True)


def test_a_stale_client_page_does_not_restore_a_client_archived_meanwhile(
    desk, client_b, recruiter
):
    # The page was opened while the client was active; another recruiter archived it since.
    services.archive_client(client=client_b, by=recruiter)

    response = desk.post(
        reverse("missions:client_edit", args=[client_b.pk]),
        {
            "name": client_b.name,
            "owner": recruiter.pk,
            "brand_colour": "#123abc",
            "is_active": "on",
            "initial-is_active": "True",
        },
    )

    assert response.status_code == 302
    client_b.refresh_from_db()
    assert not client_b.is_active
