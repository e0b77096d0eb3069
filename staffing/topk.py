"""The first rows of a large ranking, read from a narrower ranking when that is provably the
same: the trick that keeps the matching page and the dashboard fast at 100,000 profiles.

`first_rows` writes one statement that ranks narrow querysets (the profiles close to a
mission's demand, those at their third interview), narrowest first, checks a condition on
each one's rows, and returns the rows of the first whose condition holds, else those of the
whole ranking. PostgreSQL evaluates each condition once, only when the narrower ones failed,
and never runs a ranking that is not needed; SQLite gives the same rows. One statement, so a
page's query count does not depend on the data.
"""

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection


@dataclass(frozen=True)
class Narrow:
    """A narrow ranking and the SQL condition (over its rows, as `FROM narrow_<n>`) under
    which its rows are those of the whole ranking, e.g. "COUNT(*) = %s"."""

    queryset: object
    proof: str
    proof_params: tuple = ()


def first_rows(narrows, everyone, *, order_by):
    """(sql, params) selecting the rows of the first of `narrows` whose proof holds, else
    those of `everyone`; None when `everyone` can have no row. Every queryset selects the
    same columns (sliced to the same end); `order_by` orders the result by output column
    names or positions."""
    everyone_sql, everyone_params = _compiled(everyone)
    if everyone_sql is None:
        return None
    ctes, parts, params, failed = [], [], [], []
    for n, narrow in enumerate(narrows):
        sql, narrow_params = _compiled(narrow.queryset)
        if sql is None:
            continue  # no row: it proves nothing, the next one is tried
        # Querysets compiled by Django, their parameters kept apart; the proofs and the
        # ordering are the callers' constant SQL.
        ctes.append(f"narrow_{n} AS MATERIALIZED ({sql})")
        ctes.append(
            f"proof_{n} AS MATERIALIZED (SELECT {narrow.proof} AS proven FROM narrow_{n})"  # noqa: S608
        )
        params += [*narrow_params, *narrow.proof_params]
        proven = f"(SELECT proven FROM proof_{n})"  # noqa: S608
        parts.append(f"SELECT * FROM narrow_{n} WHERE {' AND '.join([*failed, proven])}")  # noqa: S608
        failed.append(f"NOT {proven}")
    condition = f" WHERE {' AND '.join(failed)}" if failed else ""
    parts.append(f"SELECT * FROM ({everyone_sql}) everyone{condition}")  # noqa: S608
    params += everyone_params
    with_clause = f"WITH {', '.join(ctes)} " if ctes else ""
    return f"{with_clause}{' UNION ALL '.join(parts)} ORDER BY {order_by}", tuple(params)


def _compiled(queryset):
    """(sql, params), or (None, ()) for a queryset Django knows to be empty (a filter on
    an empty list, `.none()`): it has no SQL, and no rows."""
    try:
        return queryset.query.sql_with_params()
    except EmptyResultSet:
        return None, ()


def fetch_rows(statement):
    """The rows of a `first_rows` statement (none when it is None)."""
    if statement is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(*statement)
        return cursor.fetchall()
