"""The session store: Django's database sessions, read with one fixed SQL statement.

Every logged-in request reads its session; building that lookup through the ORM cost several
times the query itself, so the read is written once here. Writes, expiry and clearing are
Django's own."""

import functools

from django.contrib.sessions.backends import db
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        if not self.session_key:
            return None
        from django.db import connections, router  # noqa: PLC0415 - as Django's own store

        model = self.model
        with connections[router.db_for_read(model)].cursor() as cursor:
            cursor.execute(_read_sql(model), [self.session_key, timezone.now()])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0], expire_date=row[1])


@functools.cache
def _read_sql(model):
    table = model._meta.db_table  # the model's, not a request's
    return (
        f"SELECT session_data, expire_date FROM {table} WHERE session_key = %s AND expire_date > %s"  # noqa: E501, S608
    )
