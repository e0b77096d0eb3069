from django.conf import settings
from django.db import migrations, models
import django.db.models.deletion
import staffing.storage


class Migration(migrations.Migration):

    dependencies = [
        ("candidates", "0020_profile_linkedin_and_lookup_forms"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ImportJob',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('file', models.FileField(storage=staffing.storage.private_storage, upload_to='imports/%Y/%m/', verbose_name='file')),
                ('original_name', models.CharField(max_length=255, verbose_name='file name')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished at')),
                ('status', models.CharField(choices=[('preview', 'Waiting for the column mapping'), ('queued', 'Queued'), ('running', 'Importing'), ('done', 'Done'), ('failed', 'Failed')], default='preview', max_length=10, verbose_name='status')),
                ('language', models.CharField(blank=True, max_length=10, verbose_name='language')),
                ('mapping', models.JSONField(blank=True, default=dict, verbose_name='column mapping')),
                ('total_rows', models.PositiveIntegerField(default=0, verbose_name='rows')),
                ('rows_done', models.PositiveIntegerField(default=0, verbose_name='rows done')),
                ('created_count', models.PositiveIntegerField(default=0, verbose_name='profiles created')),
                ('skipped_count', models.PositiveIntegerField(default=0, verbose_name='rows skipped')),
                ('error_count', models.PositiveIntegerField(default=0, verbose_name='rows with errors')),
                ('report', models.JSONField(blank=True, default=list, verbose_name='report')),
            ],
            options={
                'verbose_name': 'profile import',
                'verbose_name_plural': 'profile imports',
                'ordering': ['-created_at'],
            },
        ),
        migrations.AddField(
            model_name='importjob',
            name='created_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='imported by'),
        ),
    ]
