"""The timeline, kept by `missions`, names interview states by their label."""

from missions.models import Event


def test_interview_event_shows_the_interview_state_labels():
    event = Event(subject=Event.Subject.INTERVIEW, from_state="scheduled", to_state="no_show")
    assert (event.from_label, event.to_label) == ("Scheduled", "No-show")


def test_entry_event_shows_the_entry_state_labels():
    event = Event(subject=Event.Subject.ENTRY, from_state="sent", to_state="not_retained")
    assert (event.from_label, event.to_label) == ("Sent", "Not retained")


def test_an_unknown_state_is_shown_as_stored():
    assert Event(subject=Event.Subject.MISSION, to_state="gone").to_label == "gone"
