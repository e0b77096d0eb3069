"""Write operations on profiles."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from candidates.models import Candidate, CandidateSkill


def _merged_months(intervals):
    """Months covered by (start, end) date intervals, overlaps counted once."""
    total = 0
    current_start = current_end = None
    for start, end in sorted(intervals):
        if current_end is None or start > current_end:
            if current_end is not None:
                total += _months_between(current_start, current_end)
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None:
        total += _months_between(current_start, current_end)
    return total


def _months_between(start, end):
    return max(0, (end.year - start.year) * 12 + end.month - start.month)


def skill_years_from_experiences(candidate, *, today=None):
    """{skill_id: years} from the candidate's experiences, overlapping periods counted once."""
    today = today or date.today()
    intervals = {}
    experiences = candidate.experiences.prefetch_related("technologies")
    for experience in experiences:
        end = experience.end or today
        for skill in experience.technologies.all():
            intervals.setdefault(skill.pk, []).append((experience.start, end))
    return {
        skill_id: (Decimal(_merged_months(periods)) / 12).quantize(Decimal("0.1"))
        for skill_id, periods in intervals.items()
    }


@transaction.atomic
def refresh_skill_years(*, candidate: Candidate, today=None):
    """Recompute the years of each skill from experiences; add skills experiences name.

    Skills whose years were entered by hand (`years_override`) keep them.
    """
    years = skill_years_from_experiences(candidate, today=today)
    existing = {cs.skill_id: cs for cs in candidate.skills.all()}
    for skill_id, value in years.items():
        candidate_skill = existing.get(skill_id)
        if candidate_skill is None:
            CandidateSkill.objects.create(candidate=candidate, skill_id=skill_id, years=value)
        elif not candidate_skill.years_override and candidate_skill.years != value:
            candidate_skill.years = value
            candidate_skill.save(update_fields=["years"])
    for skill_id, candidate_skill in existing.items():
        if skill_id not in years and not candidate_skill.years_override and candidate_skill.years:
            candidate_skill.years = 0
            candidate_skill.save(update_fields=["years"])
