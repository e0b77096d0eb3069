"""A paginator that never counts more rows than a person would page through.

Django's Paginator runs COUNT(*) over the whole result for every page; over 100,000 profiles
that count costs more than the page itself. CappedPaginator stops counting at `cap` rows:
past it, `count` is the cap and `uncounted` is true, and templates say "more than <cap>".
Pages beyond the cap are not reachable (narrow the filters instead).
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

DEFAULT_CAP = 1000


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, cap=None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = DEFAULT_CAP if cap is None else cap
        self.uncounted = False

    @cached_property
    def count(self):
        found = count_up_to(self.object_list, self.cap + 1)
        self.uncounted = found > self.cap
        return min(found, self.cap)


def count_up_to(rows, limit):
    """How many of `rows` there are, counting no further than `limit`.

    A queryset is counted with `SELECT COUNT(*) FROM (SELECT id ... LIMIT limit)`, which lets the
    database stop early; an object with its own `count_up_to(limit)` is asked; a list is
    measured."""
    own = getattr(rows, "count_up_to", None)
    if own is not None:
        return own(limit)
    if hasattr(rows, "query"):
        # Only the key is selected: an annotation the page shows (a correlated count per
        # row) is not computed for the thousand rows counted.
        return rows.order_by().values("pk")[:limit].count()
    return min(len(rows), limit)
