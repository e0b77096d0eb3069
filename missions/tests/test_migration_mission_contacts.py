"""The migration that names mission contacts: a portal demand was asked for by its author."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("missions", "0006_reminders")]
AFTER = [("missions", "0007_mission_contacts")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_demand_submitted_before_the_migration_is_asked_for_by_its_author(
    alice, bob, client_a, recruiter
):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Mission = apps.get_model("missions", "Mission")
    demand = Mission.objects.create(
        client_id=client_a.pk, reference="M-OLD-1", title="Demand", submitted_by_id=alice.pk
    )
    # A demand typed by someone who is not a contact of that client names nobody.
    Mission.objects.create(
        client_id=client_a.pk, reference="M-OLD-2", title="Odd", submitted_by_id=bob.pk
    )
    Mission.objects.create(client_id=client_a.pk, reference="M-OLD-3", title="Desk")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    MissionContact = apps.get_model("missions", "MissionContact")
    rows = list(MissionContact.objects.values_list("mission_id", "contact__user_id", "role"))
    assert rows == [(demand.pk, alice.pk, "requester")]

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
