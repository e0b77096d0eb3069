"""Fast inserts for the bulk part of the demo data set.

Rows are planned in memory with their primary keys already chosen, so related rows can point
at them before anything is written; then each table is written with multi-row INSERTs. This
skips what makes `bulk_create` slow at this size (per-row `pre_save`, per-value SQL compiling)
and lets historical `created_at` values through, which `auto_now_add` would overwrite.
"""

from contextlib import contextmanager

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models import Max

PLAIN_TYPES = frozenset({int, str, bool, type(None)})


class KeyAllocator:
    """Hands out the next primary keys of each table, starting after the existing ones.

    The seeding runs in one transaction that holds the write lock on SQLite; on PostgreSQL,
    `reset_sequences` moves the sequences past the keys used once the rows are written.
    """

    def __init__(self):
        self.next_key = {}

    def __call__(self, model):
        if model not in self.next_key:
            self.next_key[model] = (model.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
        key = self.next_key[model]
        self.next_key[model] += 1
        return key

    def reset_sequences(self):
        """As `loaddata` does after writing rows with explicit keys."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.next_key))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def insert_objects(model, objects):
    """Write unsaved model instances; those without a key get one from the database."""
    if not objects:
        return
    fields = [
        field
        for field in model._meta.concrete_fields
        if not (field.primary_key and objects[0].pk is None)
    ]
    insert_rows(
        model,
        [field.name for field in fields],
        [tuple(getattr(obj, field.attname) for field in fields) for obj in objects],
    )


def insert_rows(model, fields, rows, batch_size=500):
    """INSERT tuples of values for `fields`: COPY on PostgreSQL, multi-row INSERTs elsewhere.

    Values go through each field's own conversion for the database, as in a save.
    """
    # The connection itself, not the `connection` proxy: every field conversion reads it
    # several times, and the proxy's per-thread lookup was a tenth of the seeding's time.
    database = connections[DEFAULT_DB_ALIAS]
    quote = database.ops.quote_name
    model_fields = [model._meta.get_field(name) for name in fields]
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in model_fields)
    prepare = [
        (field.get_db_prep_save, not isinstance(field, models.JSONField)) for field in model_fields
    ]

    def prepared(values):
        # A plain int, str, bool or None is its own database value for any field but a JSON
        # one (which encodes it); the conversion only wraps some ints in a parameter type
        # (Int2, Int4) that COPY writes the same. Skipping it for those, most of the values,
        # converts a row 2 to 4 times faster. Anything else (dates, decimals, enum members,
        # which are str subclasses) is converted as in a save.
        return [
            value if plain and type(value) in PLAIN_TYPES else convert(value, database)
            for (convert, plain), value in zip(prepare, values, strict=True)
        ]

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Table and column names come from the model's metadata, never from input.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for values in rows:
                    copy.write_row(prepared(values))
            return
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        for start in range(0, len(rows), batch_size):
            batch = rows[start : start + batch_size]
            sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([row] * len(batch))}"  # noqa: S608
            cursor.execute(sql, [value for values in batch for value in prepared(values)])


@contextmanager
def foreign_keys_checked_at_the_end(models):
    """On PostgreSQL, the foreign keys of `models`' tables dropped while the block writes and
    added back after it, which checks every row again.

    Django's foreign keys are deferred: PostgreSQL queues a check per row and runs them one
    by one at commit, which at millions of rows took longer than writing them. Adding a
    constraint back checks the whole table in one join. Inside one transaction nobody sees
    the tables without their constraints; a row that breaks one fails the whole seeding as
    it did at commit.
    """
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        # Checks already queued (rows deleted by --reset) run now: a table with pending
        # checks cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) "
            "ORDER BY conrelid::regclass::text, conname",
            [tables],
        )
        constraints = cursor.fetchall()
        # Names and definitions come from the catalogue, never from input.
        for table, name, _definition in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        for table, name, definition in constraints:
            cursor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
            )
