"""A placement for each profile selected before placements existed: the mission's period (its
start, or the day of the selection when unknown), the rate sold and the freelancer's rate."""

from django.db import migrations

from missions.periods import Period


def create_placements(apps, schema_editor):
    entry_model = apps.get_model("missions", "ShortlistEntry")
    placement_model = apps.get_model("missions", "Placement")
    selected = entry_model.objects.filter(state="selected", placement__isnull=True)
    for entry in selected.select_related("mission").order_by("pk"):
        mission = entry.mission
        chosen_on = (entry.answered_at or entry.created_at).date()
        start = mission.start_date or chosen_on
        placement_model.objects.create(
            entry=entry,
            mission=mission,
            candidate_id=entry.candidate_id,
            start=start,
            end=Period.of_mission(start, mission.duration_months).end,
            sold_rate=entry.client_rate or entry.candidate_rate,
            bought_rate=entry.candidate_rate,
        )


def delete_placements(apps, schema_editor):
    apps.get_model("missions", "Placement").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("missions", "0015_placements_and_compliance_exceptions")]

    operations = [migrations.RunPython(create_placements, delete_placements)]
