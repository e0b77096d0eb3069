import django.db.models.deletion
from django.db import migrations, models


def name_the_requesters(apps, schema_editor):
    """A demand submitted from the portal was asked for by its author: name them."""
    Mission = apps.get_model("missions", "Mission")
    ClientContact = apps.get_model("missions", "ClientContact")
    MissionContact = apps.get_model("missions", "MissionContact")
    contacts = {
        (c.user_id, c.client_id): c
        for c in ClientContact.objects.filter(
            user__in=Mission.objects.exclude(submitted_by=None).values("submitted_by")
        )
    }
    links = []
    for mission in Mission.objects.exclude(submitted_by=None).only("pk", "client", "submitted_by"):
        contact = contacts.get((mission.submitted_by_id, mission.client_id))
        if contact is not None:
            links.append(MissionContact(mission=mission, contact=contact, role="requester"))
    MissionContact.objects.bulk_create(links)


class Migration(migrations.Migration):
    dependencies = [
        ("missions", "0006_reminders"),
    ]

    operations = [
        migrations.CreateModel(
            name="MissionContact",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "role",
                    models.CharField(
                        choices=[("requester", "Asked for it"), ("follower", "Follows it")],
                        default="follower",
                        max_length=10,
                        verbose_name="role",
                    ),
                ),
                (
                    "contact",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="mission_links",
                        to="missions.clientcontact",
                        verbose_name="client contact",
                    ),
                ),
                (
                    "mission",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="contact_links",
                        to="missions.mission",
                    ),
                ),
            ],
            options={
                "verbose_name": "mission contact",
                "verbose_name_plural": "mission contacts",
                "ordering": ["role", "contact__user__last_name", "contact__user__first_name"],
            },
        ),
        migrations.AddField(
            model_name="mission",
            name="contacts",
            field=models.ManyToManyField(
                blank=True,
                related_name="missions",
                through="missions.MissionContact",
                to="missions.clientcontact",
                verbose_name="client contacts",
            ),
        ),
        migrations.AddConstraint(
            model_name="missioncontact",
            constraint=models.UniqueConstraint(
                fields=("mission", "contact"), name="missions_missioncontact_once_per_mission"
            ),
        ),
        migrations.AddConstraint(
            model_name="missioncontact",
            constraint=models.UniqueConstraint(
                condition=models.Q(("role", "requester")),
                fields=("mission",),
                name="missions_missioncontact_one_requester",
            ),
        ),
        migrations.AddConstraint(
            model_name="missioncontact",
            constraint=models.CheckConstraint(
                condition=models.Q(("role__in", ["requester", "follower"])),
                name="missions_missioncontact_role_valid",
            ),
        ),
        migrations.RunPython(name_the_requesters, migrations.RunPython.noop),
    ]
