import pytest
from django.core.exceptions import ValidationError

from missions import services
from missions.models import ShortlistEntry


def test_fifth_entry_is_refused(mission_a, candidates, recruiter):
    for c in candidates[:4]:
        services.shortlist_candidate(
            mission=mission_a, candidate=c, by=recruiter, confirm_warnings=True
        )
    with pytest.raises(ValidationError) as exc:
        services.shortlist_candidate(
            mission=mission_a, candidate=candidates[4], by=recruiter, confirm_warnings=True
        )
    assert exc.value.code == "shortlist_full"
    assert ShortlistEntry.objects.count() == 4
