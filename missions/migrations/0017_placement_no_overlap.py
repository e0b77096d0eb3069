"""R6's backstop on PostgreSQL: no two placements of one profile share a day, whatever path
writes them (admin, shell, a bug). An exclusion constraint over the dates as an inclusive
range (an unknown end is unbounded) and the profile by equality, which needs btree_gist.

SQLite has no such constraint: there `services.select_candidate` checks under the write
lock that every transaction takes first (`transaction_mode: IMMEDIATE`). The constraint is
created with SQL, outside the model state, like the trigram indexes of candidates 0002.
"""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations


class PostgresOnlySQL(migrations.RunSQL):
    """RunSQL that does nothing on other databases (SQLite in development and tests)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("missions", "0016_placements_from_selections")]

    operations = [
        # Does nothing on databases other than PostgreSQL.
        BtreeGistExtension(),
        PostgresOnlySQL(
            sql=(
                'ALTER TABLE "missions_placement" ADD CONSTRAINT "missions_placement_no_overlap" '
                'EXCLUDE USING gist ("candidate_id" WITH =, '
                "daterange(\"start\", \"end\", '[]') WITH &&)"
            ),
            reverse_sql=(
                'ALTER TABLE "missions_placement" DROP CONSTRAINT "missions_placement_no_overlap"'
            ),
        ),
    ]
