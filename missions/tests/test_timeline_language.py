"""What the app writes on the timeline is stored as a code and its values, and shown in the
reader's language, whatever the language of whoever caused the step."""

from datetime import date
from importlib import import_module

from django.apps import apps
from django.utils import translation

from missions import services
from missions.models import Event, ShortlistEntry

give_codes = import_module("missions.migrations.0019_event_message_code").give_codes


def shown_in(language, event):
    with translation.override(language):
        return event.text


def test_a_step_written_by_a_french_recruiter_reads_in_english_for_an_english_reader(
    mission_a, candidate, recruiter
):
    with translation.override("fr"):
        services.shortlist_candidate(
            mission=mission_a, candidate=candidate, by=recruiter, confirm_warnings=True
        )
    event = Event.objects.get(message_code="shortlist_added")

    assert event.message_params == {"name": "Camille Lefèvre"}
    assert shown_in("en", event) == "Camille Lefèvre added to the shortlist"
    assert shown_in("fr", event) == "Camille Lefèvre rejoint la short-list"


def test_the_mission_timeline_speaks_the_readers_language(client, mission_a, candidate, recruiter):
    with translation.override("fr"):
        services.shortlist_candidate(
            mission=mission_a, candidate=candidate, by=recruiter, confirm_warnings=True
        )
    client.force_login(recruiter)

    html = client.get(mission_a.get_absolute_url()).content.decode()

    assert "Camille Lefèvre added to the shortlist" in html
    assert "rejoint la short-list" not in html


def test_an_interview_state_is_stored_as_its_code_and_named_when_shown(mission_a, recruiter):
    event = services.record_event(
        mission=mission_a,
        by=recruiter,
        subject=Event.Subject.INTERVIEW,
        from_state="scheduled",
        to_state="done",
        code="interview_state",
        params={"n": 2, "state": "done"},
    )

    assert shown_in("en", event) == "Interview 2: Done"
    assert shown_in("fr", event) == "Entretien 2\u00a0: Réalisé"


def test_a_date_is_stored_as_iso_and_written_the_readers_way(mission_a, candidate, recruiter):
    event = services.record_event(
        mission=mission_a,
        by=None,
        subject=Event.Subject.ENTRY,
        candidate=candidate,
        code="availability_confirmed",
        params={"name": "Camille Lefèvre", "date": date(2027, 1, 4).isoformat()},
    )

    assert event.message_params["date"] == "2027-01-04"
    assert shown_in("en", event) == "Camille Lefèvre confirmed their availability: from 4 Jan 2027"
    assert shown_in("fr", event) == (
        "Camille Lefèvre a confirmé sa disponibilité\u00a0: à partir du 4 janv. 2027"
    )


def test_a_step_about_one_profile_names_it_first(mission_a, recruiter):
    event = services.record_event(
        mission=mission_a,
        by=recruiter,
        subject=Event.Subject.ENTRY,
        code="client_rate_changed",
        params={"about": "Camille Lefèvre", "old": 600, "new": 650},
    )

    assert shown_in("fr", event) == "Camille Lefèvre: Tarif client modifié : 600 € → 650 €"


def test_a_step_without_a_code_is_shown_as_written(mission_a, recruiter):
    event = services.record_event(
        mission=mission_a, by=recruiter, subject=Event.Subject.MISSION, message="Imported"
    )

    assert shown_in("fr", event) == "Imported"


def legacy(mission, message, **fields):
    """A step stored as text, as before message codes."""
    return Event.objects.create(
        mission=mission,
        subject=fields.pop("subject", Event.Subject.ENTRY),
        message=message,
        **fields,
    )


def test_the_migration_gives_old_french_and_english_steps_their_code_and_values(mission_a):
    french = legacy(mission_a, "Camille Lefèvre rejoint la short-list")
    english = legacy(
        mission_a,
        "Interview 2: Done",
        subject=Event.Subject.INTERVIEW,
        from_state="scheduled",
        to_state="done",
    )
    feedback = legacy(mission_a, "Client feedback on interview 3 updated")
    availability = legacy(
        mission_a, "Camille Lefèvre a confirmé sa disponibilité\u00a0: à partir du 04/01/2027"
    )
    rate = legacy(mission_a, "Camille Lefèvre: Tarif client modifié : 600 € → 650 €")
    unknown = legacy(mission_a, "Something else")

    give_codes(apps, None)

    stored = {
        e.pk: (e.message_code, e.message_params) for e in Event.objects.filter(mission=mission_a)
    }
    assert stored[french.pk] == ("shortlist_added", {"name": "Camille Lefèvre"})
    assert stored[english.pk] == ("interview_state", {"n": 2, "state": "done"})
    assert stored[feedback.pk] == ("client_feedback_updated", {"n": 3})
    assert stored[availability.pk] == (
        "availability_confirmed",
        {"name": "Camille Lefèvre", "date": "2027-01-04"},
    )
    assert stored[rate.pk] == (
        "client_rate_changed",
        {"about": "Camille Lefèvre", "old": 600, "new": 650},
    )
    assert stored[unknown.pk] == ("", {})


# --- R7 warnings confirmed on an entry

give_warning_codes = import_module("missions.migrations.0020_entry_warning_codes").give_codes


def over_budget_entry(mission, candidate, recruiter, language):
    mission.budget = 500
    mission.save(update_fields=["budget"])
    with translation.override(language):
        return services.shortlist_candidate(
            mission=mission, candidate=candidate, by=recruiter, confirm_warnings=True
        )


def warnings_in(language, entry):
    with translation.override(language):
        return entry.warning_texts


def test_a_warning_confirmed_in_french_reads_in_english_for_an_english_reader(
    mission_a, candidate, recruiter
):
    entry = over_budget_entry(mission_a, candidate, recruiter, "fr")

    assert entry.warning_codes == [{"code": "over_budget", "params": {"rate": 550, "budget": 500}}]
    assert warnings_in("en", entry) == ["Day rate 550 € is above the client's budget of 500 €."]
    assert warnings_in("fr", entry) == [
        "Le TJM de 550\u00a0€ dépasse le budget du client (500\u00a0€)."
    ]


def test_the_mission_page_shows_the_warning_in_the_readers_language(
    client, mission_a, candidate, recruiter
):
    over_budget_entry(mission_a, candidate, recruiter, "fr")
    client.force_login(recruiter)

    html = client.get(mission_a.get_absolute_url()).content.decode()

    assert "⚠ Day rate 550 € is above the client&#x27;s budget of 500 €.</p>" in html


def test_the_migration_gives_old_warnings_their_codes(mission_a, candidate, recruiter):
    entry = over_budget_entry(mission_a, candidate, recruiter, "en")
    french = "Camille Lefèvre a déjà un processus actif sur M-2026-00009 pour le même client."
    ShortlistEntry.objects.filter(pk=entry.pk).update(
        warning_codes=[],
        warnings=f"{french}\nDay rate 550 € is above the client's budget of 500 €.",
    )

    give_warning_codes(apps, None)

    entry.refresh_from_db()
    assert entry.warning_codes == [
        {"code": "already_active", "params": {"ref": "M-2026-00009"}},
        {"code": "over_budget", "params": {"rate": 550, "budget": 500}},
    ]


# --- notes the app writes


def test_a_note_the_app_writes_is_shown_in_the_readers_language(mission_a, recruiter):
    event = services.record_event(
        mission=mission_a,
        by=recruiter,
        subject=Event.Subject.MISSION,
        code="client_reminded",
        note_code="profiles_waiting",
        note_params={"n": 2},
    )

    with translation.override("en"):
        assert event.note_text == "2 profiles waiting for an answer."
    with translation.override("fr"):
        assert event.note_text == "2 profils en attente de réponse."


def test_an_edit_lists_the_changed_fields_in_the_readers_language(mission_a, recruiter):
    event = services.record_event(
        mission=mission_a,
        by=recruiter,
        subject=Event.Subject.MISSION,
        code="mission_edited",
        note_code="fields_changed",
        note_params={"fields": ["budget", "skills"]},
    )

    with translation.override("en"):
        assert event.note_text == "Changed: daily budget (€), skills"


def test_a_note_written_by_a_person_is_shown_as_written(mission_a, recruiter):
    event = services.record_event(
        mission=mission_a, by=recruiter, subject=Event.Subject.MISSION, note="Called Alice"
    )

    with translation.override("fr"):
        assert event.note_text == "Called Alice"


def test_the_migration_gives_old_notes_their_code(mission_a):
    link = legacy(
        mission_a,
        "Something else",
        note="Indiquée par le freelance via le lien reçu par e-mail.",
    )
    waiting = legacy(
        mission_a, "Reminder sent to the client", note="1 profile waiting for an answer."
    )

    give_codes(apps, None)

    link.refresh_from_db()
    waiting.refresh_from_db()
    assert (link.message_code, link.note_code, link.note_params) == ("", "availability_link", {})
    assert (waiting.message_code, waiting.note_code, waiting.note_params) == (
        "client_reminded",
        "profiles_waiting",
        {"n": 1},
    )


def test_why_an_entry_closed_with_its_mission_is_shown_in_the_readers_language(
    mission_a, candidates, recruiter
):
    for candidate in candidates[:2]:
        services.shortlist_candidate(
            mission=mission_a, candidate=candidate, by=recruiter, confirm_warnings=True
        )
    mission_a.refresh_from_db()
    with translation.override("fr"):
        services.transition_mission(
            mission=mission_a, to="cancelled", by=recruiter, note="Budget gelé"
        )
    closed = Event.objects.filter(note_code="mission_ended")

    assert closed.count() == 2
    with translation.override("en"):
        assert {event.note_text for event in closed} == {"The mission ended: Cancelled"}
