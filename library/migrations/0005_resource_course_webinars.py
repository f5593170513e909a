# The course page moved to webinars.Course with the same ids (registrations 0005).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0004_alter_resource_created_at_alter_resource_file_size_and_more"),
        ("registrations", "0005_offering_data"),
    ]

    operations = [
        migrations.AlterField(
            model_name="resource",
            name="course",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="resources",
                to="webinars.course",
                verbose_name="kurs",
            ),
        ),
    ]
