from django.db import migrations, models

PART = {"blank": True, "max_length": 1000}


class Migration(migrations.Migration):
    """The report in the parts recruiters write it in. The free text it was stays where it
    is, in `report`, which becomes its first part: "why this profile"."""

    dependencies = [
        ("missions", "0007_mission_contacts"),
    ]

    operations = [
        migrations.AlterField(
            model_name="shortlistentry",
            name="report",
            field=models.TextField(
                blank=True,
                help_text="What makes this profile fit the mission, in a few sentences.",
                verbose_name="why this profile",
            ),
        ),
        migrations.AddField(
            model_name="shortlistentry",
            name="report_hard_skills",
            field=models.TextField(
                help_text="Technologies, level, what they built with them.",
                verbose_name="hard skills",
                **PART,
            ),
        ),
        migrations.AddField(
            model_name="shortlistentry",
            name="report_soft_skills",
            field=models.TextField(
                help_text="How they work with a team and speak to a client.",
                verbose_name="soft skills",
                **PART,
            ),
        ),
        migrations.AddField(
            model_name="shortlistentry",
            name="report_risks",
            field=models.TextField(
                help_text="What could go wrong and how it is covered.",
                verbose_name="risks",
                **PART,
            ),
        ),
        migrations.AddField(
            model_name="shortlistentry",
            name="report_availability",
            field=models.TextField(
                help_text="When they can start, notice, part-time or full-time.",
                verbose_name="availability",
                **PART,
            ),
        ),
    ]
