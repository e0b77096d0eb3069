"""Several short lists of one model read in one query: the slices of querysets that differ
only by their filters (a page's panels of interviews, of shortlist entries), joined by
UNION ALL. A page that shows four such lists pays one round trip instead of four."""

from operator import attrgetter

from django.db.models import CharField, Value


def read_together(**querysets):
    """{name: rows} of querysets of one model selecting the same columns (same
    `select_related`, same annotations), each usually sliced; each list in its queryset's
    order (its `order_by`, else the model's ordering: fields, not expressions)."""
    marked = [
        _unsliced(queryset).annotate(_part=Value(name, output_field=CharField()))
        for name, queryset in querysets.items()
    ]
    rows = {name: [] for name in querysets}
    # UNION ALL gives no order of its own (and none is asked: no sort of the whole): each
    # list is put back in its queryset's order below.
    for row in marked[0].union(*marked[1:], all=True).order_by():
        rows[row._part].append(row)
    for name, queryset in querysets.items():
        for field in reversed(_ordering(queryset)):
            rows[name].sort(key=_sort_key(field), reverse=field.startswith("-"))
    return rows


def _sort_key(field):
    """A key ordering rows as the database orders `field` ("-field", "fk__field"): NULL
    after every value ascending, before them descending."""
    value_of = attrgetter(field.lstrip("-").replace("__", "."))

    def key(row):
        value = value_of(row)
        return (value is None, value if value is not None else 0)

    return key


def _unsliced(queryset):
    """`queryset` without a LIMIT or an ORDER BY of its own, which not every database takes
    in a part of a UNION (SQLite does not): a slice becomes `pk IN (the slice)`, whose few
    rows the database finds first, then joins."""
    part = queryset.all()
    if queryset.query.is_sliced:
        part.query.clear_limits()
        part = part.filter(pk__in=queryset.values("pk"))
    return part.order_by()


def _ordering(queryset):
    query = queryset.query
    if query.order_by:
        return list(query.order_by)
    if query.default_ordering:
        return list(query.get_meta().ordering)
    return []
