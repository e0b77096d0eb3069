"""What a client's past answers teach the matching of its missions, as plain data.

`missions.client_history` reads the counts from the database (one aggregate query); this
module turns them into lessons: a penalty on the profiles that repeat a past failure (a rate
this client refused, a level below the wanted one after technical no-gos, a late start after
availability no-gos), and advice to check what the pool's data cannot score (soft skills,
location). Each lesson is said in plain words on the matching page and in the explained
score of the rows it touches.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# A cause seen this many times (distinct profiles) is a pattern, not an accident.
MIN_CASES = 2
# Points a profile loses for each past failure it repeats (scores are out of 100).
PENALTY = 10

# The causes the recorded data can check on a profile; the others become advice.
RATE, TECHNICAL, AVAILABILITY = "rate_too_high", "technical_level", "availability"
ADVICE = {
    "soft_skills": gettext_lazy("check soft skills"),
    "location": gettext_lazy("check location and remote work with the freelancer"),
    "needs_changed": gettext_lazy("confirm the need with the client before positioning"),
}


@dataclass(frozen=True)
class ClientHistory:
    """A client's past: the profiles it turned down (declined, not retained or a no-go
    interview), how many of them for each failure cause, and the lowest day rate among those
    turned down for their rate."""

    turned_down: int = 0
    by_cause: dict = field(default_factory=dict)
    lowest_refused_rate: int | None = None

    def count(self, cause):
        return self.by_cause.get(cause, 0)

    def is_pattern(self, cause):
        """Seen at least MIN_CASES times and in at least half of the profiles turned down."""
        n = self.count(cause)
        return n >= MIN_CASES and 2 * n >= self.turned_down

    @property
    def rate_floor(self):
        """The rate from which this client has refused profiles as too expensive (a
        refusal for rate is a fact about the budget, however rare the others)."""
        if self.count(RATE) >= MIN_CASES and self.lowest_refused_rate:
            return self.lowest_refused_rate
        return None

    def share_text(self, cause, label):
        return _("%(n)s of %(total)s profiles turned down for %(cause)s") % {
            "n": self.count(cause),
            "total": self.turned_down,
            "cause": str(label).lower(),
        }

    def rate_text(self):
        return _("This client turned down %(n)s profiles at %(rate)s €/day or more") % {
            "n": self.count(RATE),
            "rate": self.rate_floor,
        }


def lessons(history, cause_labels, *, has_seniority, has_start):
    """The page's lessons: (text, applied) pairs, `applied` when profiles lose points for it."""
    if history is None:
        return []
    found = []
    if history.rate_floor:
        found.append((history.rate_text(), True))
    if history.is_pattern(TECHNICAL):
        found.append((history.share_text(TECHNICAL, cause_labels[TECHNICAL]), has_seniority))
    if history.is_pattern(AVAILABILITY):
        found.append((history.share_text(AVAILABILITY, cause_labels[AVAILABILITY]), has_start))
    for cause, advice in ADVICE.items():
        if history.is_pattern(cause):
            text = history.share_text(cause, cause_labels[cause])
            found.append((f"{text}: {advice}", False))
    return found
