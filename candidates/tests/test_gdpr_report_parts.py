"""Anonymising a profile scrubs its name from every part of the recruiters' reports (R5)."""

from candidates import gdpr
from missions import services
from missions.models import ShortlistEntry


def test_every_part_of_the_report_loses_the_persons_name(mission_a, candidate, recruiter):
    entry = services.shortlist_candidate(mission=mission_a, candidate=candidate, by=recruiter)
    services.update_entry(
        entry=entry,
        by=recruiter,
        report="Camille knows logistics.",
        client_rate=700,
        report_hard_skills="Camille Lefèvre: Django.",
        report_soft_skills="Lefèvre is calm.",
        report_risks="Camille has one month's notice.",
        report_availability="Camille starts in January.",
    )
    services.withdraw_entry(entry=entry, by=recruiter, reason="other")

    gdpr.anonymise_candidate(candidate=candidate)

    parts = ShortlistEntry.objects.filter(pk=entry.pk).values_list(
        "report",
        "report_hard_skills",
        "report_soft_skills",
        "report_risks",
        "report_availability",
    )
    text = " ".join(parts.get())
    assert "Camille" not in text and "Lefèvre" not in text
    assert f"Anonymised #{candidate.pk}: Django." in text
